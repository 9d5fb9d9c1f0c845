/**
 * The tailer's pure planner: from the durable position, a directory snapshot and what is open,
 * it decides the next step. It performs no I/O and imports none, so every decision can be
 * checked against any interleaving the simulator produces.
 */

/** Device and inode as decimal strings. */
export interface FileId {
  dev: string;
  ino: string;
}

/** One file that may hold a generation of the log. */
export interface Candidate {
  path: string;
  kind: 'live' | 'plain' | 'gz';
  id: FileId;
  /** Size on disk (compressed for `.gz`). */
  size: number;
  /** Ordering key: the rotation time in the lumberjack name, else the modification time. */
  orderMs: number;
  /** Creation time where the filesystem records it, else 0. */
  birthMs: number;
  fingerprint: string | null;
}

/** A directory listing with its candidates; `stable` when nothing changed in the directory while it ran. */
export interface Snapshot {
  cands: Candidate[];
  /** The directory's mtime was the same before and after, and no listed entry vanished. */
  stable: boolean;
}

/** The generation being read when a checkpoint was taken. */
export interface Position {
  /** Where it was opened (a hint: identity is by fingerprint and dev/ino). */
  path: string;
  dev: string;
  ino: string;
  fingerprint: string;
  /** End of the last processed line (decompressed offset for `.gz`). */
  offset: number;
  /** Largest size actually observed (estimates unread bytes if the file is lost). */
  size: number;
  /** The generation is the copy of a file truncated in place (copytruncate). */
  copy?: boolean;
}

/** A generation declared lost; read from `offset` if it turns up again. */
export interface LostGeneration {
  fingerprint: string;
  offset: number;
}

/** What to do with the checkpointed position, given a listing. */
export type ResumeStep =
  | { kind: 'open'; cand: Candidate; truncatedWhileDown: boolean }
  | { kind: 'relist' }
  | { kind: 'lost'; unreadBytes: number | null };

/** Stable listings in a row that must miss a generation before it is declared lost. */
export const LOST_AFTER_MISSES = 2;

/** Whether a `.gz` candidate may be read: complete once its plain twin is gone (lumberjack order). */
export function gzReadable(c: Candidate, all: readonly Candidate[]): boolean {
  const twin = c.path.slice(0, -3);
  return !all.some((o) => o.path === twin);
}

