/** Golden-file comparison for protocol output; `UPDATE_GOLDEN=1` rewrites the files. */
import { readFileSync } from 'node:fs';
import { matchGolden } from '../helpers/golden.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, resolved from this file. */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Asserts `actual` equals `test/golden/netdata/<name>` byte for byte (or rewrites it when UPDATE_GOLDEN=1). */
export function assertGolden(name: string, actual: string): void {
  matchGolden('netdata', name, actual);
}

/** Reads a fixture under `test/fixtures/netdata/`. */
export function fixture(name: string): string {
  return readFileSync(join(REPO, 'test', 'fixtures', 'netdata', name), 'utf8');
}
