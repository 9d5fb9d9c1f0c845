import assert from 'node:assert/strict';
import { byteEvent } from '../../src/audit/bytepath.js';
import { fastScan, type FastResult } from '../../src/audit/fastpath.js';
import { ANONYMOUS, eventLine } from '../../src/demo/events.js';
import { describe as explain, findDifference } from './differential.js';
import { fuzzLines } from './fuzzgen.js';

/** Fixed seeds: 5 x 10,000 = 50,000 events per `npm test`; `npm run fuzz` runs 1,000,000. */
const SEEDS = [1, 2, 3, 4, 5];
const PER_SEED = 10_000;

describe('differential fuzz: byte paths against the full parse', function () {
  this.timeout(120_000);
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${PER_SEED} random events give the same counters, report and observer calls`, () => {
      const d = findDifference(seed, PER_SEED);
      assert.equal(d, undefined, d ? explain(d) : '');
    });
  }

  it('the fuzz exercises the byte path: it reads most anonymous and 401 lines in native order', () => {
    const out: FastResult = { stage: 'RequestReceived', timeMs: 0 };
    let fast = 0, byte = 0, full = 0;
    for (const line of fuzzLines(SEEDS[0] as number, PER_SEED)) {
      const buf = Buffer.from(line);
      if (fastScan(buf, 0, buf.length, out)) fast++;
      else if (byteEvent(buf, 0, buf.length)) byte++;
      else full++;
    }
    assert.ok(fast > 200 && byte > 500 && full > 1000, `fast ${fast}, byte ${byte}, full ${full}`);
  });

  it('reads a native anonymous 401-free line and a 401 without user exactly as the full parse', () => {
    const lines = [
      eventLine({ stage: 'ResponseComplete', uri: '/api/v1/namespaces/kube-public/configmaps/cluster-info', verb: 'get', user: ANONYMOUS, sourceIPs: ['203.0.113.9'],
        userAgent: 'curl/8', objectRef: { resource: 'configmaps', namespace: 'kube-public', name: 'cluster-info', apiVersion: 'v1' }, code: 200, timeMs: Date.UTC(2025, 0, 1) }),
      eventLine({ stage: 'ResponseStarted', uri: '/api/v1/secrets', verb: 'list', user: {}, sourceIPs: ['10.0.0.1'], code: 401, timeMs: Date.UTC(2025, 0, 1, 0, 0, 1) }),
    ];
    for (const line of lines) {
      const buf = Buffer.from(line);
      const ev = byteEvent(buf, 0, buf.length);
      assert.ok(ev, line);
      const o = JSON.parse(line) as { requestURI: string; responseStatus: { code: number } };
      assert.equal(ev.requestURI, o.requestURI);
      assert.equal(ev.code, o.responseStatus.code);
    }
    assert.equal(byteEvent(Buffer.from(lines[0]!.replace('cluster-info"', 'cluster-inf\\u006f"')), 0, lines[0]!.length + 5), undefined, 'escapes in needed strings decline');
  });
});
