/** The `rbac` command as a child process against the fake API server. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { applyFixture, matchGolden, ROOT } from './support.js';

interface Result { code: number | null; stdout: string; stderr: string }

/** Runs the CLI with a clean environment (no inherited kubeconfig or in-cluster variables). */
function cli(args: string[], home = tmpdir()): Promise<Result> {
  const env = { PATH: process.env.PATH ?? '', HOME: home };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'rbac', ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('rbac command (child process, fake API server)', function () {
  this.timeout(120_000);
  let kube: FakeKube;
  let dir: string;
  let kc: string;

  beforeEach(async () => {
    kube = new FakeKube();
    await kube.start();
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-rbac-cli-'));
    kc = writeKubeconfig(dir, kube.url);
    applyFixture(kube, 'kubeadm-defaults.yaml');
  });

  afterEach(async () => {
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('falls back to ~/.kube/config like kubectl', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    copyFileSync(kc, join(home, '.kube', 'config'));
    const r = await cli(['--format=json'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { unexpectedCount: number }).unexpectedCount, 0);
    const none = await cli(['--format=json'], join(dir, 'nohome'));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /create ~\/\.kube\/config/);
  });

  it('exits 0 on kubeadm defaults; JSON reports live additions (exit 2) and removals (exit 0)', async () => {
    const before = await cli([`--rbac.kubeconfig=${kc}`, '--format', 'json']);
    assert.equal(before.code, 0, before.stderr);
    matchGolden('cli-defaults.json', before.stdout);

    applyFixture(kube, 'view-binding.yaml');
    applyFixture(kube, 'aggregated.yaml');
    const added = await cli([`--rbac.kubeconfig=${kc}`, '--format=json']);
    assert.equal(added.code, 2, added.stderr);
    const doc = JSON.parse(added.stdout) as { bindings: { name: string; expected: boolean; capabilities: string[] }[]; unexpectedCount: number; capabilities: Record<string, boolean> };
    assert.equal(doc.unexpectedCount, 2);
    assert.deepEqual(doc.bindings.filter((b) => !b.expected).map((b) => `${b.name}:${b.capabilities.join('+')}`), ['anonymous-view:read_configmaps+list_pods', 'ci-artifacts-public:read_secrets']);
    assert.equal(doc.capabilities.read_secrets, true);

    kube.remove('clusterrolebindings', '', 'anonymous-view');
    kube.remove('rolebindings', 'ci', 'ci-artifacts-public');
    const removed = await cli([`--rbac.kubeconfig=${kc}`, '--format', 'json']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, before.stdout);
  });

  it('prints an escaped table, kubectl delete commands and the autoupdate note', async () => {
    applyFixture(kube, 'pre114-discovery.yaml');
    kube.apply('rolebindings', {
      metadata: { name: "evil\u001b[2J'name", namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' },
      subjects: [{ kind: 'User', name: 'system:anonymous' }],
    });
    const r = await cli([`--rbac.kubeconfig=${kc}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stdout, /\u001b/);
    matchGolden('cli-pre114.txt', r.stdout);
  });

  it('403: exit 1 with one line naming the missing permission', async () => {
    kube.forbidden.add('rolebindings');
    const r = await cli([`--rbac.kubeconfig=${kc}`]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /forbidden: missing permission list rolebindings\.rbac\.authorization\.k8s\.io/);
  });

  it('unreachable API server or no kubeconfig: exit 1 with one line', async () => {
    await kube.stop();
    const r = await cli([`--rbac.kubeconfig=${kc}`, '--format', 'json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^k8s-anon-exporter rbac: API server unreachable at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
    const none = await cli([]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^k8s-anon-exporter rbac: no kubeconfig/);
  });

  it('rejects a bad --format and prints --help', async () => {
    const bad = await cli([`--rbac.kubeconfig=${kc}`, '--format', 'yaml']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--format must be one of text, json; got "yaml"/);
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: k8s-anon-exporter rbac/);
    assert.match(help.stdout, /--rbac\.kubeconfig/);
  });
});
