/** `serve`'s start-up loads the Kubernetes client only when an input uses it: loading it costs about 0.35 s. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_TSX, REPO, freePort, waitFor } from '../integration/helpers.js';
import { writeKubeconfig } from '../helpers/fake-kube.js';

/** A module hook that names every loaded module of the Kubernetes client on stderr. */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
  "export async function load(url, ctx, next) { if (url.includes('/@kubernetes/client-node/')) process.stderr.write('module-loaded: client-node\\n'); return next(url, ctx); }",
)}));
`)}`;

interface Run { child: ChildProcess; err: () => string }

async function serve(args: string[]): Promise<Run> {
  const listen = `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, ['--import', HOOK, ...NODE_TSX, join(REPO, 'src', 'cli.ts'), 'serve', `--web.listen=${listen}`, ...args],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
  return { child, err: () => err };
}

async function stop(r: Run): Promise<void> {
  if (r.child.exitCode !== null) return;
  const gone = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGTERM');
  await gone;
}

describe('serve start-up', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k8s-anon-startup-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => {
    writeFileSync(join(dir, 'audit.log'), '');
    return [`--audit.path=${join(dir, 'audit.log')}`, `--state.dir=${dir}`, '--probe.enabled=false'];
  };

  it('without RBAC watching or probing, serves without loading @kubernetes/client-node', async () => {
    const r = await serve([...base(), '--rbac.enabled=false']);
    try {
      await waitFor('serving', () => r.err().includes('"msg":"serving"'), 60_000, 50);
      assert.doesNotMatch(r.err(), /module-loaded: client-node/);
    } finally { await stop(r); }
  });

  it('the hook sees the client load once the RBAC watch starts (the check above can fail)', async () => {
    const r = await serve([...base(), '--rbac.enabled=true', `--rbac.kubeconfig=${writeKubeconfig(dir, 'https://127.0.0.1:1')}`]);
    try {
      await waitFor('client-node loaded', () => r.err().includes('module-loaded: client-node'), 60_000, 50);
    } finally { await stop(r); }
  });
});
