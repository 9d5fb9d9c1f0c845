/** The webhook input's gate: client certificates checked in the TLS handshake, bearer tokens, body limit, bad bodies. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { startDaemon, type Daemon } from '../../src/serve/daemon.js';
import { freePort } from '../helpers/net.js';
import { makePki, type Pki } from '../../bench/pki.js';
import { eventList, post, type Target } from '../../bench/webhook-client.js';

const EXAMPLES = readFileSync(new URL('../fixtures/audit/stages.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);

async function start(dir: string, extra: Record<string, string>): Promise<{ d: Daemon; url: string }> {
  const port = await freePort();
  const cfg = loadConfig(undefined, new Map(Object.entries({
    'audit.path': '', 'state.dir': dir, 'web.listen': `127.0.0.1:${await freePort()}`, 'webhook.listen': `127.0.0.1:${port}`,
    'probe.enabled': 'false', 'rbac.enabled': 'false', ...extra,
  })));
  const d = await startDaemon(cfg, silentLogger);
  return { d, url: `${extra['webhook.tls.certFile'] ? 'https' : 'http'}://127.0.0.1:${port}/audit/webhook` };
}

async function metric(d: Daemon, name: string): Promise<number> {
  const m = (await d.registry.getSingleMetric(name)?.get())?.values ?? [];
  return m.reduce((s, v) => s + v.value, 0);
}

async function codeCount(d: Daemon, code: string): Promise<number> {
  const m = (await d.registry.getSingleMetric('k8s_anon_webhook_requests_total')?.get())?.values ?? [];
  return m.find((v) => v.labels.code === code)?.value ?? -1;
}

describe('webhook input: authentication and limits', function () {
  this.timeout(60_000);
  let pki: Pki;
  let dir: string;
  before(() => { pki = makePki(); });
  after(() => pki.cleanup());
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'webhook-auth-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('mutual TLS', () => {
    let d: Daemon;
    let url: string;
    beforeEach(async () => {
      ({ d, url } = await start(dir, { 'webhook.tls.certFile': pki.server.certFile, 'webhook.tls.keyFile': pki.server.keyFile, 'webhook.tls.clientCAFile': pki.ca.certFile }));
    });
    afterEach(() => d.stop());
    const good = (): Target => ({ url, caFile: pki.ca.certFile, certFile: pki.client.certFile, keyFile: pki.client.keyFile });

    it('counts a batch from a client certificate of the configured CA', async () => {
      const r = await post(good(), eventList(EXAMPLES));
      assert.equal(r.status, 200, r.body);
      assert.equal(await metric(d, 'k8s_anon_webhook_events_total'), EXAMPLES.length);
      assert.equal(d.analyzer.linesSeen(), EXAMPLES.length);
    });

    it('rejects a client without a certificate in the TLS handshake', async () => {
      await assert.rejects(post({ url, caFile: pki.ca.certFile }, eventList(EXAMPLES)), (e: NodeJS.ErrnoException) => /certificate|ECONNRESET|EPROTO|socket hang up/i.test(`${e.code} ${e.message}`));
      assert.equal(await metric(d, 'k8s_anon_webhook_requests_total'), 0, 'never reached HTTP');
      assert.equal(d.analyzer.linesSeen(), 0);
    });

    it('rejects a client certificate from another CA in the TLS handshake', async () => {
      const t = { url, caFile: pki.ca.certFile, certFile: pki.foreignClient.certFile, keyFile: pki.foreignClient.keyFile };
      await assert.rejects(post(t, eventList(EXAMPLES)), (e: NodeJS.ErrnoException) => /unknown ca|certificate|ECONNRESET|EPROTO|socket hang up/i.test(`${e.code} ${e.message}`));
      assert.equal(await metric(d, 'k8s_anon_webhook_requests_total'), 0, 'never reached HTTP');
      assert.equal(d.analyzer.linesSeen(), 0);
    });

    it('answers a 100 MB body with 413 and counts nothing (declared length and chunked)', async () => {
      const big = Buffer.alloc(100 * 1024 * 1024, 0x20);
      big.write('{"kind":"EventList","items":[');
      const r1 = await post(good(), big);
      assert.equal(r1.status, 413);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const r2 = await post(good(), Readable.from((function* () { for (let i = 0; i < 100; i++) yield chunk; })()));
      assert.equal(r2.status, 413);
      assert.equal(await codeCount(d, '413'), 2);
      assert.equal(await metric(d, 'k8s_anon_webhook_events_total'), 0);
      assert.equal(d.analyzer.linesSeen(), 0);
    });

    it('answers malformed bodies with 400 and counts nothing', async () => {
      for (const body of ['{"kind":"EventList","items":[', '{"kind":"Event"}', '[]', '{"kind":"EventList","items":{}}']) {
        const r = await post(good(), Buffer.from(body));
        assert.equal(r.status, 400, body);
      }
      assert.equal(await codeCount(d, '400'), 4);
      assert.equal(d.analyzer.linesSeen(), 0);
      assert.equal(await metric(d, 'k8s_anon_webhook_batch_events'), 0);
    });

    it('answers other paths with 404 and other methods with 405', async () => {
      assert.equal((await post({ ...good(), url: url.replace('/audit/webhook', '/x') }, eventList([]))).status, 404);
      assert.equal((await post(good(), Buffer.alloc(0), 'PUT')).status, 405);
    });
  });

  describe('bearer token', () => {
    let d: Daemon;
    let url: string;
    beforeEach(async () => {
      writeFileSync(join(dir, 'token'), 's3cret-token\n', { mode: 0o600 });
      ({ d, url } = await start(dir, { 'webhook.tokenFile': join(dir, 'token') }));
    });
    afterEach(() => d.stop());

    it('answers a wrong or missing token with 401 and counts nothing; the right one with 200', async () => {
      assert.equal((await post({ url, token: 's3cret-tokeN' }, eventList(EXAMPLES))).status, 401);
      assert.equal((await post({ url, token: 's3cret-token-and-more' }, eventList(EXAMPLES))).status, 401);
      assert.equal((await post({ url }, eventList(EXAMPLES))).status, 401);
      assert.equal(await codeCount(d, '401'), 3);
      assert.equal(d.analyzer.linesSeen(), 0);
      assert.equal((await post({ url, token: 's3cret-token' }, eventList(EXAMPLES))).status, 200);
      assert.equal(d.analyzer.linesSeen(), EXAMPLES.length);
    });
  });
});
