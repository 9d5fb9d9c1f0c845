import { strict as assert } from 'node:assert';
import { matchGolden as match } from '../helpers/golden.js';
import { Registry } from 'prom-client';
import { TailMetrics, combineState } from '../../src/metrics/tail.js';
import { fingerprintOf, HEAD_BYTES } from '../../src/tail/identity.js';
import { backupMatcher, stampMs } from '../../src/tail/scan.js';
import { backoffMs } from '../../src/tail/waker.js';
import { validate } from '../../src/tail/checkpoint.js';

const matchGolden = (name: string, actual: string): void => match('tail', name, actual);

describe('tail: pure helpers', () => {
  it('fingerprints the first line only, and waits for it', () => {
    assert.equal(fingerprintOf(Buffer.from('{"a":1')), null);
    const a = fingerprintOf(Buffer.from('{"a":1}\nrest'));
    assert.equal(a, fingerprintOf(Buffer.from('{"a":1}\nother rest')));
    assert.notEqual(a, fingerprintOf(Buffer.from('{"a":2}\nrest')));
    assert.match(fingerprintOf(Buffer.alloc(HEAD_BYTES, 120))!, /^[0-9a-f]{32}$/);
  });

  it('recognises lumberjack backup names and their UTC time', () => {
    const isBackup = backupMatcher('/var/log/kubernetes/audit/audit.log');
    assert.ok(isBackup('audit-2024-10-29T12-20-30.664.log'));
    assert.ok(isBackup('audit-2024-10-29T12-20-30.664.log.gz'));
    assert.ok(!isBackup('audit.log'));
    assert.ok(!isBackup('audit.log.1'));
    assert.ok(!isBackup('other-2024.log'));
    assert.equal(stampMs('audit-2024-10-29T12-20-30.664.log'), Date.UTC(2024, 9, 29, 12, 20, 30, 664));
    assert.equal(stampMs('audit-x.log'), null);
  });

  it('backs off from the poll interval, doubling up to 5 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 20].map((n) => backoffMs(500, n)), [500, 500, 1000, 2000, 4000, 5000, 5000]);
    assert.equal(backoffMs(10_000, 3), 10_000);
  });

  it('rejects malformed checkpoints with a reason', () => {
    const ok = { version: 1, writtenAtMs: 1, path: '/a', current: null, done: [], state: {} };
    assert.equal(validate(ok), null);
    assert.match(validate({ ...ok, version: 2 })!, /version/);
    assert.match(validate({ ...ok, current: { path: '/a', dev: '1', ino: '2', fingerprint: 'f', offset: -1, size: 0 } })!, /position/);
    assert.match(validate({ ...ok, done: [1] })!, /done/);
    assert.match(validate([])!, /object/);
  });

  it('loads checkpoints of the first format (no lost, unread or sections) and carries named sections', () => {
    const old = { version: 1, writtenAtMs: 1, path: '/a', current: { path: '/a', dev: '1', ino: '2', fingerprint: 'f', offset: 3, size: 3 }, done: ['x'], state: {} };
    assert.equal(validate(old), null);
    assert.equal(validate({ ...old, lost: [{ fingerprint: 'f', offset: 3 }], unread: [{ fingerprint: 'g', path: '/b', size: null }], sections: { webhook: { digests: ['d'] } } }), null);
    assert.match(validate({ ...old, sections: [] })!, /sections/);
    assert.match(validate({ ...old, lost: [{ fingerprint: 1 }] })!, /lost/);
  });
});

describe('tail: self-metrics', () => {
  it('exposes the SPEC §5 audit-log health metrics (golden) and restores counters from a snapshot', async () => {
    const r1 = new Registry();
    const m1 = new TailMetrics(r1);
    m1.up(true); m1.bytesRead(1000); m1.bytesRead(24); m1.lag(77); m1.rotated(); m1.rotated(); m1.truncated();
    m1.fileLost(10, '/x'); m1.checkpointWritten(1767225600);
    matchGolden('metrics.prom', await r1.metrics());
    const r2 = new Registry();
    const m2 = new TailMetrics(r2);
    const state = combineState({ tail: m2 });
    state.restore(JSON.parse(JSON.stringify(combineState({ tail: m1 }).snapshot())));
    m2.rotated();
    const text = await r2.metrics();
    assert.match(text, /^k8s_anon_audit_bytes_read_total 1024$/m);
    assert.match(text, /^k8s_anon_audit_rotations_total 3$/m);
    assert.match(text, /^k8s_anon_audit_truncations_total 1$/m);
    assert.match(text, /^k8s_anon_audit_files_lost_total 1$/m);
    assert.match(text, /^k8s_anon_audit_up 0$/m);
    assert.throws(() => m2.restore('nope'));
  });
});
