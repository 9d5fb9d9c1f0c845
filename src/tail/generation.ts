/** One generation of the log: an open plain file read by byte offset into a line splitter. */
import { LineSplitter } from './lines.js';
import type { FsHandle, TailFs } from './fs.js';
import type { LineConsumer, TailEvents } from './types.js';
import { fileId, fingerprintHandle, fingerprintOf, headEnd, nextMark, readAt, sameId, HEAD_BYTES, MARK_BYTES, type FileId } from './identity.js';

/** At most this many bytes are read per drain; then the tailer rechecks the path (rotation, shutdown). */
export const PASS_BYTES = 64 * 1024 * 1024;

/** Scratch space for the synchronous head check (used and released within one synchronous call). */
const HEAD_SCRATCH = Buffer.allocUnsafe(HEAD_BYTES);

/** Reports bytes committed since `counted` as read; returns the new counted position. */
export function reportCommitted(ctx: GenerationContext, committed: number, counted: number): number {
  if (committed <= counted) return counted;
  ctx.events.bytesRead(committed - counted);
  return committed;
}

/** Shared settings for generations. */
export interface GenerationContext {
  maxLineBytes: number;
  consumer: LineConsumer;
  events: TailEvents;
  /** Two reusable read buffers: the next read fills one while lines of the other are processed. */
  bufs: [Buffer, Buffer];
  /** Called between chunks so a long catch-up can checkpoint and report lag; the generation is consistent then. */
  progress(): Promise<void>;
  /** The filesystem generations are read from. */
  readonly fs: TailFs;
  /** True when reading should stop early (shutdown). */
  stopping(): boolean;
}

/**
 * An open plain file. `fed` counts bytes given to the splitter; `committed()` is the end of
 * the last complete line, the offset a checkpoint stores.
 */
export class Generation {
  readonly splitter: LineSplitter;
  fed: number;
  fingerprint: string | null;
  /** Last bytes fed, to detect content replaced in place. */
  mark: Buffer = Buffer.alloc(0);
  /** Skip NUL bytes at the read position (after a copytruncate by a writer without O_APPEND). */
  skipNul = false;
  /** Last size seen by `fstat`. */
  size = 0;
  /** The last drain reached the end of the file (false: it stopped at its byte budget or for shutdown). */
  atEof = false;
  private counted: number;
  /** Head read buffer for the content check, allocated once. */
  private scratch: Buffer<ArrayBuffer> | null = null;
  /** The fingerprinted prefix (first line), once read and checked. */
  private headBytes: Buffer | null = null;
  /** The head bytes read so far (while no fingerprint is known). */
  private headSeen: Buffer = Buffer.alloc(0);

  private constructor(readonly path: string, readonly fh: FsHandle, readonly id: FileId, offset: number, fp: string | null, private readonly ctx: GenerationContext) {
    this.splitter = new LineSplitter(ctx.maxLineBytes, ctx.consumer);
    this.fed = offset;
    this.counted = offset;
    this.fingerprint = fp;
  }

