/** Byte ranges of a plain file split at newlines, and reading one range into a line splitter. */
import { closeSync, openSync, readSync } from 'node:fs';
import type { LineSplitter } from '../tail/lines.js';

const CHUNK = 1 << 22;

/** Below this size a plain file is read on the main thread unless `--jobs` was given. */
export const PARALLEL_MIN_BYTES = 8 << 20;
const PROBE = 1 << 16;

/** A half-open byte range `[start, end)` of a file. */
export interface Range { start: number; end: number }

/** The first line start at or after `pos`: one past the first newline at or after `pos - 1`, or `size`. */
function lineStartAtOrAfter(fd: number, pos: number, size: number, buf: Buffer): number {
  if (pos <= 0) return 0;
  let at = pos - 1;
  while (at < size) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
    if (n <= 0) return size;
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0) return at + nl + 1;
    at += n;
  }
  return size;
}

/** Splits the first `size` bytes of `path` into at most `parts` non-empty ranges, each starting at a line start. */
export function splitRanges(path: string, size: number, parts: number): Range[] {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(PROBE);
  try {
    const starts = [0];
    for (let k = 1; k < parts; k++) {
      const s = lineStartAtOrAfter(fd, Math.floor((size * k) / parts), size, buf);
      if (s > (starts[starts.length - 1] as number) && s < size) starts.push(s);
    }
    return starts.map((start, i) => ({ start, end: starts[i + 1] ?? size }));
  } finally { closeSync(fd); }
}

/** Feeds `path[range]` to `splitter` in positioned reads of up to 4 MiB, into `into` when given; returns the bytes read. */
export function readRange(path: string, range: Range, splitter: LineSplitter, into?: Buffer): number {
  const fd = openSync(path, 'r');
  const size = Math.min(CHUNK, Math.max(1, range.end - range.start));
  const buf = into !== undefined && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size);
  let pos = range.start;
  try {
    while (pos < range.end) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, range.end - pos), pos);
      if (n <= 0) break;
      splitter.push(n === buf.length ? buf : buf.subarray(0, n));
      pos += n;
    }
    return pos - range.start;
  } finally { closeSync(fd); }
}
