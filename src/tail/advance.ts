/** Choosing the next generation once the current one is finished: the oldest unread backup, else the live file. */
import type { Exec, FollowState } from './context.js';
import { Generation } from './generation.js';
import { openCandidate, reportOpenError } from './open.js';
import { planNext, pruneDone, settleUnread, type Snapshot } from './plan.js';
import type { UnreadBackup } from './context.js';

/** How often a step lists again when a file vanished between listing and opening. */
const OPEN_TRIES = 5;

/**
 * Makes the oldest unread backup, else the live file, the current generation (state.current
 * stays null when none is available). The live file is opened before the backups are listed: a
 * rotation between listing and opening would otherwise hide the backup it made, which would
 * then be read after its successor, or never.
 */
export async function advance(x: Exec, st: FollowState): Promise<FollowState> {
  for (let tries = 1; ; tries++) {
    const live = await Generation.open(x.path, 0, x.ctx).catch((err: unknown) => err);
    const snap = await x.scanner.snapshot();
    const { cands } = snap;
    // Forget finished generations only on a stable listing: one that missed a file proves nothing.
    const done = snap.stable ? pruneDone(st.done, cands) : st.done;
    st = { ...st, done, unread: settle(x, st, snap, done) };
    const next = planNext(cands, done, st.lost);
    if (next === 'live') return useLive(x, st, live);
    if (live instanceof Generation) await live.close();
    try {
      const current = await openCandidate(x.ctx, next.cand, next.offset);
      x.log.debug('reading unread backup', { path: next.cand.path, fingerprint: next.cand.fingerprint, offset: next.offset });
      if (next.offset > 0) x.log.warn('a generation declared lost reappeared; reading its rest', { path: next.cand.path, offset: next.offset });
      const lost = st.lost.filter((l) => l.fingerprint !== next.cand.fingerprint);
      return { ...st, done, lost, current, live: false, copy: false };
    } catch (err) {
      // Renamed, replaced or removed since the listing (a `.gz` twin may have taken over): list again.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tries >= OPEN_TRIES) throw err;
    }
  }
}

/**
 * Backups listed earlier but neither read nor listed now (under any name, in stable listings)
 * were removed unread (retention): each is counted lost. Returns the unread backups to remember.
 */
function settle(x: Exec, st: FollowState, snap: Snapshot, done: ReadonlySet<string>): readonly UnreadBackup[] {
  // Against the done set before pruning: a backup finished and then removed is not lost.
  const { gone, kept } = settleUnread(st.unread, snap, st.done, done);
  for (const g of gone) {
    x.events.fileLost(g.size, g.path);
    x.log.warn('rotated audit log removed before it was read', { path: g.path, unreadBytes: g.size ?? 'unknown' });
    x.touch();
  }
  return kept;
}

/** Makes the opened live file current, or reports why it could not be opened (state unchanged). */
function useLive(x: Exec, st: FollowState, live: Generation | unknown): FollowState {
  if (!(live instanceof Generation)) {
    x.setUp(false);
    reportOpenError(x, live, x.path);
    return st;
  }
  live.skipNul = st.afterTruncation;
  x.log.debug('following live file', { path: live.path, ino: live.id.ino, fingerprint: live.fingerprint });
  x.setUp(true);
  return { ...st, current: live, live: true, copy: false, afterTruncation: false };
}
