/**
 * A simulated directory behind `TailFs`: inodes, names, links, non-atomic listings, gzip twins.
 * Every operation is an await point at which the scheduler may let the writer act or crash the reader.
 */
import { notRegular, type FsHandle, type FsStat, type TailFs } from '../../../src/tail/fs.js';

/** One simulated inode. */
export interface Inode {
  ino: number;
  /** Plain content, or the decompressed content of a `.gz`. */
  data: Buffer;
  nlink: number;
  mtime: number;
  birth: number;
  /** For a `.gz`: whether it has been written completely (else readers see a truncated stream). */
  gz?: { complete: boolean };
  kind: 'file' | 'fifo';
}

/** Called at every await point with the operation name; returns false to crash (the operation never completes). */
export type Tick = (op: string) => boolean;

function enoent(path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`ENOENT: ${path}`);
  err.code = 'ENOENT';
  return err;
}

/** A promise that never settles and that nothing else holds: the crashed reader parked on it can be collected. */
export function halt(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** The directory `/sim` and its entries; the writer side mutates it synchronously. */
export class SimDir {
  readonly names = new Map<string, Inode>();
  mtime = 1;
  private nextIno = 10;
  now = 1;

  /** Creates (or truncates, O_TRUNC) a file. */
  create(name: string, data = Buffer.alloc(0), gz?: { complete: boolean }): Inode {
    const old = this.names.get(name);
    if (old) { old.data = data; old.mtime = ++this.now; if (gz) old.gz = gz; return old; }
    const node: Inode = { ino: this.nextIno++, data, nlink: 1, mtime: ++this.now, birth: this.now, kind: 'file', ...(gz ? { gz } : {}) };
    this.names.set(name, node);
    this.mtime++;
    return node;
  }

  /** Renames `from` to `to` (replacing `to`). */
  rename(from: string, to: string): void {
    const node = this.names.get(from)!;
    this.unlink(to);
    this.names.delete(from);
    this.names.set(to, node);
    this.mtime++;
  }

  /** Removes a name (open handles keep the inode). */
  unlink(name: string): void {
    const node = this.names.get(name);
    if (!node) return;
    node.nlink--;
    this.names.delete(name);
    this.mtime++;
  }

  /** Appends bytes to a file. */
  append(name: string, bytes: Buffer): void {
    const node = this.names.get(name)!;
    node.data = Buffer.concat([node.data, bytes]);
    node.mtime = ++this.now;
  }
}

function statOf(n: Inode): FsStat {
  return { kind: n.kind, dev: '1', ino: String(n.ino), size: n.gz ? Math.ceil(n.data.length / 3) : n.data.length, mtimeNs: String(n.mtime), mtimeMs: n.mtime, birthMs: n.birth, nlink: n.nlink };
}

/** `TailFs` over a `SimDir` mounted at `/sim`; `tick` runs before each operation completes. */
export class SimFs implements TailFs {
  constructor(private readonly dir: SimDir, private readonly tick: Tick, private readonly rand: () => number) {}

  private async step(op: string): Promise<void> {
    await Promise.resolve();
    if (!this.tick(op)) await halt();
  }

  private node(path: string): Inode | undefined {
    return path.startsWith('/sim/') ? this.dir.names.get(path.slice(5)) : undefined;
  }

  /** Entries unchanged while the listing ran are listed once; entries changed meanwhile may be missing. */
  async list(path: string): Promise<string[]> {
    if (path !== '/sim') throw enoent(path);
    const before = new Map(this.dir.names);
    await this.step('list');
    const out: string[] = [];
    for (const [name, node] of this.dir.names) {
      if (before.get(name) === node || this.rand() < 0.5) out.push(name);
    }
    for (const name of before.keys()) if (!this.dir.names.has(name) && this.rand() < 0.5) out.push(name);
    return out;
  }

  async stat(path: string): Promise<FsStat> {
    await this.step('stat');
    if (path === '/sim') return { kind: 'dir', dev: '1', ino: '1', size: 0, mtimeNs: String(this.dir.mtime), mtimeMs: this.dir.mtime, birthMs: 0, nlink: 2 };
    const n = this.node(path);
    if (!n) throw enoent(path);
    return statOf(n);
  }

  async open(path: string): Promise<FsHandle> {
    await this.step('open');
    const n = this.node(path);
    if (!n) throw enoent(path);
    if (n.kind !== 'file') throw notRegular(path, n.kind);
    const step = (op: string): Promise<void> => this.step(op);
    return {
      stat: async () => { await step('fstat'); return statOf(n); },
      read: async (buf, off, len, pos) => { await step('read'); return readInto(n, buf, off, len, pos); },
      readSync: (buf, off, len, pos) => readInto(n, buf, off, len, pos),
      close: async () => { await step('close'); },
    };
  }

  async *gunzip(path: string): AsyncIterable<Buffer> {
    await this.step('gunzip');
    const n = this.node(path);
    if (!n) throw enoent(path);
    const complete = n.gz?.complete !== false;
    const data = n.data;
    const end = complete ? data.length : Math.floor(data.length * this.rand());
    for (let at = 0; at < end; at += 64) {
      yield data.subarray(at, Math.min(end, at + 64));
      await this.step('gunzip-chunk');
    }
    if (!complete) throw new Error('unexpected end of file');
  }
}

function readInto(n: Inode, buf: Buffer, off: number, len: number, pos: number): number {
  if (pos >= n.data.length) return 0;
  return n.data.copy(buf, off, pos, Math.min(n.data.length, pos + len));
}
