/** The filesystem as the tailer sees it: list, stat, open, read, close (real and simulated implementations). */
import type { ReadErrorReason } from './types.js';

/** What kind of directory entry a path names (after following symlinks). */
export type FileKind = 'file' | 'dir' | 'fifo' | 'socket' | 'char' | 'block' | 'other';

/** The parts of a stat the tailer uses; dev/ino as decimal strings (64-bit inode numbers). */
export interface FsStat {
  kind: FileKind;
  dev: string;
  ino: string;
  size: number;
  /** Modification time in nanoseconds, as a decimal string (exact comparison). */
  mtimeNs: string;
  /** Modification time in milliseconds (ordering). */
  mtimeMs: number;
  /** Creation time where the filesystem records it, else 0. */
  birthMs: number;
  /** Hard links left (0: deleted while open). */
  nlink: number;
}

/** An open regular file. */
export interface FsHandle {
  /** `fstat` of the open file. */
  stat(): Promise<FsStat>;
  /** Reads up to `len` bytes at `pos` into `buf[off..]`; resolves with the bytes read (0 at end of file). */
  read(buf: Buffer, off: number, len: number, pos: number): Promise<number>;
  /** The same read, synchronously (used for a head page just read, where an await would stall read-ahead). */
  readSync(buf: Buffer, off: number, len: number, pos: number): number;
  /** Closes the descriptor. */
  close(): Promise<void>;
}

/** The tailer's view of the filesystem. Errors carry Node's `code` (`ENOENT`, `EACCES`, `ENOTREG`...). */
export interface TailFs {
  /** Names in a directory, in no particular order; not atomic against concurrent changes. */
  list(dir: string): Promise<string[]>;
  /** `stat` (following symlinks). */
  stat(path: string): Promise<FsStat>;
  /** Opens a regular file for reading without blocking; anything else is refused with code `ENOTREG`. */
  open(path: string): Promise<FsHandle>;
  /** The decompressed content of a complete `.gz` file, chunk by chunk; throws if it is incomplete or corrupt. */
  gunzip(path: string): AsyncIterable<Buffer>;
}

/** The error `open` throws for anything but a regular file (FIFO, device, socket, directory). */
export function notRegular(path: string, kind: FileKind): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${path} is not a regular file (${kind})`);
  err.code = 'ENOTREG';
  return err;
}

/** The bounded reason label for a read error (`k8s_anon_audit_read_errors_total{reason}`). */
export function errorReason(err: unknown): ReadErrorReason {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'enoent';
  if (code === 'EACCES' || code === 'EPERM') return 'eacces';
  if (code === 'ENOTREG' || code === 'EISDIR') return 'not_regular_file';
  return 'other';
}
