/** The audit-log tailer: follows `audit.path` through rotation, truncation and restarts. */
import type { Logger } from '../log.js';
import type { LineConsumer, StateProvider, TailEvents } from './types.js';
import type { Clock, Waker } from './waker.js';
import { Follower } from './follower.js';

export type { Clock, Waker } from './waker.js';
export { ManualClock, ManualWaker, systemClock, timerWaker } from './waker.js';

/** Everything the tailer needs; the daemon fills it from the configuration. */
export interface TailerOptions {
  /** The live log file (`audit.path`); backups `audit-*.log[.gz]` live beside it. */
  path: string;
  /** Where to start when there is no valid checkpoint. */
  startAt: 'end' | 'beginning';
  /** Longer lines are skipped and counted (`audit.maxLineBytes`). */
  maxLineBytes: number;
  /** Stat poll interval (`audit.pollIntervalMs`). */
  pollIntervalMs: number;
  /** Use a chokidar directory watch as hints (`audit.watch`). */
  watch: boolean;
  /** Checkpoint directory (`state.dir`), created if missing. */
  stateDir: string;
  /** Receives every complete line exactly once, in order. */
  consumer: LineConsumer;
  /** Counter state stored atomically with the read positions. */
  state: StateProvider;
  /** Self-metrics. */
  events: TailEvents;
  log: Logger;
  /** Injectable time (tests step it); defaults to the system clock. */
  clock?: Clock;
  /** Injectable poll scheduling (tests step it); defaults to timers. */
  waker?: Waker;
}

/** A running tailer. */
export interface Tailer {
  /** Loads the checkpoint, restores counters, and starts following. */
  start(): Promise<void>;
  /** Stops following and writes a final checkpoint. */
  stop(): Promise<void>;
  /** Bytes written but not yet read, as of the last poll. */
  lagBytes(): number;
  /** Writes a checkpoint now, after any write in progress; rejects when it fails (webhook acknowledgements). */
  commit(): Promise<void>;
}

/** Creates a tailer for `opts.path`. */
export function createTailer(opts: TailerOptions): Tailer {
  return new Follower(opts);
}
