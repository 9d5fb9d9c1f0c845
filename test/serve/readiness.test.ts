/** Readiness logic with a stepped clock: grace for the audit log, checkpoint failures, side inputs. */
import assert from 'node:assert/strict';
import { Readiness, tapTailEvents } from '../../src/serve/readiness.js';
import type { TailEvents } from '../../src/tail/types.js';

const clock = () => { let t = 1_000_000; return { now: () => t, step: (ms: number) => { t += ms; } }; };
const reasons = (r: Readiness) => r.status().reasons.map((x) => x.input ? `${x.reason}:${x.input}` : x.reason);

describe('readiness', () => {
  it('the audit log may be unreadable for one poll interval, not longer; readable again clears it', () => {
    const c = clock();
    const r = new Readiness({ graceMs: 250, now: c.now });
    r.audit(false);
    r.auditError("ENOENT: no such file or directory, open '/x'");
    c.step(250);
    assert.deepEqual(r.status(), { ready: true, reasons: [] });
    c.step(1);
    assert.deepEqual(reasons(r), ['audit_unreadable']);
    assert.match(r.status().reasons[0]?.message ?? '', /ENOENT/);
    r.audit(true);
    assert.equal(r.status().ready, true);
  });

  it('not ready before the tailer reported the log readable at all (first start)', () => {
    const c = clock();
    const r = new Readiness({ graceMs: 250, now: c.now });
    c.step(300);
    assert.deepEqual(reasons(r), ['audit_unreadable']);
  });

  it('without an audit file (webhook-only) there is no file to be blind to', () => {
    const c = clock();
    const r = new Readiness({ graceMs: 250, auditFile: false, now: c.now });
    c.step(300);
    assert.deepEqual(r.status(), { ready: true, reasons: [] });
  });

  it('a failed checkpoint write makes it not ready until the next write succeeds', () => {
    const c = clock();
    const r = new Readiness({ graceMs: 250, now: c.now });
    r.audit(true);
    r.checkpoint('ENOSPC: no space left on device');
    c.step(5000);
    r.checkpoint('ENOSPC: no space left on device');
    assert.deepEqual(r.status().reasons, [{ reason: 'checkpoint_failing', message: 'checkpoint cannot be written: ENOSPC: no space left on device', seconds: 5 }]);
    r.checkpoint();
    assert.equal(r.status().ready, true);
  });

  it('an enabled side input is not ready until its first success; later failures do not flap readiness', () => {
    const r = new Readiness({ graceMs: 250 });
    r.audit(true);
    r.expectInput('rbac');
    r.expectInput('probe');
    r.inputResult('rbac', false);
    assert.deepEqual(reasons(r), ['input_never_succeeded:rbac', 'input_never_succeeded:probe']);
    r.inputResult('rbac', true);
    r.inputResult('probe', true);
    r.inputResult('probe', false);
    assert.equal(r.status().ready, true);
  });

  it('tapTailEvents forwards every event and feeds readiness', () => {
    const seen: string[] = [];
    const inner: TailEvents = {
      up: (ok) => seen.push(`up ${ok}`), bytesRead: () => seen.push('bytes'), lag: () => seen.push('lag'), rotated: () => seen.push('rotated'),
      truncated: () => seen.push('truncated'), fileLost: () => seen.push('lost'), checkpointWritten: () => seen.push('cp'),
      checkpointFailed: () => seen.push('cp failed'), readError: () => seen.push('read error'),
    };
    const c = clock();
    const r = new Readiness({ graceMs: 0, now: c.now });
    const t = tapTailEvents(inner, r);
    t.up(true); t.bytesRead(1); t.lag(0); t.rotated(); t.truncated(); t.fileLost(1, 'p'); t.checkpointWritten(1);
    t.checkpointFailed?.(new Error('EROFS')); t.readError(new Error('x'), 'p');
    assert.deepEqual(seen, ['up true', 'bytes', 'lag', 'rotated', 'truncated', 'lost', 'cp', 'cp failed', 'read error']);
    assert.deepEqual(reasons(r), ['checkpoint_failing']);
  });
});
