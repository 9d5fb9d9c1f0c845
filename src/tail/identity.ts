/** File identity: device/inode (bigint, as decimal strings) and a first-line content fingerprint. */
import { createHash } from 'node:crypto';
import type { FsHandle, FsStat } from './fs.js';
import type { FileId } from './plan.js';

/** How many head bytes a fingerprint covers at most. */
export const HEAD_BYTES = 4096;

export type { FileId } from './plan.js';

/** The identity part of a stat. */
export function fileId(st: FsStat): FileId {
  return { dev: st.dev, ino: st.ino };
}

/** Whether two identities name the same inode. */
export function sameId(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Fingerprint of a file head: a hash of the first line (with its newline), or of the first
 * `HEAD_BYTES` bytes when the first line is longer. Null while neither is available yet.
 */
export function fingerprintOf(head: Buffer): string | null {
  const end = headEnd(head);
  return end === null ? null : createHash('sha256').update(head.subarray(0, end)).digest('hex').slice(0, 32);
}

/** Length of the fingerprinted prefix of a head: the first line with its newline, or `HEAD_BYTES`; null if neither is there yet. */
export function headEnd(head: Buffer): number | null {
  const nl = head.indexOf(10);
  if (nl >= 0 && nl < HEAD_BYTES) return nl + 1;
  return head.length >= HEAD_BYTES ? HEAD_BYTES : null;
}

/** Reads the head of an open plain file and fingerprints it. */
export async function fingerprintHandle(fh: FsHandle, buf = Buffer.allocUnsafe(HEAD_BYTES)): Promise<string | null> {
  const bytesRead = await fh.read(buf, 0, HEAD_BYTES, 0);
  return fingerprintOf(buf.subarray(0, bytesRead));
}

/** Reads `len` bytes at `pos` (fewer at end of file). */
export async function readAt(fh: FsHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(len);
  const bytesRead = await fh.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

/** Keeps the last `MARK_BYTES` bytes fed, to check later that the content before the offset is unchanged. */
export const MARK_BYTES = 32;

/** Returns the last `MARK_BYTES` of `prev` followed by `chunk`. */
export function nextMark(prev: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= MARK_BYTES) return Buffer.from(chunk.subarray(chunk.length - MARK_BYTES));
  const joined = Buffer.concat([prev, chunk]);
  return joined.length > MARK_BYTES ? joined.subarray(joined.length - MARK_BYTES) : joined;
}
