import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../src/audit/analyzer.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { spawnCli } from '../helpers/cli.js';
import { loadYamlParser } from '../../src/config/yaml.js';

const problems = (f: () => unknown): string[] => {
  try { f(); } catch (e) { if (e instanceof ConfigError) return e.problems; throw e; }
  return [];
};

describe('configuration and state hygiene', () => {
  before(loadYamlParser);
  it('rejects a NUL byte in audit.path and other strings, from flags and from YAML', () => {
    assert.match(problems(() => loadConfig(undefined, new Map([['audit.path', '/var/log/audit.log\0.txt']]))).join('\n'), /audit\.path: must not contain a NUL byte/);
    assert.match(problems(() => loadConfig(undefined, new Map([['rbac.kubeconfig', 'a\0b'], ['probe.paths', '/livez,/x\0']]))).join('\n'),
      /rbac\.kubeconfig: must not contain a NUL byte[\s\S]*probe\.paths: must not contain a NUL byte|probe\.paths: must not contain a NUL byte[\s\S]*rbac\.kubeconfig/);
    const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-nul-'));
    try {
      writeFileSync(join(dir, 'c.yaml'), 'state:\n  dir: "/var/lib/x\\0y"\n');
      assert.match(problems(() => loadConfig(join(dir, 'c.yaml'))).join('\n'), /state\.dir: must not contain a NUL byte/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('truncates a checkpointed sourceSeen list longer than sources.maxSeries', () => {
    const opts = { sourceClasses: {}, sourceAddress: 'last' as const, gapThresholdSeconds: 30 };
    const big = new Analyzer({ ...opts, maxSourceSeries: 10 });
    const snap = big.snapshot() as { sourceSeen: string[]; sourceRank?: unknown };
    snap.sourceSeen = Array.from({ length: 10 }, (_, i) => `10.0.0.${i}`);
    delete snap.sourceRank; // a checkpoint from before the windowed ranking lists only sourceSeen
    const small = new Analyzer({ ...opts, maxSourceSeries: 3 });
    small.restore(snap);
    assert.deepEqual((small.snapshot() as { sourceSeen: string[] }).sourceSeen, ['10.0.0.0', '10.0.0.1', '10.0.0.2']);
    // A ranking that lists more members than the bound is cut to it as well.
    const ranked = big.snapshot() as { sourceRank: { members: string[] } };
    ranked.sourceRank.members = Array.from({ length: 10 }, (_, i) => `10.0.1.${i}`);
    const small2 = new Analyzer({ ...opts, maxSourceSeries: 3 });
    small2.restore(ranked);
    assert.equal((small2.snapshot() as { sourceSeen: string[] }).sourceSeen.length, 3);
  });

  it('serve --web.listen=127.0.0.1:0 logs the port it bound', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-listen-'));
    writeFileSync(join(dir, 'audit.log'), '');
    const child = spawnCli(['serve', '--web.listen=127.0.0.1:0', `--audit.path=${join(dir, 'audit.log')}`, `--state.dir=${join(dir, 'state')}`,
      '--rbac.enabled=false', '--probe.enabled=false']);
    let err = '';
    child.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
    const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
    try {
      const t0 = Date.now();
      while (!/"msg":"serving"/.test(err) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
      const m = /"msg":"serving".*?"listen":"127\.0\.0\.1:(\d+)"/.exec(err);
      assert.ok(m, err);
      const port = Number(m[1]);
      assert.ok(port > 0, err);
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
