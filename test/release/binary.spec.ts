/** Release acceptance: the single executable runs with no Node and no environment (npm run test:release). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { freePort, REPO, waitFor } from '../integration/helpers.js';
import { applyFixture } from '../rbac/support.js';
import { VERSION } from '../../src/version.js';
import { artefact, RELEASE, runBare, startBare } from './run.js';

describe('release: the single executable', function () {
  this.timeout(120_000);
  let bin: string;
  let dir: string;
  before(() => { bin = artefact(/-linux-x64$/); dir = mkdtempSync(join(tmpdir(), 'release-bin-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SHA256SUMS lists every artefact with its digest', () => {
    const r = spawnSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: RELEASE, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /linux-x64: OK/);
    assert.match(r.stdout, /_amd64\.deb: OK/);
  });

  it('needs only the C and C++ runtime libraries', () => {
    const libs = spawnSync('ldd', [bin], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.trim().split(/\s/)[0]).filter(Boolean);
    for (const l of libs) assert.match(l as string, /^(linux-vdso|\/lib64\/ld-linux|lib(c|m|dl|pthread|stdc\+\+|gcc_s)\.so)/, l);
  });

  it('--version and report under env -i, from /', () => {
    const v = runBare(bin, ['--version']);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout, `${VERSION}\n`);
    assert.equal(v.stderr, '', 'no warnings (SEA, experimental)');
    const r = runBare(bin, ['report', '--format=json', join(REPO, 'test/fixtures/audit/stages.jsonl')]);
    assert.equal(r.status, 2, r.stderr);
    const rep = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.ok(Object.keys(rep).length > 0);
  });

  it('report on a file large enough to split: the executable starts its bundled range worker, and gives the same document as --jobs 1', () => {
    const big = join(dir, 'big.log');
    const lines = readFileSync(join(REPO, 'test/fixtures/audit/stages.jsonl'));
    writeFileSync(big, Buffer.concat(Array.from({ length: Math.ceil((9 << 20) / lines.length) }, () => lines)));
    const r = runBare(bin, ['report', '--format=json', big]);
    const one = runBare(bin, ['report', '--format=json', '--jobs=1', big]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, one.stdout);
  });

  it('serve under env -i: /metrics answers, SIGTERM exits 0', async () => {
    const audit = join(dir, 'audit.log');
    writeFileSync(audit, readFileSync(join(REPO, 'test/fixtures/audit/stages.jsonl')));
    const port = await freePort();
    const p = startBare(bin, ['serve', `--audit.path=${audit}`, `--state.dir=${join(dir, 'state')}`, `--web.listen=127.0.0.1:${port}`,
      '--audit.startAt=beginning', '--audit.watch=true', '--rbac.enabled=false', '--probe.enabled=false']); // watch: chokidar in the bundle
    try {
      const text = await waitFor('metrics', async () => {
        const r = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        const t = r?.ok ? await r.text() : undefined;
        return t && /^k8s_anon_requests_total\{/m.test(t) ? t : undefined;
      }, 30_000);
      assert.match(text, /^k8s_anon_requests_total\{/m);
    } finally { p.child.kill('SIGTERM'); }
    assert.equal(await p.exited, 0, p.out.stderr);
  });

  it('rbac reaches an API server through the bundled @kubernetes/client-node', async () => {
    const kube = new FakeKube();
    await kube.start();
    try {
      applyFixture(kube, 'kubeadm-defaults.yaml');
      const kc = writeKubeconfig(dir, kube.url);
      const r = startBare(bin, ['rbac', `--rbac.kubeconfig=${kc}`, '--format=json']);
      assert.equal(await r.exited, 0, r.out.stderr);
      assert.ok(JSON.parse(r.out.stdout));
    } finally { await kube.stop(); }
  });
});
