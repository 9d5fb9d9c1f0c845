/**
 * The listing race behind lost generations: an entry renamed while `readdir` runs may be missing
 * from that listing. The old start-up logic declared the checkpointed generation lost on one such
 * listing; the planner asks for another listing, and the tailer then finds and finishes it.
 */
import { strict as assert } from 'node:assert';
import { createTailer, ManualClock, ManualWaker } from '../../src/tail/index.js';
import { Scanner } from '../../src/tail/scan.js';
import { gzReadable, planResume, type Candidate, type Position } from '../../src/tail/plan.js';
import { fingerprintOf } from '../../src/tail/identity.js';
import type { Checkpoint, CheckpointStore, LoadResult } from '../../src/tail/checkpoint.js';
import { silentLogger } from '../../src/log.js';
import { SimDir, SimFs } from './sim/simfs.js';
import { RecordingConsumer, RecordingEvents } from './harness.js';

/** The old design's decision at start-up (one scan; no match means lost), kept here as the reference. */
function oldResume(pos: Position, cands: Candidate[]): 'open' | 'lost' {
  return cands.some((c) => c.fingerprint === pos.fingerprint && (c.kind !== 'gz' || gzReadable(c, cands))) ? 'open' : 'lost';
}

const A = Buffer.from('a-1\na-2\na-3\n');
const BACKUP = 'audit-2026-01-01T00-00-01.000.log';

/** A directory whose checkpointed `audit.log` (3 lines, 1 read) is rotated by the writer during the first listing. */
function racyDir(): { dir: SimDir; fs: SimFs; pos: Position } {
  const dir = new SimDir();
  const node = dir.create('audit.log', A);
  let listings = 0;
  const tick = (op: string): boolean => {
    if (op === 'list' && ++listings === 1) {
      dir.rename('audit.log', BACKUP);
      dir.create('audit.log', Buffer.from('b-1\n'));
    }
    return true;
  };
  // rand() = 0.99: entries changed while the listing runs are left out of it (POSIX allows either).
  const fs = new SimFs(dir, tick, () => 0.99);
  const pos: Position = { path: '/sim/audit.log', dev: '1', ino: String(node.ino), fingerprint: fingerprintOf(A)!, offset: 4, size: 4 };
  return { dir, fs, pos };
}

describe('tail: the listing race at start-up', () => {
  it('the old logic declares the renamed generation lost on a racy listing; the planner lists again', async () => {
    const { fs, pos } = racyDir();
    const scanner = new Scanner(fs, '/sim/audit.log');
    const racy = await scanner.snapshot();
    assert.ok(!racy.cands.some((c) => c.path.endsWith(BACKUP)), 'the listing missed the renamed file');
    assert.equal(oldResume(pos, racy.cands), 'lost');
    assert.equal(racy.stable, false);
    assert.equal(planResume(pos, racy, 1, 0).kind, 'relist');
    const again = await scanner.snapshot();
    const step = planResume(pos, again, 2, 0);
    assert.equal(step.kind, 'open');
    assert.ok(step.kind === 'open' && step.cand.path.endsWith(BACKUP));
  });

  it('the tailer resumes in the renamed generation, finishes it, then reads the new file: nothing lost or repeated', async () => {
    const { fs, pos } = racyDir();
    const consumer = new RecordingConsumer();
    const events = new RecordingEvents();
    const cp: Checkpoint = { version: 1, writtenAtMs: 0, path: '/sim/audit.log', current: pos, done: [], state: { lines: ['a-1'], tooLongs: 0 } };
    const store: CheckpointStore = {
      load: (): Promise<LoadResult> => Promise.resolve({ kind: 'ok', checkpoint: cp }),
      save: () => Promise.resolve(),
      discard: () => Promise.resolve(null),
    };
    const waker = new ManualWaker();
    const tailer = createTailer({
      path: '/sim/audit.log', startAt: 'beginning', maxLineBytes: 1024, pollIntervalMs: 500, watch: false, stateDir: '/nonexistent',
      consumer, state: consumer, events, log: silentLogger, clock: new ManualClock(), waker, fs, store,
    });
    await tailer.start();
    await waker.idle();
    await waker.step();
    await tailer.stop();
    assert.deepEqual(consumer.lines, ['a-1', 'a-2', 'a-3', 'b-1']);
    assert.deepEqual(events.lost, []);
  });
});
