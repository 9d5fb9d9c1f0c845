/** Per-source series under churn: the most active addresses of the window keep series, totals stay exact, restarts change nothing. */
import assert from 'node:assert/strict';
import { Analyzer } from '../../src/audit/analyzer.js';
import { SourceRanker } from '../../src/audit/ranking.js';
import { event } from '../integration/auditgen.js';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const T0 = Date.UTC(2026, 10, 1, 12);
const make = (max = 50): Analyzer => new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: max, sourceWindowSeconds: 3600, gapThresholdSeconds: 30 });
const feed = (a: Analyzer, ip: string, atMs: number, n = 1, code = 200): void => {
  const buf = Buffer.from(event({ at: new Date(atMs), user: ANON, verb: 'get', uri: '/healthz', code, ip }));
  for (let i = 0; i < n; i++) a.line(buf, 0, buf.length - 1);
};
const bySource = (a: Analyzer): Map<string, number> => {
  const out = new Map<string, number>();
  for (const [k, v] of a.c.sources) out.set(k.split('|')[0] as string, (out.get(k.split('|')[0] as string) ?? 0) + v);
  return out;
};
const total = (a: Analyzer): number => [...a.c.sources.values()].reduce((s, v) => s + v, 0);
const healthCheckers = (a: Analyzer, at: number): void => { for (let i = 0; i < 60; i++) feed(a, `10.0.${i >> 4}.${i}`, at + i, 10); };

describe('sources: the most active addresses of the window keep their own series', () => {
  it('60 health checkers, then a scanner sending 500 requests: the scanner gets its series at once, totals exact', () => {
    const a = make();
    healthCheckers(a, T0);
    assert.equal(bySource(a).size, 51, '50 addresses plus other');
    assert.equal(bySource(a).get('other'), 100);
    for (let i = 1; i <= 500; i++) {
      feed(a, '203.0.113.66', T0 + 60_000 + i);
      if (i === 11) assert.ok(bySource(a).has('203.0.113.66'), 'series after 11 requests (one more than any health checker)');
    }
    assert.equal(bySource(a).get('203.0.113.66'), 490, '10 counted under other before it outranked a health checker, 490 since');
    assert.equal(bySource(a).size, 51, 'still at most 50 addresses plus other');
    assert.equal(total(a), 600 + 500, 'sum over sources equals every counted request');
    assert.equal(total(a), a.c.requests);
  });

  it('idle addresses lose their series once the window has passed; their counts move to other', () => {
    const a = make(5);
    for (let i = 0; i < 5; i++) feed(a, `10.0.0.${i}`, T0, 3);
    feed(a, '198.51.100.1', T0 + 3_600_000 + 400_000, 1);
    const s = bySource(a);
    assert.deepEqual([...s.keys()].sort(), ['198.51.100.1', 'other']);
    assert.equal(s.get('other'), 15);
    assert.equal(total(a), 16);
  });

  it('ties keep the incumbent and never depend on arrival order', () => {
    const r = new SourceRanker(1, 3_600_000, () => undefined);
    assert.equal(r.label('10.0.0.2', T0), '10.0.0.2');
    assert.equal(r.label('10.0.0.1', T0), 'other', 'equal activity does not displace');
    assert.equal(r.label('10.0.0.1', T0), '10.0.0.1', 'more activity does');
  });

  it('a restart from the checkpoint labels the rest of the log exactly as one uninterrupted run', () => {
    const whole = make(10);
    const first = make(10);
    const steps: Array<[string, number, number]> = [];
    for (let i = 0; i < 400; i++) steps.push([`10.9.${i % 7}.${(i * 37) % 23}`, T0 + i * 30_000, 1 + (i % 5)]);
    steps.forEach(([ip, t, n]) => feed(whole, ip, t, n));
    steps.slice(0, 200).forEach(([ip, t, n]) => feed(first, ip, t, n));
    const resumed = make(10);
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    steps.slice(200).forEach(([ip, t, n]) => feed(resumed, ip, t, n));
    assert.deepEqual(new Map([...resumed.c.sources].sort()), new Map([...whole.c.sources].sort()));
    assert.deepEqual(resumed.snapshot(), whole.snapshot());
  });

  it('loads an older checkpoint that only lists the addresses holding series', () => {
    const a = make(3);
    feed(a, '10.0.0.1', T0);
    const old = a.snapshot() as Record<string, unknown>;
    delete old.sourceRank;
    const b = make(3);
    b.restore(JSON.parse(JSON.stringify(old)));
    feed(b, '10.0.0.1', T0 + 1);
    assert.equal(bySource(b).get('10.0.0.1'), 2);
  });

  it('changing sources.maxSeries at run time folds the surplus series into other', () => {
    const a = make(5);
    for (let i = 0; i < 5; i++) feed(a, `10.0.0.${i}`, T0, i + 1);
    a.reconfigure({ sourceClasses: {}, maxSourceSeries: 2, gapThresholdSeconds: 30 });
    assert.deepEqual([...bySource(a).keys()].sort(), ['10.0.0.3', '10.0.0.4', 'other']);
    assert.equal(total(a), 15);
  });
});
