/** Start-up: restore the checkpoint (counters and position, found by fingerprint), or start per `audit.startAt`. */
import type { Exec, FollowState } from './context.js';
import type { CheckpointStore, Checkpoint } from './checkpoint.js';
import { Generation } from './generation.js';
import { openCandidate } from './open.js';
import { planResume, type Position } from './plan.js';

/** Listings per attempt to find the checkpointed generation (the attempt is repeated at the next poll). */
const RESUME_LISTINGS = 6;
/** Lost generations remembered (in case one reappears). */
const MAX_LOST = 16;

/** Loads the checkpoint and returns the state to start from (the position may still need to be found: `resume`). */
export async function startup(x: Exec, store: CheckpointStore, st: FollowState, nowMs: number): Promise<FollowState> {
  const res = await store.load(nowMs);
  if (res.kind === 'corrupt') {
    x.log.error('checkpoint unusable; kept aside, starting per audit.startAt', { error: res.error, keptAs: res.keptAs, startAt: x.startAt });
  } else if (res.kind === 'ok') {
    const restored = await restore(x, store, res.checkpoint, st, nowMs);
    if (restored) return resume(x, restored);
  }
  return fresh(x, st);
}

async function restore(x: Exec, store: CheckpointStore, cp: Checkpoint, st: FollowState, nowMs: number): Promise<FollowState | null> {
  if (cp.path !== x.path) {
    x.log.warn('checkpoint belongs to another audit.path; ignoring it', { checkpointPath: cp.path, path: x.path });
    return null;
  }
  try {
    x.state.restore(cp.state);
    x.sections?.restore(cp.sections ?? {});
  } catch (err) {
    const keptAs = await store.discard(nowMs);
    x.log.error('checkpoint counter state unusable; kept aside, starting per audit.startAt', { error: (err as Error).message, keptAs });
    return null;
  }
  x.log.info('resumed from checkpoint', { position: cp.current, writtenAtMs: cp.writtenAtMs });
  const resumeAt = cp.current ? { pos: cp.current, writtenAtMs: cp.writtenAtMs, misses: 0 } : null;
  return { ...st, done: new Set(cp.done), lost: cp.lost ?? [], unread: cp.unread ?? [], resume: resumeAt };
}

/**
 * Finds the checkpointed generation and opens it at its offset. A listing that misses it proves
 * nothing (listings are not atomic); it is declared lost only after stable listings agree.
 * Unresolved after a few listings, `resume` stays set and the next poll tries again.
 */
export async function resume(x: Exec, st: FollowState): Promise<FollowState> {
  for (let i = 0; i < RESUME_LISTINGS && st.resume; i++) {
    const { pos, writtenAtMs } = st.resume;
    const snap = await x.scanner.snapshot();
    const misses = snap.stable ? st.resume.misses + 1 : 0;
    const step = planResume(pos, snap, misses, writtenAtMs);
    if (step.kind === 'relist') { st = { ...st, resume: { pos, writtenAtMs, misses } }; continue; }
    if (step.kind === 'lost') return declareLost(x, st, pos, step.unreadBytes);
    try {
      const gen = await openCandidate(x.ctx, step.cand, pos.offset);
      if (gen instanceof Generation && gen.size < pos.offset) {
        x.log.warn('checkpointed file is shorter than the checkpoint offset; reading it from the start', { path: step.cand.path, offset: pos.offset, size: gen.size });
        x.events.truncated();
        gen.restartAtZero();
      }
      if (step.cand.kind === 'live') x.setUp(true);
      const copy = pos.copy === true || step.truncatedWhileDown;
      if (copy && pos.copy !== true) x.events.truncated();
      return { ...st, resume: null, current: gen, live: step.cand.kind === 'live', copy };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return st;
}

function declareLost(x: Exec, st: FollowState, pos: Position, unread: number | null): FollowState {
  x.events.fileLost(unread, pos.path);
  x.log.warn('checkpointed audit log file is gone; its unread rest is lost', { path: pos.path, offset: pos.offset, unreadBytes: unread ?? 'unknown' });
  x.touch();
  const done = new Set(st.done);
  done.add(pos.fingerprint);
  return { ...st, resume: null, done, lost: [...st.lost, { fingerprint: pos.fingerprint, offset: pos.offset }].slice(-MAX_LOST) };
}

/** No usable checkpoint: existing backups count as read; the live file starts at its end or beginning. */
async function fresh(x: Exec, st: FollowState): Promise<FollowState> {
  const { cands } = await x.scanner.snapshot();
  const done = new Set(st.done);
  for (const c of cands) if (c.kind !== 'live' && c.fingerprint !== null) done.add(c.fingerprint);
  x.touch();
  st = { ...st, done };
  if (x.startAt === 'beginning' || !cands.some((c) => c.kind === 'live')) return st;
  try {
    const gen = await Generation.open(x.path, 0, x.ctx);
    gen.skipTo(await lastLineEnd(gen));
    x.setUp(true);
    return { ...st, current: gen, live: true };
  } catch (err) {
    x.fail(err, x.path);
    return st;
  }
}

/** The offset just past the last newline of an open file (0 without one). */
async function lastLineEnd(gen: Generation): Promise<number> {
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (let end = gen.size; end > 0;) {
    const start = Math.max(0, end - buf.length);
    const n = await gen.fh.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(10);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return 0;
}
