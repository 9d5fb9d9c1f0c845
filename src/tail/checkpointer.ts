/** When and what to checkpoint: positions and counters captured together, written at most once a second. */
import type { Logger } from '../log.js';
import type { TailerOptions } from './options.js';
import type { FollowState } from './context.js';
import type { TailEvents } from './types.js';
import type { Clock } from './waker.js';
import { Generation } from './generation.js';
import { CHECKPOINT_VERSION, type Checkpoint, type CheckpointStore } from './checkpoint.js';

const CHECKPOINT_EVERY_MS = 1000;

/** Rate-limits checkpoint writes and reports them. */
export class Checkpointer {
  /** Positions or counters changed since the last write. */
  dirty = false;
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly store: CheckpointStore, private readonly clock: Clock, private readonly log: Logger,
    private readonly events: TailEvents, private readonly take: () => Checkpoint | null) {}

  private queue: Promise<void> = Promise.resolve();

  /** Runs writes one at a time, each capturing its state when its turn comes (never an older capture after a newer one). */
  private serial(fn: () => Promise<void>): Promise<void> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Writes a checkpoint after any write in progress; rejects when it fails (the webhook input acknowledges on it). */
  commit(): Promise<void> {
    return this.serial(async () => {
      const cp = this.take();
      if (cp === null) throw new Error('no consistent checkpoint position yet');
      try {
        await this.store.save(cp);
      } catch (err) {
        this.events.checkpointFailed(err as Error);
        throw err;
      }
      this.dirty = false;
      this.last = this.clock.monoMs();
      this.events.checkpointWritten(cp.writtenAtMs / 1000);
    });
  }

  /** Writes a checkpoint if something changed and a second has passed, or always when `force`. */
  async save(force: boolean): Promise<void> {
    const now = this.clock.monoMs();
    if (!force && (!this.dirty || now - this.last < CHECKPOINT_EVERY_MS)) return;
    await this.serial(() => this.write(now));
  }

  private async write(now: number): Promise<void> {
    const cp = this.take();
    if (cp === null) return;
    this.dirty = false;
    this.last = now;
    try {
      await this.store.save(cp);
      this.events.checkpointWritten(cp.writtenAtMs / 1000);
    } catch (err) {
      this.dirty = true;
      this.events.checkpointFailed(err as Error);
      this.log.limited('checkpoint', 'error', 'checkpoint write failed', { error: (err as Error).message });
    }
  }
}

/**
 * Captures the position of the current generation and the counter snapshot synchronously, so
 * both describe the same moment (between two lines). Null if no consistent capture is possible.
 */
export function capture(st: FollowState, opts: Pick<TailerOptions, 'path' | 'state' | 'sections'>, wallMs: number): Checkpoint | null {
  let current: Checkpoint['current'] = st.resume?.pos ?? null;
  const cur = st.current;
  if (cur) {
    const offset = cur.committed();
    if (cur.fingerprint === null && offset > 0) return null;
    current = null;
    if (cur.fingerprint !== null) {
      const size = cur instanceof Generation ? Math.max(cur.size, offset) : offset;
      current = { path: cur.path, dev: cur.id.dev, ino: cur.id.ino, fingerprint: cur.fingerprint, offset, size, copy: st.copy };
    }
  }
  const cp: Checkpoint = {
    version: CHECKPOINT_VERSION, writtenAtMs: wallMs, path: opts.path,
    current, done: [...st.done], state: opts.state.snapshot(), lost: [...st.lost], unread: [...st.unread],
  };
  const sections = opts.sections?.snapshot();
  if (sections) cp.sections = sections;
  return cp;
}