  /** Opens `path` for reading from `offset`; throws the `open` error (ENOENT, EACCES...). */
  static async open(path: string, offset: number, ctx: GenerationContext): Promise<Generation> {
    const fh = await ctx.fs.open(path);
    try {
      const st = await fh.stat();
      const fp = await fingerprintHandle(fh);
      const gen = new Generation(path, fh, fileId(st), offset, fp, ctx);
      gen.size = st.size;
      if (offset > 0) gen.mark = await readAt(fh, Math.max(0, offset - MARK_BYTES), Math.min(offset, MARK_BYTES));
      return gen;
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  /** The end of the last complete line: what a checkpoint stores. */
  committed(): number {
    return this.fed - this.splitter.pendingBytes;
  }

  /** Reads to end of file, feeding complete lines to the consumer; returns the bytes read. */
  async drain(): Promise<number> {
    let total = 0;
    let [cur, next] = this.ctx.bufs;
    const read = (b: Buffer, at: number): Promise<number> => this.fh.read(b, 0, b.length, at);
    let pending: Promise<number> | undefined = read(cur, this.fed);
    this.atEof = false;
    try {
      while (pending !== undefined && !this.ctx.stopping()) {
        const bytesRead: number = await pending;
        pending = undefined;
        if (bytesRead === 0) { this.atEof = true; break; }
        // Read ahead while this chunk is parsed: catch-up is limited by parsing, not by waiting on reads.
        if (bytesRead === cur.length && total + bytesRead < PASS_BYTES) pending = read(next, this.fed + bytesRead);
        // Feed a chunk only once the head shows the file was not truncated in place before the read
        // (copytruncate): otherwise the chunk may be new content at an old offset.
        if (!this.headUnchanged()) break;
        total += bytesRead;
        // The fingerprint must exist before any checkpoint records a non-zero offset. It is taken
        // from the bytes read, never by reading the head again: the file may have been replaced since.
        if (this.fingerprint === null) this.fingerprintFrom(cur.subarray(0, bytesRead));
        this.feed(cur.subarray(0, bytesRead));
        if (this.fingerprint === null && this.committed() > 0) this.fingerprint = await fingerprintHandle(this.fh);
        if (!pending) { this.atEof = bytesRead < cur.length; break; }
        if (this.fed > this.size) this.size = (await this.fh.stat()).size;
        await this.ctx.progress();
        [cur, next] = [next, cur];
      }
    } finally {
      // A read still in flight (shutdown) must finish before its buffer is reused or the handle closed.
      await pending?.catch(() => undefined);
    }
    return total;
  }

  /**
   * Whether the first line is still the one fingerprinted (true while none is known yet). A
   * synchronous read: once per chunk, of a head page just read, it costs microseconds where an
   * asynchronous one would stall the read-ahead pipeline.
   */
  private headUnchanged(): boolean {
    if (this.fingerprint === null) return true;
    const n = this.fh.readSync(HEAD_SCRATCH, 0, HEAD_BYTES, 0);
    const known = this.headBytes;
    // Compare bytes when the fingerprinted prefix is known (no hashing per chunk); else hash.
    if (known !== null) return n >= known.length && HEAD_SCRATCH.compare(known, 0, known.length, 0, known.length) === 0;
    const head = HEAD_SCRATCH.subarray(0, n);
    if (fingerprintOf(head) !== this.fingerprint) return false;
    this.headBytes = Buffer.from(head.subarray(0, headEnd(head)!));
    return true;
  }

  /** Collects the head from chunks read contiguously from offset 0 and fingerprints it once it holds a line. */
  private fingerprintFrom(chunk: Buffer): void {
    if (this.fed !== this.headSeen.length || this.fed >= HEAD_BYTES) return;
    this.headSeen = Buffer.concat([this.headSeen, chunk.subarray(0, HEAD_BYTES - this.fed)]);
    this.fingerprint = fingerprintOf(this.headSeen);
  }

  /** Feeds one chunk read at `fed`. */
  private feed(chunk: Buffer): void {
    let data = chunk;
    if (this.skipNul) {
      let i = 0;
      while (i < data.length && data[i] === 0) i++;
      this.fed += i;
      this.counted += i;
      if (i > 0) this.ctx.events.bytesRead(i);
      data = data.subarray(i);
      if (data.length > 0) this.skipNul = false;
    }
    if (data.length === 0) return;
    this.fed += data.length;
    this.mark = nextMark(this.mark, data);
    this.splitter.push(data);
    this.account();
  }

  /** Reports newly committed bytes. */
  private account(): void {
    this.counted = reportCommitted(this.ctx, this.committed(), this.counted);
  }

  /** Ends the generation for good: a final partial line is processed as a line. */
  finish(): void {
    this.splitter.finish();
    this.account();
  }

  /** Moves the read position to `offset` without reading what lies before it (`audit.startAt: end`). */
  skipTo(offset: number): void {
    this.fed = offset;
    this.counted = offset;
  }

  /** Restarts at offset 0 after truncation, dropping a partial line. */
  restartAtZero(): void {
    this.splitter.reset();
    this.fed = 0;
    this.counted = 0;
    this.mark = Buffer.alloc(0);
    this.skipNul = true;
    this.fingerprint = null;
    this.headSeen = Buffer.alloc(0);
    this.headBytes = null;
  }

  /** Whether the bytes before `fed` still match what was read (false: replaced in place). */
  async contentUnchanged(): Promise<boolean> {
    const st = await this.fh.stat();
    this.size = st.size;
    if (this.size < this.fed) return false;
    if (this.mark.length > 0) {
      const now = await readAt(this.fh, this.fed - this.mark.length, this.mark.length);
      if (!now.equals(this.mark)) return false;
    }
    if (this.fingerprint !== null) {
      this.scratch ??= Buffer.allocUnsafe(HEAD_BYTES);
      const known = this.headBytes;
      if (known !== null) {
        const n = await this.fh.read(this.scratch, 0, known.length, 0);
        return n === known.length && this.scratch.compare(known, 0, n, 0, n) === 0;
      }
      if ((await fingerprintHandle(this.fh, this.scratch)) !== this.fingerprint) return false;
    }
    return true;
  }

  /** Whether this generation is the inode `id`. */
  is(id: FileId): boolean {
    return sameId(this.id, id);
  }

  /** Number of hard links left (0: deleted); refreshes `size`. */
  async links(): Promise<number> {
    const st = await this.fh.stat();
    this.size = st.size;
    return st.nlink;
  }

  /** Closes the descriptor (held descriptors pin disk space). */
  async close(): Promise<void> {
    await this.fh.close();
  }
}
