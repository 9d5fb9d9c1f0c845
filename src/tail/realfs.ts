/** The real filesystem behind `TailFs`: non-blocking opens that refuse anything but regular files. */
import { constants, createReadStream, readSync, type BigIntStats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { notRegular, type FileKind, type FsHandle, type FsStat, type TailFs } from './fs.js';

function kindOf(st: BigIntStats): FileKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  return 'other';
}

/** Converts a bigint stat to the tailer's view. */
export function toFsStat(st: BigIntStats): FsStat {
  return {
    kind: kindOf(st), dev: st.dev.toString(), ino: st.ino.toString(), size: Number(st.size),
    mtimeNs: st.mtimeNs.toString(), mtimeMs: Number(st.mtimeMs), birthMs: Number(st.birthtimeMs), nlink: Number(st.nlink),
  };
}

/** The real filesystem. */
export const realFs: TailFs = {
  list: (dir) => readdir(dir),
  stat: async (path) => toFsStat(await stat(path, { bigint: true })),
  async open(path): Promise<FsHandle> {
    // Refuse special files before opening (a socket cannot be opened at all: ENXIO). O_NONBLOCK: a
    // FIFO swapped in after this check must not make the open wait for a writer (holding a thread for good).
    const pre = toFsStat(await stat(path, { bigint: true }));
    if (pre.kind !== 'file') throw notRegular(path, pre.kind);
    const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = toFsStat(await fh.stat({ bigint: true }));
      if (st.kind !== 'file') throw notRegular(path, st.kind);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
    return {
      stat: async () => toFsStat(await fh.stat({ bigint: true })),
      read: async (buf, off, len, pos) => (await fh.read(buf, off, len, pos)).bytesRead,
      readSync: (buf, off, len, pos) => readSync(fh.fd, buf, off, len, pos),
      close: () => fh.close().catch(() => undefined),
    };
  },
  async *gunzip(path) {
    const gunzip = createGunzip();
    const src = createReadStream(path);
    src.on('error', (err) => gunzip.destroy(err));
    const stream = src.pipe(gunzip);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
    } finally {
      src.destroy();
      stream.destroy();
    }
  },
};
