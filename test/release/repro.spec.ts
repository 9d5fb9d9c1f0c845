/** Release acceptance: a second build from the same inputs gives the same bytes (npm run test:release). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../integration/helpers.js';
import { RELEASE } from './run.js';

describe('release: reproducible', function () {
  this.timeout(600_000);
  it('building again into another directory gives identical SHA256SUMS', () => {
    const out = mkdtempSync(join(tmpdir(), 'release-again-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'packaging/release.ts', `--out=${out}`], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(join(out, 'SHA256SUMS'), 'utf8'), readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8'));
    } finally { rmSync(out, { recursive: true, force: true }); }
  });
});
