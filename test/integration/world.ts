/** A complete node for end-to-end tests: audit log, fake API server and RBAC API, kube-apiserver manifest, and the real daemon. */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { startFakeApi, type FakeApi } from '../posture/fakeapi.js';
import { CLI_COMMAND, REPO, freePort, start, waitFor } from './helpers.js';

/** A running world. */
export interface World {
  dir: string;
  logPath: string;
  listen: string;
  append(text: string): void;
  metrics(): Promise<string>;
  daemonOutput(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

const rbacRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

function seedRbac(kube: FakeKube, exposed: boolean): void {
  kube.apply('clusterroles', { metadata: { name: 'system:public-info-viewer' }, rules: [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }] });
  kube.apply('clusterrolebindings', { metadata: { name: 'system:public-info-viewer' }, roleRef: rbacRef('ClusterRole', 'system:public-info-viewer'), subjects: [rbacRef('Group', 'system:authenticated'), rbacRef('Group', 'system:unauthenticated')] });
  if (!exposed) return;
  kube.apply('clusterroles', { metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] });
  kube.apply('clusterrolebindings', { metadata: { name: 'anon-secrets' }, roleRef: rbacRef('ClusterRole', 'secret-reader'), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:anonymous' }] });
}

/** Starts the daemon on `initialLog`; `exposed` picks an anonymous-auth manifest, an API answering 200 on secrets and a bad binding. */
export async function startWorld(initialLog: string, exposed: boolean, extra: string[] = []): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-world-'));
  const logPath = join(dir, 'audit.log');
  writeFileSync(logPath, initialLog, { mode: 0o600 });
  const manifest = join(dir, 'kube-apiserver.yaml');
  copyFileSync(join(REPO, 'test', 'fixtures', 'integration', exposed ? 'kube-apiserver-anonymous.yaml' : 'kube-apiserver-locked.yaml'), manifest);
  mkdirSync(join(dir, 'proc'));
  const cert = makeSelfSignedCert();
  const api: FakeApi = await startFakeApi(cert, exposed ? { mode: 'exposed' } : { mode: 'off' });
  const kube = new FakeKube();
  await kube.start();
  seedRbac(kube, exposed);
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const daemon = start(CLI_COMMAND[0] as string, [...CLI_COMMAND.slice(1), 'serve',
    `--audit.path=${logPath}`, '--audit.startAt=beginning', `--state.dir=${join(dir, 'state')}`, `--web.listen=${listen}`,
    '--rbac.enabled=true', `--rbac.kubeconfig=${writeKubeconfig(dir, kube.url)}`,
    `--apiserver.manifest=${manifest}`, `--apiserver.procRoot=${join(dir, 'proc')}`, `--apiserver.hostRoot=${dir}`,
    `--apiserver.url=${api.url}`, '--probe.enabled=true', '--probe.intervalSeconds=1', '--inspect.intervalSeconds=1', ...extra]);
  const metrics = async (): Promise<string> => (await fetch(`http://${listen}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  await waitFor('daemon /metrics', () => metrics().then((t) => t.includes('k8s_anon_audit_up 1')), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${daemon.out.stderr.slice(-3000)}`);
  });
  return {
    dir, logPath, listen, metrics,
    append: (text) => appendFileSync(logPath, text),
    daemonOutput: () => daemon.out,
    stop: async () => {
      await daemon.stop();
      await Promise.all([api.close(), kube.stop()]);
      cert.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
