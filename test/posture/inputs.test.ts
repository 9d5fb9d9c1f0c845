import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { createPostureInputs, type Canary, type InspectorInput, type ProbeInput } from '../../src/posture/index.js';
import { ManualScheduler } from '../../src/posture/scheduler.js';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls.js';
import { startFakeApi } from './fakeapi.js';
import { makeHost, type TestHost } from './hosts.js';
import { sample, testContext } from './context.js';
import { matchGolden } from './golden.js';

function config(host: TestHost, url: string, over: (c: Config) => void = () => undefined): Config {
  const c = defaultConfig();
  c.apiserver = { ...host.apiserver, url };
  c.probe.timeoutSeconds = 2;
  over(c);
  return c;
}

describe('posture side inputs (stepped time)', function () {
  this.timeout(20_000);
  let cert: TestCert;
  before(() => { cert = makeSelfSignedCert(); });
  after(() => cert.cleanup());

  it('creates inspector and probe by default, canary only when enabled, probe only when enabled', () => {
    const host = makeHost({});
    try {
      assert.deepEqual(createPostureInputs(testContext(config(host, 'https://127.0.0.1:1'))).map((i) => i.name), ['inspector', 'probe']);
      const off = config(host, 'https://127.0.0.1:1', (c) => { c.probe.enabled = false; c.canary.enabled = true; });
      assert.deepEqual(createPostureInputs(testContext(off)).map((i) => i.name), ['inspector', 'canary']);
    } finally { host.cleanup(); }
  });

  it('inspector and probe publish SPEC metrics on every interval (exposition golden file)', async () => {
    const host = makeHost({ manifest: 'authconfig-args', authConfig: 'v1beta1-conditions', proc: ['kube-apiserver', '--authentication-config=/etc/kubernetes/authn/authentication-config.yaml'] });
    const api = await startFakeApi(cert, { mode: 'conditions', paths: ['/livez', '/readyz', '/healthz'] });
    const s = new ManualScheduler();
    const ctx = testContext(config(host, api.url));
    const [inspector, probe] = createPostureInputs(ctx, { scheduler: s }) as [InspectorInput, ProbeInput];
    try {
      await Promise.all([inspector.start(), probe.start()]);
      await Promise.all([inspector.idle(), probe.idle()]);
      assert.equal(api.seen.length, 7);
      assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'inspector' }), 1);
      assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'probe' }), 1);
      const text = (await ctx.registry.metrics()).split('\n').filter((l) => /k8s_anon_(auth|probe)_/.test(l)).join('\n');
      matchGolden('metrics-conditions.prom', `${text}\n`);
      await s.advance(59_000);
      assert.equal(api.seen.length, 7);
      await s.advance(1_000);
      await probe.idle();
      assert.equal(api.seen.length, 14);
    } finally { await inspector.stop(); await probe.stop(); await api.close(); host.cleanup(); }
  });

  it('an invalid manifest fails the inspector, drops its source and logs the finding once', async () => {
    const host = makeHost({ manifest: 'invalid', proc: 'without-apiserver' });
    const s = new ManualScheduler();
    const ctx = testContext(config(host, 'https://127.0.0.1:1', (c) => { c.probe.enabled = false; }));
    const [inspector] = createPostureInputs(ctx, { scheduler: s }) as [InspectorInput];
    try {
      await inspector.start();
      await s.advance(60_000);
      await inspector.idle();
      assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'inspector' }), 0);
      assert.equal(await sample(ctx.registry, 'k8s_anon_auth_enabled', { source: 'manifest' }), undefined);
      assert.equal(ctx.logs.filter((l) => l.code === 'manifest_invalid').length, 1);
    } finally { await inspector.stop(); host.cleanup(); }
  });

  it('an exposed server sets k8s_anon_probe_exposed; a refusal fails the probe collector', async () => {
    const host = makeHost({});
    const api = await startFakeApi(cert, { mode: 'exposed' });
    const ctx = testContext(config(host, api.url));
    const probe = createPostureInputs(ctx, { scheduler: new ManualScheduler() })[1] as ProbeInput;
    try {
      await probe.start();
      await probe.idle();
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_exposed', { path: '/api/v1/secrets?limit=1' }), 1);
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_exposed', { path: '/healthz' }), 0);
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_status_code', { path: '/api' }), 403);
      await probe.stop();
      const refused = testContext(config(host, 'https://127.0.0.1:1'));
      const p2 = createPostureInputs(refused, { scheduler: new ManualScheduler() })[1] as ProbeInput;
      await p2.start();
      await p2.idle();
      await p2.stop();
      assert.equal(await sample(refused.registry, 'k8s_anon_collector_success', { collector: 'probe' }), 0);
      assert.equal(await sample(refused.registry, 'k8s_anon_probe_status_code', { path: '/api' }), undefined);
      assert.equal(await sample(refused.registry, 'k8s_anon_probe_exposed', { path: '/api' }), undefined);
      assert.equal(await sample(refused.registry, 'k8s_anon_probe_up', { path: '/api' }), 0);
    } finally { await api.close(); host.cleanup(); }
  });

  it('canary sends on its interval to the API server with the marker in path and Audit-ID', async () => {
    const host = makeHost({});
    const api = await startFakeApi(cert, { mode: 'off' });
    const s = new ManualScheduler();
    const ctx = testContext(config(host, api.url, (c) => { c.probe.enabled = false; c.canary.enabled = true; }));
    const canary = createPostureInputs(ctx, { scheduler: s })[1] as Canary;
    try {
      await canary.start();
      await canary.idle();
      await s.advance(60_000);
      await canary.idle();
      assert.equal(api.seen.length, 2);
      assert.equal(await sample(ctx.registry, 'k8s_anon_canary_sent_total'), 2);
      for (const [i, seen] of api.seen.entries()) {
        const marker = `k8s-anon-exporter-canary-${canary.runId}-${i + 1}`;
        assert.equal(seen.path, `/api/v1/namespaces/default/configmaps/${marker}`);
        assert.equal(seen.headers['audit-id'], marker);
        assert.equal(seen.headers.authorization, undefined);
      }
      assert.equal(await sample(ctx.registry, 'k8s_anon_canary_missing_total'), 1);
    } finally { await canary.stop(); await api.close(); host.cleanup(); }
  });
});
