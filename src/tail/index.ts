/**
 * The audit-log tailer: follows `audit.path` through rotation, truncation and restarts, exactly once.
 *
 * Design. `plan.ts` is the pure planner: from the durable position, a directory snapshot (names,
 * dev/ino, sizes, first-line fingerprints, and whether the listing was stable) and what is open,
 * it decides the next step (resume here, read this backup next, follow the live file, list again,
 * declare a generation lost). The executor (`follower.ts` with the steps in `startup.ts`,
 * `advance.ts`, `truncation.ts`) performs those steps through `TailFs` (`fs.ts`: list, stat,
 * open, read, close), real in `realfs.ts` and simulated in the test suite. Its state is one value
 * (`FollowState`, `context.ts`) that each step reads and returns. Bytes become lines in
 * `lines.ts`; lines go to a `LineConsumer` (the analyzer), which the tailer knows only by that
 * interface. Listings are not atomic, so nothing is declared lost on an unstable listing; a file
 * opened by path must be the inode listed. Checkpoints store the position with the counters.
 */
import type { Logger } from '../log.js';
import type { LineConsumer, SectionProvider, StateProvider, TailEvents } from './types.js';
import type { Clock, Waker } from './waker.js';
import type { TailFs } from './fs.js';
import type { CheckpointStore } from './checkpoint.js';
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
  /** Extra named checkpoint sections (optional). */
  sections?: SectionProvider;
  /** Self-metrics. */
  events: TailEvents;
  log: Logger;
  /** Injectable time (tests step it); defaults to the system clock. */
  clock?: Clock;
  /** Injectable poll scheduling (tests step it); defaults to timers. */
  waker?: Waker;
  /** Injectable filesystem (the simulator's); defaults to the real one. */
  fs?: TailFs;
  /** Injectable checkpoint storage; defaults to `stateDir/checkpoint.json`. */
  store?: CheckpointStore;
  /** Bytes per read (default 4 MiB). */
  readBytes?: number;
}

/** A running tailer. */
export interface Tailer {
  /** Loads the checkpoint, restores counters, and starts following. */
  start(): Promise<void>;
  /** Stops following and writes a final checkpoint. */
  stop(): Promise<void>;
  /** Bytes written but not yet read, as of the last poll. */
  lagBytes(): number;
}

/** Creates a tailer for `opts.path`. */
export function createTailer(opts: TailerOptions): Tailer {
  return new Follower(opts);
}
