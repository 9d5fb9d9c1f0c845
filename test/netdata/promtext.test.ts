import assert from 'node:assert/strict';
import { MetricIndex, parseExposition, parseSampleLine } from '../../src/netdata/promtext.js';
import { fixture } from './golden.js';

describe('netdata: Prometheus text parser', () => {
  it('parses names, labels with escapes, special values and timestamps', () => {
    assert.deepEqual(parseSampleLine('a_total{x="1",y="q\\"uo\\\\te\\n"} 3 1700000000000'), { name: 'a_total', labels: { x: '1', y: 'q"uo\\te\n' }, value: 3 });
    assert.deepEqual(parseSampleLine('b 1.5e3'), { name: 'b', labels: {}, value: 1500 });
    assert.equal(parseSampleLine('c{le="+Inf"} +Inf')?.value, Infinity);
    assert.ok(Number.isNaN(parseSampleLine('d NaN')?.value));
    assert.deepEqual(parseSampleLine('e{a="x",} -2'), { name: 'e', labels: { a: 'x' }, value: -2 });
  });

  it('rejects malformed lines without throwing', () => {
    for (const bad of ['1abc 2', 'x{a=1} 2', 'x{a="unterminated} 2', 'x', 'x one', 'x 1 2 3', 'x{="v"} 1']) {
      assert.equal(parseSampleLine(bad), undefined, bad);
    }
    const exp = parseExposition('# HELP a b\n# TYPE a counter\na 1\ngarbage here now\n\nb{ 2\n');
    assert.equal(exp.samples.length, 1);
    assert.equal(exp.badLines, 2);
    assert.ok(exp.families.has('a'));
  });

  it('sums by label filters and treats declared families without samples as zero', () => {
    const m = new MetricIndex(parseExposition(fixture('metrics.txt')));
    assert.equal(m.sum('k8s_anon_requests_total'), 134);
    assert.equal(m.sum('k8s_anon_requests_total', { endpoint_class: 'sensitive' }), 2);
    assert.equal(m.sum('k8s_anon_requests_total', { code: (c) => c.startsWith('4') }), 12);
    assert.equal(m.sum('k8s_anon_impersonated_requests_total'), 0);
    assert.equal(m.sum('k8s_anon_not_exported_total'), undefined);
    assert.ok(m.has('k8s_anon_audit_gap_seconds_bucket'));
    assert.equal(m.max('k8s_anon_audit_last_event_timestamp_seconds'), 1764352000.25);
    assert.equal(m.max('k8s_anon_not_exported_total'), undefined);
    assert.deepEqual([...m.groupBy('k8s_anon_source_requests_total', 'source')], [['203.0.113.7', 13], ['10.0.0.186', 120], ['other', 9]]);
  });
});
