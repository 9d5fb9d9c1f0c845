/** Choosing the next generation once the current one is finished: the oldest unread backup, else the live file. */
import type { Follower } from './follower.js';
import { Generation, reportOpenError } from './generation.js';
import { pruneDone, unreadBackup, type Candidate } from './scan.js';
import { openCandidate } from './startup.js';

/**
 * Makes the oldest unread backup, else the live file, the current generation; false when none is
 * available. The live file is opened before the backups are listed: a rotation between listing
 * and opening would otherwise hide the backup it made, which would then be read after its
 * successor, or never.
 */
export async function advance(f: Follower): Promise<boolean> {
  const live = await Generation.open(f.opts.path, 0, f.ctx).catch((err: unknown) => err);
  const cands = await f.scanner.scan();
  pruneDone(f.st.done, cands);
  const c = unreadBackup(cands, f.st.done);
  if (!c) return useLive(f, live);
  if (live instanceof Generation) await live.close();
  try {
    f.st.current = await openCandidate(f, c, 0);
    f.log.debug('reading unread backup', { path: c.path, fingerprint: c.fingerprint });
    f.st.live = false;
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return backupVanished(f, c);
  }
}

/** A backup disappeared between listing and opening: lost, unless a twin (`.gz`) still has it. */
async function backupVanished(f: Follower, c: Candidate): Promise<boolean> {
  const again = await f.scanner.scan();
  if (!again.some((o) => o.fingerprint === c.fingerprint)) {
    f.events.fileLost(c.size, c.path);
    f.log.warn('rotated audit log removed before it was read', { path: c.path, unreadBytesEstimate: c.size });
    f.st.done.add(c.fingerprint!);
    f.touch();
  }
  return advance(f);
}

/** Makes the opened live file current, or reports why it could not be opened (false). */
function useLive(f: Follower, live: Generation | unknown): boolean {
  if (!(live instanceof Generation)) {
    f.missing++;
    f.setUp(false);
    if (['ENOENT', 'EACCES', 'EPERM'].includes((live as NodeJS.ErrnoException).code ?? '')) f.events.readError(live as Error, f.opts.path);
    reportOpenError(f.log, live, f.opts.path, (e) => f.fail(e, f.opts.path));
    return false;
  }
  live.skipNul = f.afterTruncation;
  f.afterTruncation = false;
  f.st.current = live;
  f.log.debug('following live file', { path: live.path, ino: live.id.ino, fingerprint: live.fingerprint });
  f.st.live = true;
  f.missing = 0;
  f.setUp(true);
  return true;
}
