import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { NetdataPlugin } from '../../src/netdata/plugin.js';
import { MetricIndex, parseExposition } from '../../src/netdata/promtext.js';
import { extract, windowQuantile } from '../../src/posture/apiserver-parse.js';
import { createPostureInputs, ManualScheduler } from '../../src/posture/index.js';
import type { ApiserverMetricsInput } from '../../src/posture/apiserver-input.js';
import { matchGolden } from '../helpers/golden.js';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls.js';
import { sample, testContext } from './context.js';

/** An exposition like kube-apiserver's: 401s among other codes, latency buckets for GET and LIST, a WATCH series to leave out. */
function exposition(n401: number, fast: number, slow: number): string {
  const b = (verb: string, le: string, v: number): string => `apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="${verb}",version="v1",le="${le}"} ${v}`;
  const hist = (verb: string, f: number, s: number): string[] => [
    b(verb, '0.005', 0), b(verb, '0.1', f), b(verb, '1', f + s), b(verb, '+Inf', f + s),
    `apiserver_request_duration_seconds_sum{component="apiserver",resource="pods",verb="${verb}",version="v1"} ${(f * 0.05 + s * 0.5).toFixed(3)}`,
    `apiserver_request_duration_seconds_count{component="apiserver",resource="pods",verb="${verb}",version="v1"} ${f + s}`,
  ];
  return [
    '# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    '# TYPE apiserver_request_total counter',
    `apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="GET",version="v1"} 5000`,
    `apiserver_request_total{code="401",component="",dry_run="",group="",resource="",scope="",subresource="/api",verb="GET",version=""} ${n401}`,
    `apiserver_request_total{code="401",component="",dry_run="",group="",resource="",scope="",subresource="/readyz",verb="GET",version=""} 7`,
    '# TYPE apiserver_request_duration_seconds histogram',
    ...hist('GET', fast, slow), ...hist('LIST', 10, 0), ...hist('WATCH', 0, 1000),
    'etcd_request_duration_seconds_bucket{le="0.005",operation="get",type="pods"} 1',
    '',
  ].join('\n');
}

