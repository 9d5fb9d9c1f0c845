/** Golden-file comparison: `UPDATE_GOLDEN=1` rewrites the files instead of comparing. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden');

/** Asserts `actual` equals `test/golden/<area>/<name>` byte for byte, or rewrites it when UPDATE_GOLDEN=1. */
export function matchGolden(area: string, name: string, actual: string): void {
  const file = join(GOLDEN, area, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden ${area}/${name} differs (UPDATE_GOLDEN=1 refreshes it)`);
}
