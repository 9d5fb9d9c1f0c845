/** Truncation in place (copytruncate): finish from the copy when one exists, then restart the live file at 0. */
import type { Exec, FollowState } from './context.js';
import type { Generation } from './generation.js';
import { openCandidate } from './open.js';
import { LOST_AFTER_MISSES, planCopy, type Candidate } from './plan.js';

/** Listings tried to find the copy (an unstable listing may miss it). */
const COPY_LISTINGS = 6;

/**
 * Closes the truncated generation and counts the truncation. If a backup carries the same
 * first-line fingerprint (the copy logrotate made) and reaches our offset, it becomes the current
 * generation, read from our offset; otherwise the unread rest is gone. The live file is then
 * reopened at 0, skipping leading NULs.
 */
export async function handleTruncation(x: Exec, st: FollowState, cur: Generation): Promise<FollowState> {
  const fp = cur.fingerprint;
  const offset = cur.committed();
  await cur.close();
  x.events.truncated();
  x.touch();
  x.log.info('audit log truncated in place', { path: x.path, offset });
  const next: FollowState = { ...st, current: null, live: false, afterTruncation: true };
  if (fp === null) return next;
  let seen: Candidate | undefined;
  for (let i = 0, misses = 0; i < COPY_LISTINGS; i++) {
    const snap = await x.scanner.snapshot();
    const copy = planCopy(fp, offset, snap.cands);
    if (!copy) {
      misses = snap.stable ? misses + 1 : 0;
      if (misses >= LOST_AFTER_MISSES) break;
      continue;
    }
    seen = copy;
    try {
      const current = await openCandidate(x.ctx, copy, offset);
      x.log.debug('reading the rest from the copy', { path: copy.path, offset });
      return { ...next, current, copy: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (seen) {
    // The copy existed but was removed before it could be read: its rest is lost.
    const unread = seen.kind === 'plain' ? Math.max(0, seen.size - offset) : null;
    x.events.fileLost(unread, seen.path);
    x.log.warn('copy of the truncated audit log removed before it was read', { path: seen.path, offset, unreadBytes: unread ?? 'unknown' });
  }
  const done = new Set(st.done);
  done.add(fp);
  return { ...next, done };
}
