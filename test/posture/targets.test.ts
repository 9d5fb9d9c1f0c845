import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { instanceLabel, resolveTargets, sliceUrls } from '../../src/posture/targets.js';

describe('probe targets: apiserver.url, apiserver.urls, apiserver.discover', () => {
  const base = loadConfig(undefined).apiserver;

  it('labels instances host:port with the scheme default port', () => {
    assert.equal(instanceLabel('https://10.0.0.1'), '10.0.0.1:443');
    assert.equal(instanceLabel('https://[fd00::1]:6443/'), '[fd00::1]:6443');
    assert.equal(instanceLabel('ftp://x'), undefined);
  });

  it('urls replace url; duplicates by label collapse; discovery sorts and fails loudly', async () => {
    assert.deepEqual(await resolveTargets(base), { ok: true, discovered: false, targets: [{ url: 'https://127.0.0.1:6443', label: '127.0.0.1:6443' }] });
    const two = await resolveTargets({ ...base, urls: ['https://b:6443/', 'https://a:6443', 'https://b:6443'] });
    assert.deepEqual(two.ok && two.targets.map((t) => t.url), ['https://b:6443', 'https://a:6443']);
    const d = await resolveTargets({ ...base, discover: true }, async () => ['https://10.0.0.13:6443', 'https://10.0.0.11:6443']);
    assert.deepEqual(d.ok && d.targets.map((t) => t.label), ['10.0.0.11:6443', '10.0.0.13:6443']);
    assert.deepEqual(await resolveTargets({ ...base, discover: true }, async () => []), { ok: false, error: 'apiserver.discover: the default/kubernetes EndpointSlices list no endpoints' });
    assert.equal((await resolveTargets({ ...base, discover: true })).ok, false, 'no kubeconfig: an error, never the default URL');
    assert.match(JSON.stringify(await resolveTargets({ ...base, discover: true }, () => Promise.reject(new Error('HTTP 403')))), /apiserver.discover: HTTP 403/);
  });

  it('reads every address of every endpoint with the https port, IPv6 bracketed, skipping malformed slices', () => {
    assert.deepEqual(sliceUrls([
      { ports: [{ name: 'metrics', port: 1 }, { name: 'https', port: 6443 }], endpoints: [{ addresses: ['10.0.0.11'] }, { addresses: ['fd00::12', 7] }] },
      { ports: [], endpoints: [{ addresses: ['10.9.9.9'] }] },
      'junk', { endpoints: null },
    ]), ['https://10.0.0.11:6443', 'https://[fd00::12]:6443']);
  });

  it('rejects a URL that is not http(s) in apiserver.urls at load time', () => {
    assert.throws(() => loadConfig(undefined, new Map([['apiserver.urls', 'https://a:1,ftp://x']])), (e: unknown) => e instanceof ConfigError && /apiserver.urls: "ftp:\/\/x" is not an http\(s\) URL/.test(e.message));
  });
});
