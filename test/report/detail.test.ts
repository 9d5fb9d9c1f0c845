import assert from 'node:assert/strict';
import { Analyzer } from '../../src/audit/analyzer.js';
import { LineSplitter } from '../../src/audit/lines.js';
import { ANONYMOUS, eventLine } from '../../src/demo/events.js';
import { buildReport } from '../../src/report/build.js';
import { capStored, MAX_STORED_CHARS, ReportDetail, TRUNCATED } from '../../src/report/detail.js';

describe('report detail memory bounds', () => {
  it('caps stored strings with a marker and leaves short ones alone', () => {
    assert.equal(capStored('/healthz'), '/healthz');
    const exact = 'x'.repeat(MAX_STORED_CHARS);
    assert.equal(capStored(exact), exact);
    const long = `/api/${'y'.repeat(300_000)}`;
    const capped = capStored(long);
    assert.equal(capped.length, MAX_STORED_CHARS + TRUNCATED.length);
    assert.ok(capped.startsWith('/api/yyy') && capped.endsWith(TRUNCATED));
  });

  it('tables long anonymous URIs capped, and long URIs sharing a prefix together', () => {
    const detail = new ReportDetail();
    const a = new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30, detail });
    const s = new LineSplitter(1 << 24, a);
    const tail = 'z'.repeat(100_000);
    for (let i = 0; i < 3; i++) {
      s.push(Buffer.from(`${eventLine({ stage: 'ResponseComplete', uri: `/api/v1/secrets?q=${tail}${i}`, verb: 'get', user: ANONYMOUS,
        objectRef: { resource: 'secrets' }, code: 200, userAgent: `ua/${tail}`, timeMs: Date.UTC(2025, 0, 1) + i })}\n`));
    }
    s.finish();
    const doc = buildReport(a, detail, [], 30) as unknown as { anonymous: { requests: number; topRequestURIs: { requestURI: string; count: number }[];
      topRequestURIsComplete: boolean; sensitiveAllowed: { requestURI: string; userAgent: string }[] } };
    assert.equal(doc.anonymous.requests, 3);
    assert.equal(doc.anonymous.topRequestURIs.length, 1);
    assert.equal(doc.anonymous.topRequestURIs[0]?.count, 3);
    assert.ok(doc.anonymous.topRequestURIs[0]?.requestURI.endsWith(TRUNCATED));
    assert.equal(doc.anonymous.topRequestURIsComplete, true);
    for (const e of doc.anonymous.sensitiveAllowed) {
      assert.ok(e.requestURI.length <= MAX_STORED_CHARS + TRUNCATED.length);
      assert.ok(e.userAgent.length <= MAX_STORED_CHARS + TRUNCATED.length);
    }
  });
});
