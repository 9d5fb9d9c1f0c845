/** Benchmark helpers: statistics, target verdicts, profile summaries and the timed commands themselves. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasGnuTime, median, pipelineCommand, timeCommand } from '../../bench/measure.js';
import { summariseProfile } from '../../bench/profile.js';
import { verdicts, type Figures } from '../../bench/verdict.js';

const base: Figures = { bytes: 1.2e9, reportS: 2, reportCpuS: 2, pipelineS: 1.5, pipelineCpuS: 1.5, reportRssKB: 100_000, serveS: 2.4, serveListenS: 2.2, serveCpuS: 2.4 };

describe('bench helpers', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "k8s-anon bench'test-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the median of odd and even sample counts', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('judges each target at its threshold', () => {
    assert.deepEqual(verdicts(base).map((v) => v.met), [true, true, true, true]);
    const slow: Figures = { ...base, reportS: 2.01, serveS: 2.6, reportRssKB: 146_484 };
    assert.deepEqual(verdicts(slow).map((v) => v.met), [false, true, true, false]);
    assert.deepEqual(verdicts({ ...base, pipelineS: 1.3 }).map((v) => v.met), [true, false, true, true]);
    assert.deepEqual(verdicts({ ...base, reportRssKB: 146_485 }).map((v) => v.met), [true, true, false, true]);
  });

  it('sums self time per function from a V8 CPU profile', () => {
    const nodes = [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
      { id: 2, callFrame: { functionName: 'fastScan', url: 'file:///repo/dist/src/audit/fastpath.js', lineNumber: 9 } },
      { id: 3, callFrame: { functionName: 'fastScan', url: 'file:///repo/dist/src/audit/fastpath.js', lineNumber: 9 } },
      { id: 4, callFrame: { functionName: '', url: 'node:fs', lineNumber: 0 } },
    ];
    const hot = summariseProfile({ nodes, samples: [2, 3, 4, 2], timeDeltas: [1000, 2000, 1000, 4000] }, '/repo');
    assert.deepEqual(hot.map((h) => [h.name, h.location, h.selfMs]), [['fastScan', 'dist/src/audit/fastpath.js:10', 7], ['(anonymous)', 'node:fs:1', 1]]);
    assert.equal(Math.round(hot[0]?.percent ?? 0), 88);
  });

  it('runs the manual pipeline on a path that needs quoting', () => {
    const file = join(dir, 'audit.log');
    const anon = '{"kind":"Event","stage":"ResponseComplete","requestURI":"/api","user":{"username":"system:anonymous"}}';
    writeFileSync(file, `${anon}\n${anon}\n{"requestURI":"/x","user":{"username":"bob"}}\n`);
    const r = spawnSync('bash', ['-c', pipelineCommand(file)], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '2 /api');
  });

  const script = 'const a = Buffer.alloc(64 << 20, 1); let x = 0; for (let i = 0; i < 3e8; i++) x += i; console.log(a[0] + x)';

  it('times a child process with its CPU time and peak RSS (GNU time)', async function () {
    if (!hasGnuTime()) this.skip();
    const s = await timeCommand(process.execPath, ['-e', script], dir, true);
    assert.equal(s.exitCode, 0);
    assert.ok(s.wallS > 0 && s.userS + s.sysS > 0, JSON.stringify(s));
    assert.ok(s.maxRssKB > 64 * 1024, `peak RSS ${s.maxRssKB} KiB covers the 64 MiB buffer`);
  });

  it('falls back to polling VmHWM without GNU time', async () => {
    const s = await timeCommand(process.execPath, ['-e', script], dir, false);
    assert.equal(s.exitCode, 0);
    assert.ok(s.wallS > 0 && Number.isNaN(s.userS), JSON.stringify(s));
    assert.ok(s.maxRssKB > 64 * 1024, `peak RSS ${s.maxRssKB} KiB covers the 64 MiB buffer`);
  });
});
