/** The tailer's options and its running handle. */
import type { Logger } from '../log.js';
import type { LineConsumer, SectionProvider, StateProvider, TailEvents } from './types.js';
import type { Clock, Waker } from './waker.js';
import type { TailFs } from './fs.js';
import type { CheckpointStore } from './checkpoint.js';

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
  /** Two buffers to read into, one while the other is parsed (the consumer's, to spare it a copy); else two of `readBytes` are allocated. */
  readBuffers?: [Buffer, Buffer];
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
