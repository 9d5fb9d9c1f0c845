import assert from 'node:assert/strict';
import { Analyzer } from '../../src/audit/analyzer.js';
import { ANONYMOUS, eventLine } from '../../src/demo/events.js';

const feed = (a: Analyzer, auditID: string, uri: string): void => {
  const l = eventLine({ stage: 'ResponseComplete', uri, verb: 'get', user: ANONYMOUS, auditID, objectRef: { resource: 'secrets' }, code: 403, timeMs: 1 });
  a.line(Buffer.from(l), 0, l.length);
};
const make = (): Analyzer => new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30 });
const anon = (a: Analyzer): number => [...a.c.anon.values()].reduce((s, v) => s + v, 0);

describe('the daemon\'s own requests', () => {
  it('a client-chosen Audit-ID that looks like a canary or probe marker hides nothing', () => {
    const a = make();
    feed(a, 'k8s-anon-exporter-canary-abc-1', '/api/v1/secrets');
    feed(a, 'k8s-anon-exporter-probe-0011223344556677-1', '/api/v1/secrets');
    assert.equal(anon(a), 2);
    assert.equal(a.c.canary, 0);
  });

  it('the canary is recognised by its configmap path and reported to observers', () => {
    const a = make();
    const seen: string[] = [];
    a.observe({ canarySeen: (m) => seen.push(m) });
    feed(a, 'whatever', '/api/v1/namespaces/default/configmaps/k8s-anon-exporter-canary-r1-9');
    assert.equal(anon(a), 0);
    assert.deepEqual(seen, ['k8s-anon-exporter-canary-r1-9']);
  });

  it('a probe request is excluded only when the probe vouches for its Audit-ID', () => {
    const a = make();
    a.observe({ ownRequest: (id) => id === 'k8s-anon-exporter-probe-aaaaaaaaaaaaaaaa-0' });
    feed(a, 'k8s-anon-exporter-probe-aaaaaaaaaaaaaaaa-0', '/api/v1/secrets?limit=1');
    feed(a, 'k8s-anon-exporter-probe-bbbbbbbbbbbbbbbb-0', '/api/v1/secrets?limit=1');
    assert.equal(anon(a), 1);
  });
});
