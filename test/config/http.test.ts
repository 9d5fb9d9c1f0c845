import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createRegistry } from '../../src/metrics/registry.js';
import { startHttp } from '../../src/serve/http.js';

describe('http endpoint', () => {
  it('serves /metrics, /healthz, a landing page, and nothing else', async () => {
    let healthy = true;
    const server = await startHttp('127.0.0.1:0', createRegistry(), () => ({ ok: healthy, detail: { lagBytes: 0 } }));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const m = await fetch(`${base}/metrics`);
      assert.equal(m.status, 200);
      assert.match(await m.text(), /^k8s_anon_build_info\{version="[^"]+",revision="(?:[0-9a-f]{7,64}|unknown)",nodejs_version="v20\.[^"]+"\} 1$/m);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      healthy = false;
      assert.equal((await fetch(`${base}/healthz`)).status, 503);
      assert.equal((await fetch(`${base}/readyz`)).status, 503, 'without a readiness source /readyz follows /healthz');
      assert.match(await (await fetch(`${base}/`)).text(), /href="\/metrics"/);
      assert.equal((await fetch(`${base}/secret`)).status, 404);
      assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('http endpoint: /readyz', () => {
  it('answers 200 when ready and 503 with the reasons in JSON when not; /healthz stays 200', async () => {
    let status = { ready: true, reasons: [] as unknown[] };
    const server = await startHttp('127.0.0.1:0', createRegistry(), () => ({ ok: true, detail: {} }), undefined, () => status);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      status = { ready: false, reasons: [{ reason: 'checkpoint_failing', message: 'x' }] };
      const r = await fetch(`${base}/readyz`);
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.deepEqual(await r.json(), status);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
