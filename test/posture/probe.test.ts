import assert from 'node:assert/strict';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { probeAll } from '../../src/posture/probe.js';
import { decide } from '../../src/posture/verdict.js';
import { inspect } from '../../src/posture/inspect.js';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls.js';
import { startFakeApi, type Behaviour } from './fakeapi.js';
import { makeHost, type TestHost } from './hosts.js';

const HEALTH_CONDITIONS: Behaviour = { mode: 'conditions', paths: ['/livez', '/readyz', '/healthz'] };

function cfg(url: string, over: Partial<Config['probe']> = {}, caFile?: string): Config {
  const c = defaultConfig();
  c.apiserver.url = url;
  c.apiserver.caFile = caFile;
  c.probe = { ...c.probe, timeoutSeconds: 2, ...over };
  return c;
}

const codes = (rs: { path: string; statusCode: number | null }[]): Record<string, number | null> => Object.fromEntries(rs.map((r) => [r.path, r.statusCode]));

describe('posture probe against a local HTTPS server', () => {
  let cert: TestCert;
  let nothing: TestHost;
  before(() => { cert = makeSelfSignedCert(); nothing = makeHost({}); });
  after(() => { cert.cleanup(); nothing.cleanup(); });

  it('locked down with conditions: health paths 200, everything else 401, nothing exposed', async () => {
    const api = await startFakeApi(cert, HEALTH_CONDITIONS);
    try {
      const c = cfg(api.url);
      const rs = await probeAll(c.apiserver, c.probe);
      assert.deepEqual(codes(rs), {
        '/version': 401, '/healthz': 200, '/livez': 200, '/readyz': 200, '/api': 401,
        '/api/v1/namespaces/default/pods?limit=1': 401, '/api/v1/secrets?limit=1': 401,
      });
      assert.ok(rs.every((r) => !r.exposed));
      const d = decide(inspect(nothing.apiserver), rs);
      assert.equal(d.verdict, 'locked_down');
    } finally { await api.close(); }
  });

  it('sends no credentials and marks requests with a probe Audit-ID', async () => {
    const api = await startFakeApi(cert, { mode: 'off' });
    try {
      const c = cfg(api.url);
      await probeAll(c.apiserver, c.probe);
      assert.equal(api.seen.length, 7);
      for (const s of api.seen) {
        assert.equal(s.headers.authorization, undefined);
        assert.equal(s.headers.cookie, undefined);
        assert.match(String(s.headers['audit-id']), /^k8s-anon-exporter-probe-[0-9a-f]{16}-\d$/);
        assert.match(String(s.headers['user-agent']), /^k8s-anon-exporter\//);
      }
    } finally { await api.close(); }
  });

  it('--anonymous-auth=false: /livez 401 is locked down, with the load-balancer note', async () => {
    const api = await startFakeApi(cert, { mode: 'off' });
    try {
      const c = cfg(api.url);
      const rs = await probeAll(c.apiserver, c.probe);
      const d = decide(inspect(nothing.apiserver), rs);
      assert.equal(d.verdict, 'locked_down');
      assert.ok(d.nextSteps.some((s) => /load-balancer HTTP checks must accept 401/.test(s)));
    } finally { await api.close(); }
  });

  it('exposed: 200 on /api/v1/secrets is exposed; 200 on health paths is not', async () => {
    const api = await startFakeApi(cert, { mode: 'exposed' });
    try {
      const c = cfg(api.url);
      const rs = await probeAll(c.apiserver, c.probe);
      assert.deepEqual(rs.filter((r) => r.exposed).map((r) => r.path), ['/api/v1/secrets?limit=1']);
      const d = decide(inspect(nothing.apiserver), rs);
      assert.equal(d.verdict, 'exposed');
      assert.ok(d.nextSteps.some((s) => /RBAC grant/.test(s)));
    } finally { await api.close(); }
  });

  it('anonymous on with RBAC 403s: no probe exposed, but the verdict is exposed', async () => {
    const api = await startFakeApi(cert, { mode: 'rbac' });
    try {
      const c = cfg(api.url);
      const rs = await probeAll(c.apiserver, c.probe);
      assert.ok(rs.every((r) => !r.exposed));
      const d = decide(inspect(nothing.apiserver), rs);
      assert.equal(d.verdict, 'exposed');
      assert.match(d.reasons.join('\n'), /\/api answered 403: anonymous requests get past authentication/);
    } finally { await api.close(); }
  });

  it('verifies the server with apiserver.caFile, and reports a TLS failure with the wrong CA', async () => {
    const other = makeSelfSignedCert();
    const api = await startFakeApi(cert, { mode: 'off' });
    try {
      const good = cfg(api.url, { paths: ['/api'] }, cert.certFile);
      assert.equal((await probeAll(good.apiserver, good.probe))[0]?.statusCode, 401);
      const bad = cfg(api.url, { paths: ['/api'] }, other.certFile);
      const [r] = await probeAll(bad.apiserver, bad.probe);
      assert.equal(r?.statusCode, null);
      assert.match(r?.error ?? '', /^TLS: /);
      const missing = cfg(api.url, { paths: ['/api'] }, `${other.dir}/nope.pem`);
      assert.match((await probeAll(missing.apiserver, missing.probe))[0]?.error ?? '', /apiserver\.caFile/);
    } finally { await api.close(); other.cleanup(); }
  });
});

describe('posture probe failures are reported, not thrown', () => {
  it('a server that never answers: timeout', async () => {
    const sockets: Socket[] = [];
    const server: Server = createTcpServer((s) => { sockets.push(s); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const c = cfg(`https://127.0.0.1:${port}`, { timeoutSeconds: 0.3, paths: ['/livez', '/api'] });
      const t0 = Date.now();
      const rs = await probeAll(c.apiserver, c.probe);
      assert.ok(Date.now() - t0 < 2000);
      assert.deepEqual(rs.map((r) => [r.statusCode, r.error]), [[null, 'timeout after 0.3s'], [null, 'timeout after 0.3s']]);
    } finally { sockets.forEach((s) => s.destroy()); server.close(); }
  });

  it('a closed port: connection refused, and an unreadable inspector makes the verdict unknown', async () => {
    const server = createTcpServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const c = cfg(`https://127.0.0.1:${port}`);
    const rs = await probeAll(c.apiserver, c.probe);
    assert.ok(rs.every((r) => r.statusCode === null && r.error === 'connection refused'));
    const h = makeHost({ manifest: 'invalid' });
    try {
      const d = decide(inspect(h.apiserver), rs);
      assert.equal(d.verdict, 'unknown');
      assert.match(d.reasons[0] ?? '', /no non-health probe got an answer/);
    } finally { h.cleanup(); }
  });
});
