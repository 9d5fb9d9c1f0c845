/** The single-file bundle behind the executable, run with node: `report` splits a large file with its bundled range worker. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../packaging/bundle.js';
import { ROOT } from '../helpers/cli.js';

describe('packaging: the single-file bundle', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'k8s-anon-bundle-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports on a file of 8 MiB or more through its bundled worker, with the same document as --jobs 1', async () => {
    const out = join(dir, 'k8s-anon-exporter.cjs');
    assert.deepEqual(await bundle(out, '0.0.0-test'), [], 'no bundle warnings');
    const lines = readFileSync(join(ROOT, 'test/fixtures/audit/stages.jsonl'));
    const big = join(dir, 'big.log');
    writeFileSync(big, Buffer.concat(Array.from({ length: Math.ceil((9 << 20) / lines.length) }, () => lines)));
    const run = (args: string[]) => spawnSync(process.execPath, [out, 'report', '--format=json', ...args, big], { cwd: '/', encoding: 'utf8', env: {} });
    const split = run(['--jobs=2']);
    const one = run(['--jobs=1']);
    assert.equal(split.stderr, '');
    assert.equal(split.status, 2);
    assert.equal(split.stdout, one.stdout);
    assert.ok((JSON.parse(split.stdout) as { files: unknown[] }).files.length === 1);
  });
});
