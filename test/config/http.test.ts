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
      assert.match(await m.text(), /^k8s_anon_build_info\{version="[^"]+"\} 1$/m);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      healthy = false;
      assert.equal((await fetch(`${base}/healthz`)).status, 503);
      assert.match(await (await fetch(`${base}/`)).text(), /href="\/metrics"/);
      assert.equal((await fetch(`${base}/secret`)).status, 404);
      assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
