import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Counter, Registry } from 'prom-client';
import { Logger } from '../../src/log.js';
import { startHttp } from '../../src/serve/http.js';
import { loadWebConfig, PLAIN } from '../../src/web/config.js';
import { createWebServer } from '../../src/web/server.js';
import { requireBinary } from '../integration/helpers.js';
import { issue, makePki, type Pki } from './pki.js';
import { startScraper } from './scraper.js';

/** Runs curl and resolves to its exit code, the HTTP code it printed and stderr. */
function curl(args: string[]): Promise<{ exit: number | null; code: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', ...args]);
    let code = ''; let err = '';
    p.stdout.on('data', (d: Buffer) => { code += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (exit) => resolve({ exit, code, err }));
  });
}

/** The serial number of the certificate a TLS server presents. */
function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', ca: readFileSync(ca), agent: false }, (res) => {
      resolve((res.socket as TLSSocket).getPeerCertificate().serialNumber); res.resume();
    });
    req.on('error', reject).end();
  });
}

const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });

describe('web.config: TLS and basic auth on /metrics', function () {
  this.timeout(60_000);
  let pki: Pki;
  let server: Server;
  let base: string;
  const registry = new Registry();
  new Counter({ name: 'k8s_anon_test_total', help: 'test', registers: [registry] }).inc();

  before(async () => {
    pki = makePki();
    const file = join(pki.dir, 'web.yml');
    writeFileSync(file, ['tls_server_config:', '  cert_file: server.crt', '  key_file: server.key', 'basic_auth_users:',
      `  prometheus: '${bcrypt.hashSync('s3cret', 4)}'`, ''].join('\n'));
    server = await startHttp('127.0.0.1:0', registry, () => ({ ok: true, detail: {} }), undefined, undefined, { config: loadWebConfig(file) });
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => { await close(server); pki.cleanup(); });

  it('answers 401 without credentials or with a wrong password, 200 with them over https with the CA', async () => {
    assert.deepEqual((await curl(['--cacert', pki.ca, `https://${base}/metrics`])).code, '401');
    assert.deepEqual((await curl(['--cacert', pki.ca, '-u', 'prometheus:wrong', `https://${base}/metrics`])).code, '401');
    assert.deepEqual((await curl(['--cacert', pki.ca, '-u', 'nobody:s3cret', `https://${base}/metrics`])).code, '401');
    const ok = await curl(['--cacert', pki.ca, '-u', 'prometheus:s3cret', `https://${base}/metrics`]);
    assert.equal(ok.code, '200', ok.err);
    assert.equal((await curl(['--cacert', pki.ca, `https://${base}/healthz`])).code, '200', 'health probes need no credentials');
  });

  it('refuses plain HTTP and clients that do not trust the certificate', async () => {
    const plain = await curl(['-u', 'prometheus:s3cret', `http://${base}/metrics`]);
    assert.notEqual(plain.exit, 0, `plain HTTP got ${plain.code}`);
    assert.notEqual(plain.code, '200');
    const untrusted = await curl(['-u', 'prometheus:s3cret', `https://${base}/metrics`]);
    assert.equal(untrusted.exit, 60, untrusted.err);
  });

  it('a real Prometheus scrapes it with the CA and basic auth', async function () {
    const bin = requireBinary(this, 'prometheus');
    if (!bin) return;
    const prom = await startScraper(bin, base, pki.ca, 'prometheus', 's3cret');
    try {
      const up = await prom.waitUp();
      assert.equal(up, '1', prom.output());
    } finally { await prom.stop(); }
  });
});

describe('web.config: certificate reload, client certificates, exposure warning', function () {
  this.timeout(60_000);
  let pki: Pki;
  before(() => { pki = makePki(); });
  after(() => pki.cleanup());

  it('serves a replaced certificate after its files change, and keeps the old one on a broken rewrite', async () => {
    const tls = { certFile: join(pki.dir, 'live.crt'), keyFile: join(pki.dir, 'live.key'), clientCAFile: undefined, clientAuthType: 'NoClientCert' as const, minVersion: 'TLSv1.2' as const };
    copyFileSync(pki.cert, tls.certFile); copyFileSync(pki.key, tls.keyFile);
    const lines: string[] = [];
    const web = createWebServer({ tls, users: new Map() }, (_q, r) => r.end('ok'), '127.0.0.1', new Logger({}, 'info', (l) => lines.push(l)));
    await new Promise<void>((r) => web.server.listen(0, '127.0.0.1', r));
    const port = (web.server.address() as AddressInfo).port;
    try {
      const first = await servedSerial(port, pki.ca);
      assert.equal(first, new X509Certificate(readFileSync(pki.cert)).serialNumber);
      assert.equal(web.reloadTls(), false, 'nothing changed');
      writeFileSync(tls.keyFile, 'not a key');
      assert.equal(web.reloadTls(), false, 'broken key: not reloaded');
      assert.match(lines.join(''), /not reloaded/);
      assert.equal(await servedSerial(port, pki.ca), first, 'still the old certificate');
      const next = issue(pki.dir, 'server2', 'IP:127.0.0.1');
      copyFileSync(next.cert, tls.certFile); copyFileSync(next.key, tls.keyFile);
      assert.equal(web.reloadTls(), true);
      const second = await servedSerial(port, pki.ca);
      assert.equal(second, new X509Certificate(readFileSync(next.cert)).serialNumber);
      assert.notEqual(second, first);
    } finally { await close(web.server); }
  });

  it('RequireAndVerifyClientCert: refuses a client without a certificate, serves one with a certificate from the CA', async () => {
    const file = join(pki.dir, 'mtls.yml');
    writeFileSync(file, `tls_server_config: {cert_file: server.crt, key_file: server.key, client_ca_file: ca.crt}\n`);
    const server = await startHttp('127.0.0.1:0', new Registry(), () => ({ ok: true, detail: {} }), undefined, undefined, { config: loadWebConfig(file) });
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    try {
      assert.notEqual((await curl(['--cacert', pki.ca, url])).code, '200');
      const ok = await curl(['--cacert', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey, url]);
      assert.equal(ok.code, '200', ok.err);
    } finally { await close(server); }
  });

  it('warns when a non-loopback address has neither TLS nor auth, and only then', () => {
    const lines: string[] = [];
    const log = new Logger({}, 'info', (l) => lines.push(l));
    const h = () => undefined;
    createWebServer(PLAIN, h, '127.0.0.1', log);
    createWebServer(PLAIN, h, '::1', log);
    assert.equal(lines.length, 0);
    createWebServer(PLAIN, h, '0.0.0.0', log);
    createWebServer({ tls: undefined, users: new Map([['u', 'x']]) }, h, '10.0.0.1', log);
    assert.equal(lines.length, 1);
    assert.match(lines[0] as string, /"level":"warn".*neither TLS nor basic auth.*"host":"0.0.0.0"/);
  });
});
