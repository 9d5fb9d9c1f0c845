/** The checkpoint: read positions and counter state, written atomically together. */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { LostGeneration, Position, UnreadEntry } from './plan.js';

/** Format version of `checkpoint.json`. */
export const CHECKPOINT_VERSION = 1;
/** File name of the checkpoint inside `state.dir`. */
export const CHECKPOINT_FILE = 'checkpoint.json';

export type { Position } from './plan.js';

/** Everything a restart needs. */
export interface Checkpoint {
  version: number;
  writtenAtMs: number;
  /** The followed path. */
  path: string;
  current: Position | null;
  /** Fingerprints of generations already read to the end that may still exist as backups. */
  done: string[];
  /** `StateProvider.snapshot()` taken at the same moment as the positions. */
  state: unknown;
  /** Generations declared lost, read from their offset if they turn up again (optional: older checkpoints lack it). */
  lost?: LostGeneration[];
  /** Backups listed but not read yet: one gone after a restart was removed unread (optional: older checkpoints lack it). */
  unread?: UnreadEntry[];
  /** Extra named sections owned by other inputs (e.g. recent webhook batch digests); kept as they are. */
  sections?: Record<string, unknown>;
}

/** Outcome of loading: a checkpoint, none, or a corrupt one (already moved aside). */
export type LoadResult = { kind: 'ok'; checkpoint: Checkpoint } | { kind: 'none' } | { kind: 'corrupt'; error: string; keptAs: string | null };

function isPosition(v: unknown): v is Position {
  if (v === null || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return typeof p.path === 'string' && typeof p.dev === 'string' && typeof p.ino === 'string'
    && typeof p.fingerprint === 'string' && Number.isSafeInteger(p.offset) && (p.offset as number) >= 0
    && Number.isSafeInteger(p.size);
}

/** Validates parsed JSON as a checkpoint; returns an error message or null. */
export function validate(v: unknown): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const c = v as Record<string, unknown>;
  if (c.version !== CHECKPOINT_VERSION) return `unsupported version ${JSON.stringify(c.version)}`;
  if (typeof c.writtenAtMs !== 'number' || typeof c.path !== 'string') return 'missing writtenAtMs or path';
  if (c.current !== null && !isPosition(c.current)) return 'invalid current position';
  if (!Array.isArray(c.done) || !c.done.every((d) => typeof d === 'string')) return 'invalid done list';
  if (!('state' in c)) return 'missing state';
  if (c.lost !== undefined && !(Array.isArray(c.lost) && c.lost.every((l) => typeof l?.fingerprint === 'string' && Number.isSafeInteger(l?.offset)))) return 'invalid lost list';
  if (c.unread !== undefined && !(Array.isArray(c.unread) && c.unread.every((u) => typeof u?.fingerprint === 'string' && typeof u?.path === 'string'))) return 'invalid unread list';
  if (c.sections !== undefined && (c.sections === null || typeof c.sections !== 'object' || Array.isArray(c.sections))) return 'invalid sections';
  return null;
}

/** Loads `dir/checkpoint.json`; a corrupt file is renamed to `checkpoint.json.corrupt-<ms>`. */
export async function loadCheckpoint(dir: string, nowMs: number): Promise<LoadResult> {
  const file = join(dir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'corrupt', error: `unreadable: ${(err as Error).message}`, keptAs: null };
  }
  let error: string | null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
    error = validate(parsed);
  } catch (err) {
    error = `invalid JSON: ${(err as Error).message}`;
  }
  if (error === null) return { kind: 'ok', checkpoint: parsed as Checkpoint };
  return { kind: 'corrupt', error, keptAs: await keepAside(file, nowMs) };
}

/** Moves a bad checkpoint aside so the next write does not destroy the evidence. */
export async function keepAside(file: string, nowMs: number): Promise<string | null> {
  const aside = `${file}.corrupt-${nowMs}`;
  try {
    await rename(file, aside);
    return aside;
  } catch {
    return null;
  }
}

/** Writes the checkpoint atomically: temp file, fsync, rename, fsync of the directory. */
export async function saveCheckpoint(dir: string, cp: Checkpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, CHECKPOINT_FILE);
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(cp)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  const dh = await open(dir, 'r');
  try { await dh.sync(); } catch { /* some filesystems refuse fsync on directories */ } finally { await dh.close(); }
}

/** Where checkpoints live: a directory on disk, or memory in the simulator. */
export interface CheckpointStore {
  /** Loads the last checkpoint written. */
  load(nowMs: number): Promise<LoadResult>;
  /** Replaces the checkpoint atomically. */
  save(cp: Checkpoint): Promise<void>;
  /** Moves an unusable checkpoint aside; resolves with where it went. */
  discard(nowMs: number): Promise<string | null>;
}

/** The checkpoint file in `dir` (`state.dir`). */
export function fileStore(dir: string): CheckpointStore {
  return {
    load: (nowMs) => loadCheckpoint(dir, nowMs),
    save: (cp) => saveCheckpoint(dir, cp),
    discard: (nowMs) => keepAside(join(dir, CHECKPOINT_FILE), nowMs),
  };
}