describe('apiserver.metrics.enabled: the API server /metrics feeds the mirror and the Netdata charts', function () {
  this.timeout(30_000);
  let cert: TestCert;
  let server: Server;
  let dir: string;
  let body = exposition(3, 90, 0);
  const auth: (string | undefined)[] = [];

  before(async () => {
    cert = makeSelfSignedCert();
    server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      auth.push(req.headers.authorization);
      if (req.url !== '/metrics') { res.writeHead(404).end(); return; }
      if (req.headers.authorization !== 'Bearer fake-token') { res.writeHead(401).end('Unauthorized'); return; }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dir = mkdtempSync(join(tmpdir(), 'apiserver-metrics-'));
  });
  after(async () => { server.closeAllConnections(); await new Promise<void>((r) => server.close(() => r())); cert.cleanup(); rmSync(dir, { recursive: true, force: true }); });

  it('extracts 401s and non-long-running latency; window quantiles interpolate like histogram_quantile', () => {
    const s = extract(exposition(3, 90, 10).split('\n'));
    assert.equal(s.unauthorized, 10);
    assert.deepEqual(s.duration, { bounds: [0.005, 0.1, 1], counts: [0, 100, 110], sum: 10, count: 110 });
    const later = extract(exposition(3, 90, 110).split('\n')).duration!;
    assert.equal(windowQuantile(s.duration, later, 0.99), 0.1 + (0.9 * 99) / 100);
    assert.equal(windowQuantile(later, later, 0.99), undefined);
  });

  it('reads with the kubeconfig credentials over verified TLS; two reads render the golden Netdata output', async () => {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'current-context: c', 'clusters:', '- name: c', '  cluster:', `    server: ${url}`, `    certificate-authority: ${cert.certFile}`,
      'users:', '- name: u', '  user:', '    token: fake-token', 'contexts:', '- name: c', '  context:', '    cluster: c', '    user: u', ''].join('\n'));
    const config = loadConfig(undefined, new Map([['apiserver.urls', url], ['apiserver.metrics.enabled', 'true'], ['rbac.kubeconfig', kubeconfig], ['probe.enabled', 'false'],
      ['apiserver.manifest', join(dir, 'none.yaml')], ['apiserver.procRoot', dir]]));
    const ctx = testContext(config);
    const s = new ManualScheduler(Date.UTC(2026, 0, 1));
    const input = createPostureInputs(ctx, { scheduler: s }).find((i) => i.name === 'apiserver_metrics') as ApiserverMetricsInput;
    const plugin = new NetdataPlugin(1, { fetchMetrics: async () => '', write: () => undefined, now: () => 0, sleep: async () => undefined, log: silentLogger });
    const keep = (text: string): string => text.split(/(?=^(?:CHART|BEGIN) )/m).filter((b) => /^(?:CHART|BEGIN) k8s_anon\.apiserver_/.test(b)).join('');
    const render = async (): Promise<string> => keep(plugin.render(new MetricIndex(parseExposition(await ctx.registry.metrics()), s.now())));
    try {
      await input.start();
      await input.idle();
      assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'apiserver_metrics' }), 1);
      const label = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal(await sample(ctx.registry, 'k8s_anon_apiserver_unauthorized_requests_total', { apiserver: label }), 10);
      const first = await render();
      body = exposition(63, 190, 10);
      await s.advance(60_000);
      await input.idle();
      assert.equal(await sample(ctx.registry, 'k8s_anon_apiserver_unauthorized_requests_total', { apiserver: label }), 70);
      assert.equal(await sample(ctx.registry, 'k8s_anon_apiserver_request_duration_seconds_count', { apiserver: label }), 210);
      assert.equal(await sample(ctx.registry, 'k8s_anon_apiserver_request_latency_seconds', { apiserver: label, quantile: '0.99' }), 0.1 + 0.9 * ((0.99 * 110 - 100) / 10));
      body = exposition(5, 1, 0);
      await s.advance(60_000);
      await input.idle();
      assert.equal(await sample(ctx.registry, 'k8s_anon_apiserver_unauthorized_requests_total', { apiserver: label }), 82, 'an API server restart adds the new count, never goes down');
      const second = await render();
      matchGolden('posture', 'apiserver-metrics-netdata.txt', `${first}${second}`.split(label.replace(/[.:]/g, '_')).join('<apiserver>').split(label).join('<apiserver>'));
      assert.ok(auth.every((a) => a === 'Bearer fake-token'), 'every request carried the kubeconfig token');
    } finally { await input.stop(); }
  });

  it('a 403 fails the collector with the missing permission named', async () => {
    const config = loadConfig(undefined, new Map([['apiserver.urls', 'https://127.0.0.1:1'], ['apiserver.metrics.enabled', 'true'], ['probe.enabled', 'false'], ['apiserver.manifest', join(dir, 'none.yaml')], ['apiserver.procRoot', dir]]));
    const ctx = testContext(config);
    const input = createPostureInputs(ctx, { scheduler: new ManualScheduler(), metricsFetch: () => Promise.reject(new Error('HTTP 403: the credentials lack get on nonResourceURL /metrics (see deploy/rbac.yaml)')) })
      .find((i) => i.name === 'apiserver_metrics') as ApiserverMetricsInput;
    await input.start();
    await input.idle();
    await input.stop();
    assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'apiserver_metrics' }), 0);
    assert.ok(ctx.logs.some((l) => String(l.error).includes('nonResourceURL /metrics')));
    assert.equal(await sample(ctx.registry, 'k8s_anon_apiserver_unauthorized_requests_total', { apiserver: '127.0.0.1:1' }), undefined, 'unknown is absent, not 0');
  });
});
