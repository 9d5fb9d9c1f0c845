import assert from 'node:assert/strict';
import { NetdataPlugin, type PluginIO } from '../../src/netdata/plugin.js';
import { metricsUrl, parseUpdateEvery } from '../../src/netdata/command.js';
import { Logger } from '../../src/log.js';
import { fixture } from './golden.js';

/** A fake world: a stepped clock, a scripted daemon and captured output. */
function world(script: Array<string | Error>) {
  let t = 10_500;
  const sleeps: number[] = [];
  const out: string[] = [];
  const logs: string[] = [];
  const io: PluginIO = {
    fetchMetrics: async () => {
      const next = script.shift() ?? new Error('script ended');
      if (next instanceof Error) throw next;
      return next;
    },
    write: (s) => { out.push(s); },
    now: () => t,
    sleep: async (ms) => { sleeps.push(ms); t += ms + 7; },
    log: new Logger({}, 'info', (l) => logs.push(l), () => t),
  };
  return { io, sleeps, out, logs };
}

const up = (s: string) => /SET exporter_up = (\d)/.exec(s)?.[1];

describe('netdata: plugin loop', () => {
  it('wakes on update_every boundaries of the injected clock', async () => {
    const w = world([fixture('metrics.txt'), fixture('metrics.txt'), fixture('metrics.txt')]);
    await new NetdataPlugin(2, w.io).run(new AbortController().signal, 3);
    assert.deepEqual(w.sleeps, [1500, 1993]);
    assert.equal(w.out.length, 3);
  });

  it('keeps running while the daemon is unreachable: exporter_up 0, gaps elsewhere, then recovers', async () => {
    const w = world([fixture('metrics.txt'), new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), 'not metrics at all\n', fixture('metrics.txt')]);
    await new NetdataPlugin(1, w.io).run(new AbortController().signal, 5);
    assert.deepEqual(w.out.map(up), ['1', '0', '0', '0', '1']);
    assert.doesNotMatch(w.out[1] as string, /SET (?!exporter_up)/);
    assert.match(w.out[1] as string, /BEGIN k8s_anon.sensitive_requests\nEND\n/);
    assert.equal(w.logs.filter((l) => l.includes('daemon unreachable')).length, 1, 'rate-limited');
    assert.equal(w.logs.filter((l) => l.includes('unparsable')).length, 1);
    assert.ok(w.logs.some((l) => l.includes('reachable again')));
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    const w = world([fixture('metrics.txt'), fixture('metrics.txt')]);
    w.io.sleep = async () => { ac.abort(); };
    await new NetdataPlugin(1, w.io).run(ac.signal);
    assert.equal(w.out.length, 1);
  });

  it('finds the daemon URL and validates UPDATE_EVERY', () => {
    assert.equal(metricsUrl('127.0.0.1:19100'), 'http://127.0.0.1:19100/metrics');
    assert.equal(metricsUrl('0.0.0.0:1'), 'http://127.0.0.1:1/metrics');
    assert.equal(metricsUrl('[::]:5'), 'http://[::1]:5/metrics');
    assert.equal(parseUpdateEvery('5', undefined), 5);
    assert.equal(parseUpdateEvery(undefined, '3'), 3);
    assert.equal(parseUpdateEvery(undefined, undefined), 1);
    for (const bad of ['0', '-1', 'x', '1.5']) assert.equal(parseUpdateEvery(bad, undefined), undefined, bad);
  });
});
