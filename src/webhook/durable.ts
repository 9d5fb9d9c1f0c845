/** Durability without a tailer: the webhook input writes the checkpoint itself (same file and format). */
import type { Logger } from '../log.js';
import { CHECKPOINT_VERSION, loadCheckpoint, saveCheckpoint, type Checkpoint } from '../tail/checkpoint.js';
import type { StateProvider } from '../tail/types.js';
import { GroupCommit, type Durable } from './commit.js';

/** Loads `dir`'s checkpoint into `state`; a checkpoint from a file-tailing run only gives its counters. */
export async function restoreStandalone(dir: string, state: StateProvider, log: Logger): Promise<void> {
  const r = await loadCheckpoint(dir, Date.now());
  if (r.kind === 'corrupt') { log.warn('checkpoint discarded', { error: r.error, keptAs: r.keptAs }); return; }
  if (r.kind === 'none') return;
  try {
    state.restore(r.checkpoint.state);
    log.info('checkpoint restored', { writtenAtMs: r.checkpoint.writtenAtMs });
  } catch (e) {
    log.warn('checkpoint state discarded', { error: (e as Error).message });
  }
}

/** A checkpoint of `state` alone, captured synchronously (no read positions: file tailing is off). */
export function captureStandalone(state: StateProvider, nowMs: number): Checkpoint {
  return { version: CHECKPOINT_VERSION, writtenAtMs: nowMs, path: '', current: null, done: [], state: state.snapshot() };
}

/** A group-committed writer of `dir/checkpoint.json`; `written` reports each successful write (Unix seconds). */
export function standaloneDurable(dir: string, state: StateProvider, written: (unixSeconds: number) => void = () => undefined): Durable & { writes: number } {
  return new GroupCommit(() => {
    const cp = captureStandalone(state, Date.now());
    return saveCheckpoint(dir, cp).then(() => written(cp.writtenAtMs / 1000));
  });
}
