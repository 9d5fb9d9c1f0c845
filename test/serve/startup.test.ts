/** `serve`'s start-up loads the Kubernetes client only when an input uses it: loading it costs about 0.35 s. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../integration/helpers.js';
import { writeKubeconfig } from '../helpers/fake-kube.js';
import { ServeChild } from './child.js';

/** A module hook that names every loaded module of the Kubernetes client on stderr. */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
  "export async function load(url, ctx, next) { if (url.includes('/@kubernetes/client-node/')) process.stderr.write('module-loaded: client-node\\n'); return next(url, ctx); }",
)}));
`)}`;

const serve = (args: string[]): Promise<ServeChild> => ServeChild.start(args, {}, ['--import', HOOK]);

describe('serve start-up', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k8s-anon-startup-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => {
    writeFileSync(join(dir, 'audit.log'), '');
    return [`--audit.path=${join(dir, 'audit.log')}`, `--state.dir=${dir}`, '--probe.enabled=false'];
  };

  it('without RBAC watching or probing, serves without loading @kubernetes/client-node', async () => {
    const c = await serve([...base(), '--rbac.enabled=false']);
    try {
      assert.doesNotMatch(c.stderr(), /module-loaded: client-node/);
    } finally { await c.kill(); }
  });

  it('the hook sees the client load once the RBAC watch starts (the check above can fail)', async () => {
    const c = await serve([...base(), '--rbac.enabled=true', `--rbac.kubeconfig=${writeKubeconfig(dir, 'https://127.0.0.1:1')}`]);
    try {
      await waitFor('client-node loaded', () => c.stderr().includes('module-loaded: client-node'), 60_000, 50);
    } finally { await c.kill(); }
  });
});
