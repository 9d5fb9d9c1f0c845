/** Truncation in place (copytruncate): finish from the copy when one exists, then restart the live file at 0. */
import type { Follower } from './follower.js';
import type { Generation } from './generation.js';
import { gzReadable } from './scan.js';
import { openCandidate } from './startup.js';

/**
 * Closes the truncated generation and counts the truncation. If a backup carries the same
 * first-line fingerprint (the copy logrotate made) and reaches our offset, it becomes the current
 * generation, read from our offset; otherwise the unread rest is gone. The live file is then
 * reopened at 0, skipping leading NULs.
 */
export async function handleTruncation(f: Follower, cur: Generation): Promise<void> {
  const fp = cur.fingerprint;
  const offset = cur.committed();
  await cur.close();
  f.st.current = null;
  f.st.live = false;
  f.events.truncated();
  f.afterTruncation = true;
  f.touch();
  f.log.info('audit log truncated in place', { path: f.opts.path, offset });
  if (fp === null) return;
  const cands = await f.scanner.scan();
  const copy = cands.find((c) => c.kind !== 'live' && c.fingerprint === fp && (c.kind === 'gz' ? gzReadable(c, cands) : c.size >= offset));
  if (!copy) {
    f.st.done.add(fp);
    return;
  }
  f.st.current = await openCandidate(f, copy, offset);
  f.st.copy = true;
  f.log.debug('reading the rest from the copy', { path: copy.path, offset });
}
