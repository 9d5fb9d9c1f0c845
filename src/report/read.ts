/** Reading inputs (plain, gzip; files, pipes, FIFOs, stdin) into the analyzer through the byte-level line splitter, never seeking. */
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { LineSplitter } from '../tail/lines.js';
import type { LineConsumer } from '../tail/types.js';
import type { FileInfo } from './build.js';
import type { EventSink } from '../webhook/eventlist.js';
import { EventListLines } from './eventlist.js';

const CHUNK = 1 << 22;

/** Called with bytes read so far, for progress display. */
export type Progress = (bytes: number) => void;

const isGzipHead = (b: Buffer): boolean => b[0] === 0x1f && b[1] === 0x8b;

/** Feeds a plain file to `splitter` in 4 MiB synchronous reads (as `report` does); returns the bytes read. */
export function readPlain(path: string, splitter: LineSplitter, progress?: Progress): number {
  const fd = openSync(path, 'r');
  try { return readPlainFd(fd, Buffer.allocUnsafe(CHUNK), 0, splitter, progress); } finally { closeSync(fd); }
}

/** Continues a sequential read of `fd` (never seeking) whose first `have` bytes are already in `buf`. */
function readPlainFd(fd: number, buf: Buffer, have: number, splitter: LineSplitter, progress?: Progress): number {
  let total = 0;
  let n = have;
  for (;;) {
    if (n > 0) {
      total += n;
      splitter.push(n === buf.length ? buf : buf.subarray(0, n));
      progress?.(n);
    }
    n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) return total;
  }
}

async function pushAll(chunks: AsyncIterable<Buffer>, splitter: LineSplitter, progress?: Progress): Promise<number> {
  let total = 0;
  for await (const b of chunks) {
    total += b.length;
    splitter.push(b);
    progress?.(b.length);
  }
  return total;
}

/** Yields `head`, then the rest of `it`. */
async function* prepend(head: Buffer, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}

/**
 * Reads a stream that cannot seek (stdin, a pipe, a FIFO, process substitution): gzip is
 * recognised from its first two bytes, then the stream is decompressed or fed as it is.
 */
export async function readSequential(source: AsyncIterable<Buffer>, splitter: LineSplitter, progress?: Progress): Promise<number> {
  const it = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) break;
    head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
  }
  if (head.length === 0) return 0;
  if (!isGzipHead(head)) return pushAll(prepend(head, it), splitter, progress);
  const gunzip = createGunzip();
  const feed = pipeline(Readable.from(prepend(head, it)), gunzip);
  const [n] = await Promise.all([pushAll(gunzip, splitter, progress), feed]);
  return n;
}

/** Reads a regular file sequentially, into `into` when given: the first read (no seek) decides between plain and gzip. */
async function readFile(path: string, splitter: LineSplitter, progress?: Progress, into?: Buffer): Promise<number> {
  const fd = openSync(path, 'r');
  if (!fstatSync(fd).isFile()) return readSequential(createReadStream(path, { fd }), splitter, progress);
  let closed = false;
  try {
    const buf = into ?? Buffer.allocUnsafe(CHUNK);
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n >= 2 && isGzipHead(buf)) {
      closed = true;
      // Progress counts on-disk bytes; decompressed bytes would overshoot, so compressed files show none.
      return await readSequential(prepend(Buffer.from(buf.subarray(0, n)), createReadStream(path, { fd })[Symbol.asyncIterator]()), splitter);
    }
    return readPlainFd(fd, buf, n, splitter, progress);
  } finally { if (!closed) closeSync(fd); }
}

/**
 * Reads one input into `consumer` and returns what the report lists for it (`bytes` are
 * decompressed bytes); `linesSoFar` tells how many lines the consumer has seen in total. A regular
 * file is read into `into` when given (the analyzer's scanner memory, which then needs no copy).
 */
export async function readInput(
  path: string, consumer: LineConsumer & EventSink, maxLineBytes: number, linesSoFar: () => number, progress?: Progress, into?: Buffer,
): Promise<FileInfo> {
  const before = linesSoFar();
  const lists = new EventListLines(consumer);
  const splitter = new LineSplitter(maxLineBytes, lists);
  const bytes = path === '-' ? await readSequential(process.stdin, splitter, progress) : await readFile(path, splitter, progress, into);
  splitter.finish();
  lists.finish();
  return { path, bytes, lines: linesSoFar() - before };
}

/** Returns the size of a regular file (0 for stdin, pipes and FIFOs, which must not be opened twice), for the progress total. */
export function sizeOf(path: string): number {
  if (path === '-') return 0;
  const st = statSync(path);
  return st.isFile() ? st.size : 0;
}

/** True when the head of a file looks like EventList input (a first line naming EventList, or a lone `{`), which only the sequential reader unwraps. */
function eventListHead(head: Buffer): boolean {
  const nl = head.indexOf(10);
  const first = head.subarray(0, nl < 0 ? head.length : nl).toString('utf8').trim();
  return first === '{' || first.includes('"EventList"');
}

/** The size of a regular, non-empty, uncompressed audit-lines file that can be read in ranges; 0 for anything else (stdin, pipes, gzip, EventList). */
export function plainSize(path: string): number {
  // stat before opening: opening a FIFO would block for a writer, and pipes must be opened only once.
  if (path === '-' || !statSync(path).isFile()) return 0;
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < 2) return 0;
    const head = Buffer.alloc(Math.min(st.size, 64 * 1024));
    const n = readSync(fd, head, 0, head.length, 0);
    return n >= 2 && !isGzipHead(head) && !eventListHead(head.subarray(0, n)) ? st.size : 0;
  } finally { closeSync(fd); }
}
