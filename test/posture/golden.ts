/** Golden-file comparison for posture output; `UPDATE_GOLDEN=1` rewrites the files. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'posture');

/** Asserts `actual` equals `test/golden/posture/<name>`, or rewrites it when UPDATE_GOLDEN=1. */
export function matchGolden(name: string, actual: string): void {
  const file = join(DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(file, 'utf8'));
}
