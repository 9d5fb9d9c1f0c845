/** Start-up: restore the checkpoint (counters and position, found by fingerprint), or start per `audit.startAt`. */
import { access, mkdir, open } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { Follower } from './follower.js';
import { Generation } from './generation.js';
import { GzGeneration } from './gz.js';
import { gzReadable, type Candidate } from './scan.js';
import { keepAside, loadCheckpoint, CHECKPOINT_FILE, type Checkpoint, type Position } from './checkpoint.js';
import { join } from 'node:path';

/** Opens a scanned candidate at `offset` (decompressed offset for `.gz`). */
export async function openCandidate(f: Follower, c: Candidate, offset: number): Promise<Generation | GzGeneration> {
  if (c.kind === 'gz') return new GzGeneration(c.path, c.id, c.fingerprint!, offset, c.size, f.ctx);
  return Generation.open(c.path, offset, f.ctx);
}

/** Positions the follower before the first poll. */
export async function startup(f: Follower): Promise<void> {
  const { stateDir } = f.opts;
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    f.log.error('cannot create the state directory; counters will not survive restarts', { dir: stateDir, error: (err as Error).message });
  }
  await access(f.opts.path, constants.R_OK).then(() => f.setUp(true), () => f.setUp(false));
  const res = await loadCheckpoint(stateDir, Date.now());
  if (res.kind === 'corrupt') {
    f.log.error('checkpoint unusable; kept aside, starting per audit.startAt', { error: res.error, keptAs: res.keptAs, startAt: f.opts.startAt });
  } else if (res.kind === 'ok') {
    if (await restore(f, res.checkpoint)) return;
  }
  await fresh(f);
}

async function restore(f: Follower, cp: Checkpoint): Promise<boolean> {
  if (cp.path !== f.opts.path) {
    f.log.warn('checkpoint belongs to another audit.path; ignoring it', { checkpointPath: cp.path, path: f.opts.path });
    return false;
  }
  try {
    f.opts.state.restore(cp.state);
  } catch (err) {
    const keptAs = await keepAside(join(f.opts.stateDir, CHECKPOINT_FILE), Date.now());
    f.log.error('checkpoint counter state unusable; kept aside, starting per audit.startAt', { error: (err as Error).message, keptAs });
    return false;
  }
  f.st.done = new Set(cp.done);
  if (cp.current) await resumeAt(f, cp.current, cp.writtenAtMs);
  f.log.info('resumed from checkpoint', { position: cp.current, writtenAtMs: cp.writtenAtMs });
  return true;
}

/** Finds the checkpointed generation by fingerprint (dev/ino and size break ties) and opens it at its offset. */
async function resumeAt(f: Follower, pos: Position, writtenAtMs: number): Promise<void> {
  // A plain backup may be removed (its `.gz` twin complete) between the scan and the open: scan again.
  for (let tries = 1; ; tries++) {
    try {
      await resumeOnce(f, pos, writtenAtMs);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tries >= 5) throw err;
    }
  }
}

async function resumeOnce(f: Follower, pos: Position, writtenAtMs: number): Promise<void> {
  const cands = await f.scanner.scan();
  const same = cands.filter((c) => c.fingerprint === pos.fingerprint && (c.kind !== 'gz' || gzReadable(c, cands)));
  const rank = (c: Candidate): number => (c.kind === 'gz' ? 2 : c.id.dev === pos.dev && c.id.ino === pos.ino && c.size >= pos.offset ? 0 : c.size >= pos.offset ? 1 : 3);
  const match = same.sort((a, b) => rank(a) - rank(b))[0];
  if (!match) {
    const unread = Math.max(0, pos.size - pos.offset);
    f.events.fileLost(unread, pos.path);
    f.log.warn('checkpointed audit log file is gone; its unread rest is lost', { path: pos.path, unreadBytesEstimate: unread });
    f.st.done.add(pos.fingerprint);
    f.touch();
    return;
  }
  const gen = await openCandidate(f, match, pos.offset);
  if (gen instanceof Generation && gen.size < pos.offset) {
    f.log.warn('checkpointed file is shorter than the checkpoint offset; reading it from the start', { path: match.path, offset: pos.offset, size: gen.size });
    f.events.truncated();
    gen.restartAtZero();
  }
  f.st.current = gen;
  f.st.live = match.kind === 'live';
  f.st.copy = pos.copy === true || truncatedWhileDown(pos, match, cands, writtenAtMs);
  if (f.st.copy && pos.copy !== true) f.events.truncated();
}

/**
 * The checkpointed inode still exists (live or renamed since) with other content, and it was
 * created before the checkpoint (not a reused inode): it was truncated in place while down, and
 * the match is its copy (copytruncate).
 */
function truncatedWhileDown(pos: Position, match: Candidate, cands: Candidate[], writtenAtMs: number): boolean {
  const isPos = (c: Candidate): boolean => c.id.dev === pos.dev && c.id.ino === pos.ino;
  if (isPos(match)) return false;
  return cands.some((c) => isPos(c) && c.fingerprint !== pos.fingerprint && c.birthMs > 0 && c.birthMs <= writtenAtMs);
}

/** No usable checkpoint: existing backups count as read; the live file starts at its end or beginning. */
async function fresh(f: Follower): Promise<void> {
  const cands = await f.scanner.scan();
  for (const c of cands) if (c.kind !== 'live' && c.fingerprint !== null) f.st.done.add(c.fingerprint);
  f.touch();
  if (f.opts.startAt === 'beginning') return;
  const live = cands.find((c) => c.kind === 'live');
  if (!live) return;
  let offset: number;
  try { offset = await lastLineEnd(f.opts.path); } catch { return; }
  try {
    f.st.current = await Generation.open(f.opts.path, offset, f.ctx);
    f.st.live = true;
    f.setUp(true);
  } catch (err) {
    f.fail(err, f.opts.path);
  }
}

/** The offset just past the last newline of a file (0 without one). */
export async function lastLineEnd(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const size = Number((await fh.stat()).size);
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - buf.length);
      const { bytesRead } = await fh.read(buf, 0, end - start, start);
      const nl = buf.subarray(0, bytesRead).lastIndexOf(10);
      if (nl >= 0) return start + nl + 1;
      end = start;
    }
    return 0;
  } finally {
    await fh.close();
  }
}
