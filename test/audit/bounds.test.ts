import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { Analyzer } from '../../src/audit/analyzer.js';
import { LineSplitter } from '../../src/tail/lines.js';
import { ANONYMOUS, eventLine } from '../../src/demo/events.js';
import { registerAuditMetrics } from '../../src/metrics/audit.js';

describe('label cardinality', () => {
  it('100,000 distinct sources, resources and verbs stay under a fixed series bound', async () => {
    const analyzer = new Analyzer({ sourceClasses: { lb: ['10.1.0.0/16'] }, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30 });
    const splitter = new LineSplitter(1 << 20, analyzer);
    const t0 = Date.UTC(2025, 0, 1);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const ip = `${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`;
      const anon = i % 2 === 0;
      lines.push(eventLine({
        stage: anon ? 'ResponseComplete' : 'ResponseStarted', uri: `/apis/g${i}.example/v1/namespaces/ns${i}/thing${i}/name-${i}?q=${i}`,
        verb: `verb${i}`, user: anon ? ANONYMOUS : {}, sourceIPs: [`198.51.${i & 255}.1`, ip], userAgent: `agent-${i}`,
        objectRef: { resource: `thing${i}`, namespace: `ns${i}`, name: `name-${i}`, apiGroup: `g${i}.example`, subresource: i % 3 === 0 ? `sub${i}` : undefined },
        code: anon ? 100 + (i % 600) : 401, timeMs: t0 + i,
      }));
      if (lines.length === 1000) { splitter.push(Buffer.from(`${lines.join('\n')}\n`)); lines.length = 0; }
    }
    const registry = new Registry();
    registerAuditMetrics(registry, analyzer);
    const text = await registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('k8s_anon_'));
    assert.equal(analyzer.c.requests, 100_000);
    // Codes 100..599 (500 values) + none, 2 classes, 1 verb (other), 1 source class: the anonymous family is bounded by codes.
    assert.ok(series.length < 2000, `series: ${series.length}`);
    const sources = new Set(series.filter((l) => l.startsWith('k8s_anon_source_requests_total')).map((l) => /source="([^"]*)"/.exec(l)?.[1]));
    assert.ok(sources.size <= 51, `distinct source labels: ${sources.size}`);
    assert.ok(sources.has('other'));
    for (const l of series) {
      assert.ok(!/name-|agent-|thing\d|ns\d|verb\d|\?q=/.test(l), `unbounded value leaked into a label: ${l}`);
    }
  });
});
