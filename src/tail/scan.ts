/** Directory scan: the live file and its lumberjack backups (`audit-*.log[.gz]`), fingerprinted and ordered. */
import { readdir, stat, open } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { gunzipSync, constants as zc } from 'node:zlib';
import { fileId, fingerprintOf, readAt, HEAD_BYTES, type FileId } from './identity.js';

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

/** Recognises backup names for a live path: `<stem>-<anything><ext>` and `<...>.gz`. */
export function backupMatcher(livePath: string): (name: string) => boolean {
  const base = basename(livePath);
  const ext = extname(base);
  const stem = base.slice(0, base.length - ext.length);
  return (name) => {
    const n = name.endsWith('.gz') ? name.slice(0, -3) : name;
    return n !== base && n.startsWith(`${stem}-`) && n.endsWith(ext) && n.length > stem.length + 1 + ext.length;
  };
}

const STAMP = /(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})/;

/** The UTC rotation time lumberjack puts in a backup name, or null. */
export function stampMs(name: string): number | null {
  const m = STAMP.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!);
}

/** Fingerprint of a `.gz` file's decompressed head; null while the head is not decodable yet. */
export async function gzFingerprint(path: string): Promise<string | null> {
  const fh = await open(path, 'r');
  try {
    const raw = await readAt(fh, 0, 64 * 1024);
    const head = gunzipSync(raw, { finishFlush: zc.Z_SYNC_FLUSH });
    return fingerprintOf(head.subarray(0, HEAD_BYTES));
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

async function plainFingerprint(path: string): Promise<string | null> {
  const fh = await open(path, 'r');
  try { return fingerprintOf(await readAt(fh, 0, HEAD_BYTES)); } finally { await fh.close(); }
}

/** How often a scan is repeated while files vanish between listing and `stat`. */
const SCAN_TRIES = 5;

/** Lists and fingerprints the live file and its backups; caches fingerprints of unchanged files. */
export class Scanner {
  private cache = new Map<string, string>();
  private readonly isBackup: (name: string) => boolean;

  constructor(private readonly livePath: string) {
    this.isBackup = backupMatcher(livePath);
  }

  /** Whether a directory entry is relevant (the live file or a backup). */
  relevant(name: string): boolean {
    return name === basename(this.livePath) || this.isBackup(name);
  }

  /**
   * All candidates, backups oldest first, then the live file. A listing is not atomic: when a
   * listed file vanished before its `stat` (a plain backup removed after its `.gz` twin was
   * written, the live file renamed), its successor may be missing from the listing, so the scan
   * is repeated until it is consistent (a few tries at most).
   */
  async scan(): Promise<Candidate[]> {
    let out: Candidate[] = [];
    for (let tries = 0; tries < SCAN_TRIES; tries++) {
      const got = await this.scanOnce();
      if (got === null) return [];
      out = got.cands;
      if (!got.vanished) break;
    }
    return out.sort(order);
  }

  private async scanOnce(): Promise<{ cands: Candidate[]; vanished: boolean } | null> {
    const dir = dirname(this.livePath);
    let names: string[];
    try { names = await readdir(dir); } catch { return null; }
    const cands: Candidate[] = [];
    const seen = new Map<string, string>();
    let vanished = false;
    for (const name of names.filter((n) => this.relevant(n))) {
      const c = await this.candidate(join(dir, name), name, seen);
      if (c === 'vanished') vanished = true;
      else if (c) cands.push(c);
    }
    this.cache = seen;
    return { cands, vanished };
  }

  private async candidate(path: string, name: string, seen: Map<string, string>): Promise<Candidate | 'vanished' | null> {
    try {
      const st = await stat(path, { bigint: true });
      if (!st.isFile()) return null;
      const kind = name === basename(this.livePath) ? 'live' : name.endsWith('.gz') ? 'gz' : 'plain';
      const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
      let fp = this.cache.get(key) ?? null;
      if (fp === null) fp = kind === 'gz' ? await gzFingerprint(path) : await plainFingerprint(path);
      if (fp !== null) seen.set(key, fp);
      const orderMs = kind === 'live' ? Number.POSITIVE_INFINITY : (stampMs(name) ?? Number(st.mtimeMs));
      return { path, kind, id: fileId(st), size: Number(st.size), orderMs, birthMs: Number(st.birthtimeMs), fingerprint: fp };
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'vanished' : null;
    }
  }
}

function order(a: Candidate, b: Candidate): number {
  if (a.orderMs !== b.orderMs) return a.orderMs < b.orderMs ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Whether a `.gz` candidate may be read: complete once its plain twin is gone (lumberjack order). */
export function gzReadable(c: Candidate, all: Candidate[]): boolean {
  const twin = c.path.slice(0, -3);
  return !all.some((o) => o.path === twin);
}

/** The oldest backup not read yet (by fingerprint), skipping `.gz` files still being written. */
export function unreadBackup(cands: Candidate[], done: ReadonlySet<string>): Candidate | undefined {
  return cands.find((c) => c.kind !== 'live' && c.fingerprint !== null && !done.has(c.fingerprint)
    && (c.kind !== 'gz' || gzReadable(c, cands)));
}

/** Forgets done fingerprints whose files are gone (keeps the set bounded by the backups on disk). */
export function pruneDone(done: Set<string>, cands: Candidate[]): void {
  const present = new Set(cands.map((c) => c.fingerprint));
  for (const fp of done) if (!present.has(fp)) done.delete(fp);
}
