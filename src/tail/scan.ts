/** Directory scan: the live file and its lumberjack backups (`audit-*.log[.gz]`), fingerprinted and ordered. */
import { basename, dirname, extname, join } from 'node:path';
import type { FsStat, TailFs } from './fs.js';
import { fileId, fingerprintOf, HEAD_BYTES } from './identity.js';
import type { Candidate, Snapshot } from './plan.js';

export type { Candidate, Snapshot } from './plan.js';

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
export async function gzFingerprint(fs: TailFs, path: string): Promise<string | null> {
  const parts: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of fs.gunzip(path)) {
      parts.push(chunk);
      got += chunk.length;
      if (got >= HEAD_BYTES || chunk.includes(10)) break;
    }
  } catch { /* incomplete: use what decompressed */ }
  return fingerprintOf(Buffer.concat(parts).subarray(0, HEAD_BYTES));
}

/** Lists and fingerprints the live file and its backups; caches fingerprints of unchanged files. */
export class Scanner {
  private cache = new Map<string, string>();
  /** Head buffer for fingerprints (listings run one at a time). */
  private readonly scratch = Buffer.allocUnsafe(HEAD_BYTES);
  /** Listings made so far. */
  listings = 0;
  private readonly isBackup: (name: string) => boolean;

  constructor(private readonly fs: TailFs, private readonly livePath: string) {
    this.isBackup = backupMatcher(livePath);
  }

  /** Whether a directory entry is relevant (the live file or a backup). */
  relevant(name: string): boolean {
    return name === basename(this.livePath) || this.isBackup(name);
  }

  /** All candidates, backups oldest first, then the live file. */
  async scan(): Promise<Candidate[]> {
    return (await this.snapshot()).cands;
  }

  /**
   * One listing. A listing is not atomic: an entry renamed, created or removed while it runs may
   * be missing. Such a listing is marked unstable (the directory's mtime moved, or a listed entry
   * vanished before its `stat`) so that nobody concludes from it that a file is gone.
   */
  async snapshot(): Promise<Snapshot> {
    const dir = dirname(this.livePath);
    this.listings++;
    let before: string;
    let names: string[];
    try {
      before = (await this.fs.stat(dir)).mtimeNs;
      names = await this.fs.list(dir);
    } catch {
      return { cands: [], stable: false };
    }
    const cands: Candidate[] = [];
    const seen = new Map<string, string>();
    let vanished = false;
    for (const name of names.filter((n) => this.relevant(n)).sort()) {
      const c = await this.candidate(join(dir, name), name, seen);
      if (c === 'vanished') vanished = true;
      else if (c) cands.push(c);
    }
    this.cache = seen;
    const after = await this.fs.stat(dir).then((s) => s.mtimeNs, () => null);
    return { cands: cands.sort(order), stable: !vanished && after === before };
  }

  private async candidate(path: string, name: string, seen: Map<string, string>): Promise<Candidate | 'vanished' | null> {
    try {
      let st = await this.fs.stat(path);
      if (st.kind !== 'file') return null;
      const kind = name === basename(this.livePath) ? 'live' : name.endsWith('.gz') ? 'gz' : 'plain';
      let fp = this.cache.get(statKey(st)) ?? null;
      if (fp === null) {
        // Identity and fingerprint must describe the same file: the path may be renamed over
        // between a stat and an open, so a plain file is stat'ed through the handle it is read by.
        ({ st, fp } = kind === 'gz' ? { st, fp: await gzFingerprint(this.fs, path) } : await plainIdentity(this.fs, path, this.scratch));
        if (kind === 'gz' && statKey(await this.fs.stat(path)) !== statKey(st)) return 'vanished';
      }
      if (fp !== null) seen.set(statKey(st), fp);
      const orderMs = kind === 'live' ? Number.POSITIVE_INFINITY : (stampMs(name) ?? st.mtimeMs);
      return { path, kind, id: fileId(st), size: st.size, orderMs, birthMs: st.birthMs, fingerprint: fp };
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'vanished' : null;
    }
  }
}

function statKey(st: FsStat): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

/** The stat and first-line fingerprint of a plain file, both through one open handle. */
async function plainIdentity(fs: TailFs, path: string, buf: Buffer): Promise<{ st: FsStat; fp: string | null }> {
  const fh = await fs.open(path);
  try {
    const st = await fh.stat();
    const n = await fh.read(buf, 0, HEAD_BYTES, 0);
    return { st, fp: fingerprintOf(buf.subarray(0, n)) };
  } finally {
    await fh.close();
  }
}

function order(a: Candidate, b: Candidate): number {
  if (a.orderMs !== b.orderMs) return a.orderMs < b.orderMs ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

