/** Reading inputs (plain, gzip, stdin) into the analyzer through the byte-level line splitter. */
import { closeSync, createReadStream, openSync, readSync, fstatSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { LineSplitter } from '../tail/lines.js';
import type { LineConsumer } from '../tail/types.js';
import type { FileInfo } from './build.js';

const CHUNK = 1 << 22;

/** Called with bytes read so far, for progress display. */
export type Progress = (bytes: number) => void;


function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally { closeSync(fd); }
}

/** Feeds a plain file to `splitter` in 4 MiB synchronous reads (as `report` does); returns the bytes read. */
export function readPlain(path: string, splitter: LineSplitter, progress?: Progress): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      splitter.push(n === CHUNK ? buf : buf.subarray(0, n));
      progress?.(n);
    }
  } finally { closeSync(fd); }
  return total;
}

async function readStream(stream: Readable, splitter: LineSplitter, progress?: Progress): Promise<number> {
  let total = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    total += b.length;
    splitter.push(b);
    progress?.(b.length);
  }
  return total;
}

async function readStdin(splitter: LineSplitter, progress?: Progress): Promise<number> {
  const it = process.stdin[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return 0;
  const head = first.value as Buffer;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const feed = (async () => {
      gunzip.write(head);
      for (let r = await it.next(); !r.done; r = await it.next()) if (!gunzip.write(r.value)) await new Promise((res) => gunzip.once('drain', res));
      gunzip.end();
    })();
    const n = await readStream(gunzip, splitter, progress);
    await feed;
    return n;
  }
  splitter.push(head);
  progress?.(head.length);
  let total = head.length;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const b = r.value as Buffer;
    total += b.length;
    splitter.push(b);
    progress?.(b.length);
  }
  return total;
}

/**
 * Reads one input into `consumer` and returns what the report lists for it (`bytes` are
 * decompressed bytes); `linesSoFar` tells how many lines the consumer has seen in total.
 */
export async function readInput(path: string, consumer: LineConsumer, maxLineBytes: number, linesSoFar: () => number, progress?: Progress): Promise<FileInfo> {
  const before = linesSoFar();
  const splitter = new LineSplitter(maxLineBytes, consumer);
  let bytes: number;
  if (path === '-') bytes = await readStdin(splitter, progress);
  else if (isGzip(path)) bytes = await readStream(createReadStream(path).pipe(createGunzip()), splitter);
  else bytes = readPlain(path, splitter, progress);
  splitter.finish();
  return { path, bytes, lines: linesSoFar() - before };
}

/** Returns the on-disk size of a path (0 for stdin), for the progress total. */
export function sizeOf(path: string): number {
  if (path === '-') return 0;
  const fd = openSync(path, 'r');
  try { return fstatSync(fd).size; } finally { closeSync(fd); }
}
