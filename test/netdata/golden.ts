/** Golden-file comparison for protocol output; `UPDATE_GOLDEN=1` rewrites the files. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

/** The repository root, resolved from this file. */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Asserts `actual` equals `test/golden/netdata/<name>` byte for byte (or rewrites it when UPDATE_GOLDEN=1). */
export function assertGolden(name: string, actual: string): void {
  const file = join(REPO, 'test', 'golden', 'netdata', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `golden ${name} differs (UPDATE_GOLDEN=1 to refresh)`);
}

/** Reads a fixture under `test/fixtures/netdata/`. */
export function fixture(name: string): string {
  return readFileSync(join(REPO, 'test', 'fixtures', 'netdata', name), 'utf8');
}
