/** End to end: `serve` as a child process with an audit log and the fake API server. */
import { freePort } from '../helpers/net.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { applyFixture, ROOT, until } from './support.js';


/** One audit event line (Metadata level: no request or response objects). */
function auditLine(verb: string, user: string, resource: string, name: string, code: number, uri: string): string {
  return `${JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `id-${name}-${verb}`, stage: 'ResponseComplete',
    requestURI: uri, verb, user: { username: user, groups: user === 'system:anonymous' ? ['system:unauthenticated'] : ['system:masters', 'system:authenticated'] },
    sourceIPs: ['10.0.0.5'], userAgent: 'kubectl/v1.30.0',
    objectRef: { resource, name, apiGroup: resource.endsWith('bindings') ? 'rbac.authorization.k8s.io' : '', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code }, requestReceivedTimestamp: '2026-11-28T14:02:00.000000Z', stageTimestamp: '2026-11-28T14:02:00.010000Z',
  })}\n`;
}

describe('rbac in serve (child process)', function () {
  this.timeout(120_000);
  let kube: FakeKube;
  let dir: string;
  let child: ChildProcess | undefined;
  let stderr: string;
  let port: number;

  const metrics = async (): Promise<string> => {
    try { return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(); } catch { return ''; }
  };
  const serve = async (): Promise<void> => {
    port = await freePort();
    const args = [
      `--audit.path=${join(dir, 'audit.log')}`, '--audit.startAt=beginning', `--state.dir=${join(dir, 'state')}`,
      `--web.listen=127.0.0.1:${port}`, `--rbac.kubeconfig=${writeKubeconfig(dir, kube.url)}`, '--probe.enabled=false',
      `--apiserver.manifest=${join(dir, 'none.yaml')}`, `--apiserver.procRoot=${join(dir, 'proc')}`,
    ];
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
    await until(async () => (await metrics()).includes('k8s_anon_rbac_up'), 60_000, `serve ready\n${stderr}`);
  };

  beforeEach(async () => {
    kube = new FakeKube();
    await kube.start();
    applyFixture(kube, 'kubeadm-defaults.yaml');
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-rbac-serve-'));
    writeFileSync(join(dir, 'audit.log'), '');
    stderr = '';
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-lists when the audit log shows a write the stalled watch missed, then reflects live changes in /metrics', async () => {
    await serve();
    await until(async () => /^k8s_anon_rbac_up 1$/m.test(await metrics()), 60_000, 'rbac up');
    kube.hold = true; // the watch stalls: only the audit log tells the daemon
    kube.apply('clusterrolebindings', {
      metadata: { name: 'late-binding' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'system:unauthenticated' }],
    });
    appendFileSync(join(dir, 'audit.log'), auditLine('create', 'kubernetes-admin', 'clusterrolebindings', 'late-binding', 201, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'));
    await until(async () => (await metrics()).includes('name="late-binding"'), 60_000, `re-list after the audited write\n${stderr}`);
    const text = await metrics();
    assert.match(text, /^k8s_anon_rbac_unexpected_bindings 1$/m);
    assert.match(text, /^k8s_anon_rbac_binding_writes_unverified_total\{kind="ClusterRoleBinding",verb="create"\} 1$/m);
    assert.match(stderr, /rbac re-listed after an audited binding write/);

    kube.release();
    applyFixture(kube, 'view-binding.yaml');
    await until(async () => (await metrics()).includes('name="anonymous-view"'), 60_000, 'added binding in /metrics');
    kube.remove('clusterrolebindings', '', 'anonymous-view');
    await until(async () => !(await metrics()).includes('name="anonymous-view"'), 60_000, 'removed binding gone from /metrics');
  });

  it('403: rbac_up 0 and one error line, while the audit log is still tailed', async () => {
    for (const r of ['clusterrolebindings', 'rolebindings', 'clusterroles', 'roles'] as const) kube.forbidden.add(r);
    await serve();
    assert.match(await metrics(), /^k8s_anon_rbac_up 0$/m);
    appendFileSync(join(dir, 'audit.log'), auditLine('get', 'system:anonymous', 'secrets', 'db', 200, '/api/v1/namespaces/default/secrets/db'));
    await until(async () => /^k8s_anon_sensitive_requests_total\{[^}]*resource="secrets"[^}]*\} 1$/m.test(await metrics()), 60_000, `anonymous request counted\n${stderr}`);
    const failures = stderr.split('\n').filter((l) => l.includes('"rbac watch failed"'));
    assert.equal(failures.length, 1, stderr);
    assert.match(failures[0] ?? '', /forbidden: missing permission list clusterrolebindings\.rbac\.authorization\.k8s\.io/);
  });
});
