/** Opening a listed candidate, checking that the file opened is the one listed. */
import type { Exec } from './context.js';
import { Generation, type GenerationContext } from './generation.js';
import { GzGeneration } from './gz.js';
import type { Candidate } from './plan.js';

/** The path now names another file than the one listed (renamed or replaced since): list again. */
export function staleListing(path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${path} changed since it was listed`);
  err.code = 'ENOENT';
  return err;
}

/**
 * Opens a listed candidate at `offset` (decompressed offset for `.gz`). A plain file opened by
 * path must still be the listed inode: a rotation between listing and opening would otherwise
 * resume the wrong file at the old offset. Throws ENOENT when it is not.
 */
export async function openCandidate(ctx: GenerationContext, c: Candidate, offset: number): Promise<Generation | GzGeneration> {
  if (c.kind === 'gz') return new GzGeneration(c.path, c.id, c.fingerprint!, offset, c.size, ctx);
  const gen = await Generation.open(c.path, offset, ctx);
  if (!gen.is(c.id) || (c.fingerprint !== null && gen.fingerprint !== c.fingerprint)) {
    await gen.close();
    throw staleListing(c.path);
  }
  return gen;
}

/** Logs (rate-limited) and counts why the live file could not be opened: permission (with the remedy), missing, not a regular file, other. */
export function reportOpenError(x: Pick<Exec, 'log' | 'events'>, err: unknown, path: string): void {
  const e = err instanceof Error ? err : new Error(String(err));
  x.events.readError(e, path);
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    x.log.limited('eacces', 'error', 'permission denied reading the audit log: the daemon needs read access to the file and search access to its directory (see the file access section of the README)', { path });
  } else if (code === 'ENOENT') {
    x.log.limited('enoent', 'warn', 'audit log missing; retrying', { path });
  } else if (code === 'ENOTREG') {
    x.log.limited('notreg', 'error', 'the audit log path is not a regular file (FIFO, device, socket or directory); refusing to read it until a regular file is back', { path, error: e.message });
  } else {
    x.log.limited(`err:${code ?? e.message}`, 'warn', 'audit log read failed', { path, error: e.message });
  }
}