function sameId(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Finds the checkpointed generation in a listing by fingerprint (dev/ino and size break ties).
 * Missing from the listing: list again, unless `misses` stable listings in a row (this one
 * included) missed it; only then is it lost. One stable listing is not enough: directory mtimes
 * are coarse (a rename in the same clock tick as the first stat leaves the mtime unchanged).
 */
export function planResume(pos: Position, snap: Snapshot, misses: number, writtenAtMs: number): ResumeStep {
  const { cands } = snap;
  const same = cands.filter((c) => c.fingerprint === pos.fingerprint && (c.kind !== 'gz' || gzReadable(c, cands)));
  const rank = (c: Candidate): number => (c.kind === 'gz' ? 2 : sameId(c.id, pos) && c.size >= pos.offset ? 0 : c.size >= pos.offset ? 1 : 3);
  const match = same.sort((a, b) => rank(a) - rank(b))[0];
  if (match) return { kind: 'open', cand: match, truncatedWhileDown: truncatedWhileDown(pos, match, cands, writtenAtMs) };
  // An unstable listing proves nothing. (A `.gz` twin still being written has its plain twin
  // beside it, which matches; lumberjack removes the plain file only once the `.gz` is complete.)
  if (!snap.stable || misses < LOST_AFTER_MISSES) return { kind: 'relist' };
  return { kind: 'lost', unreadBytes: lostBytes(pos) };
}

/** Unread bytes of a lost generation: from the last size observed, or null (unknown) when none exceeded the offset. */
export function lostBytes(pos: { offset: number; size: number }): number | null {
  return pos.size > pos.offset ? pos.size - pos.offset : null;
}

/**
 * The checkpointed inode still exists with other content and predates the checkpoint (not a
 * reused inode): it was truncated in place while down, and the match is its copy.
 */
function truncatedWhileDown(pos: Position, match: Candidate, cands: readonly Candidate[], writtenAtMs: number): boolean {
  if (sameId(match.id, pos)) return false;
  return cands.some((c) => sameId(c.id, pos) && c.fingerprint !== pos.fingerprint && c.birthMs > 0 && c.birthMs <= writtenAtMs);
}

/** The next generation after the current one is finished: the oldest unread backup (and where to start), else the live file. */
export function planNext(cands: readonly Candidate[], done: ReadonlySet<string>, lost: readonly LostGeneration[]): { cand: Candidate; offset: number } | 'live' {
  for (const c of cands) {
    if (c.kind === 'live' || c.fingerprint === null || (c.kind === 'gz' && !gzReadable(c, cands))) continue;
    const gone = lost.find((l) => l.fingerprint === c.fingerprint);
    if (gone) return { cand: c, offset: gone.offset };
    if (!done.has(c.fingerprint)) return { cand: c, offset: 0 };
  }
  return 'live';
}

/** Done fingerprints whose files are still listed (keeps the set bounded by the backups on disk). */
export function pruneDone(done: ReadonlySet<string>, cands: readonly Candidate[]): Set<string> {
  const present = new Set(cands.map((c) => c.fingerprint));
  return new Set([...done].filter((fp) => present.has(fp)));
}

/** After a truncation in place: the copy (a backup with the same fingerprint reaching our offset), if listed. */
export function planCopy(fingerprint: string, offset: number, cands: readonly Candidate[]): Candidate | undefined {
  return cands.find((c) => c.kind !== 'live' && c.fingerprint === fingerprint && (c.kind === 'gz' ? gzReadable(c, cands) : c.size >= offset));
}

/** Bytes on disk not read yet: the rest of the current generation, unread backups (plain sizes) and the live file if not current. */
export function lagBytes(cur: { size: number; fed: number; live: boolean } | null, cands: readonly Candidate[], done: ReadonlySet<string>, currentFp: string | null): number {
  let lag = cur ? Math.max(0, cur.size - cur.fed) : 0;
  for (const c of cands) {
    if (c.fingerprint !== null && c.fingerprint === currentFp) continue;
    if (c.kind === 'live') { if (!cur || !cur.live) lag += c.size; continue; }
    if (c.kind === 'plain' && c.fingerprint !== null && !done.has(c.fingerprint)) lag += c.size;
  }
  return lag;
}

/** A backup listed but not read yet; `size` is the plain size observed, null for a `.gz`. */
export interface UnreadEntry {
  fingerprint: string;
  path: string;
  size: number | null;
  /** Stable listings in a row that did not show it. */
  misses?: number;
}

/** The backups in a listing not read yet (oldest first). */
export function unreadBackups(cands: readonly Candidate[], done: ReadonlySet<string>): UnreadEntry[] {
  const out: UnreadEntry[] = [];
  for (const c of cands) {
    if (c.kind === 'live' || c.fingerprint === null || done.has(c.fingerprint) || out.some((o) => o.fingerprint === c.fingerprint)) continue;
    out.push({ fingerprint: c.fingerprint, path: c.path, size: c.kind === 'plain' ? c.size : null });
  }
  return out;
}

/**
 * Settles the unread backups remembered from earlier listings against a new one: each missing
 * from `LOST_AFTER_MISSES` stable listings in a row (under any name) is `gone`; the others, with
 * the backups newly listed unread, are `kept`.
 */
export function settleUnread(prev: readonly UnreadEntry[], snap: Snapshot, done: ReadonlySet<string>, pruned: ReadonlySet<string>): { gone: UnreadEntry[]; kept: UnreadEntry[] } {
  const gone: UnreadEntry[] = [];
  const kept: UnreadEntry[] = [];
  for (const u of prev) {
    if (done.has(u.fingerprint) || snap.cands.some((c) => c.fingerprint === u.fingerprint)) continue;
    const misses = (u.misses ?? 0) + (snap.stable ? 1 : 0);
    (misses >= LOST_AFTER_MISSES ? gone : kept).push({ ...u, misses: snap.stable ? misses : u.misses ?? 0 });
  }
  return { gone, kept: [...kept, ...unreadBackups(snap.cands, pruned)] };
}
