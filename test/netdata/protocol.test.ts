import assert from 'node:assert/strict';
import { collect, defineChart, dimensionId, word } from '../../src/netdata/protocol.js';
import { NetdataPlugin } from '../../src/netdata/plugin.js';
import { MetricIndex, parseExposition } from '../../src/netdata/promtext.js';
import { CHARTS } from '../../src/netdata/charts.js';
import { silentLogger } from '../../src/log.js';
import { assertGolden, fixture } from './golden.js';

const io = { fetchMetrics: async () => '', write: () => undefined, now: () => 0, sleep: async () => undefined, log: silentLogger };
const index = (text: string) => new MetricIndex(parseExposition(text), 1_764_352_100_000);

describe('netdata: plugins.d protocol writer', () => {
  it('writes CHART, DIMENSION and BEGIN/SET/END lines exactly', () => {
    const c = { id: 'x', title: "it's a test", units: 'requests/s', family: 'anonymous', chartType: 'line' as const, priority: 5 };
    assert.equal(defineChart(c, [{ id: 'a', name: 'a.b', algorithm: 'incremental', multiplier: 1, divisor: 1000 }], 2),
      "CHART k8s_anon.x '' 'it_s a test' 'requests/s' 'anonymous' 'k8s_anon.x' line 5 2 '' 'k8s_anon.plugin' 'exporter'\n" +
      "DIMENSION a 'a.b' incremental 1 1000 ''\n");
    assert.equal(collect('x', [['a', 1.6], ['b', NaN], ['c', 0]]), 'BEGIN k8s_anon.x\nSET a = 2\nSET c = 0\nEND\n');
  });

  it('sanitizes ids and words', () => {
    assert.equal(dimensionId('/api/v1/secrets?limit=1'), '_api_v1_secrets_limit_1');
    assert.equal(dimensionId('10.0.0.1'), '10_0_0_1');
    assert.equal(dimensionId(''), '_');
    assert.equal(word("a'b\"c\nd\\e"), 'a_b_c_d_e');
  });

  it('renders a full scrape as the golden file', () => {
    const p = new NetdataPlugin(1, io);
    assertGolden('first-scrape.txt', p.render(index(fixture('metrics.txt'))));
  });

  it('redeclares a chart only when a new dimension appears, and leaves gaps when the daemon is down', () => {
    const p = new NetdataPlugin(1, io);
    p.render(index(fixture('metrics.txt')));
    const more = `${fixture('metrics.txt')}k8s_anon_source_requests_total{source="198.51.100.9",source_class="public",outcome="forbidden"} 1\n`;
    const second = p.render(index(more));
    assert.equal(second.match(/^CHART /gm)?.length, 1, 'only the sources chart is redeclared');
    assert.match(second, /^SET 198_51_100_9 = 0$/m, 'a new counter series starts from 0 so its first count shows');
    assertGolden('second-scrape.txt', second);
    assertGolden('daemon-down.txt', p.render(undefined));
  });

  it('declares a chart only once one of its values is known', () => {
    const p = new NetdataPlugin(1, io);
    const out = p.render(index('# TYPE k8s_anon_build_info gauge\nk8s_anon_build_info{version="1"} 1\n'));
    const charts = [...out.matchAll(/^CHART k8s_anon\.(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(charts, ['exporter']);
    assert.ok(CHARTS.length > 20);
  });
});
