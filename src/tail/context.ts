/** What the executor's steps share: the I/O they may use and the one explicit state value they read and return. */
import type { Logger } from '../log.js';
import type { TailEvents, LineConsumer, SectionProvider, StateProvider } from './types.js';
import type { Generation, GenerationContext } from './generation.js';
import type { GzGeneration } from './gz.js';
import type { Scanner } from './scan.js';
import type { LostGeneration, Position, UnreadEntry } from './plan.js';

/** A backup listed but not read yet. */
export type UnreadBackup = UnreadEntry;

/** The tailer's state: one value, replaced (never mutated in place) by each step. */
export interface FollowState {
  /** The open generation, or none. */
  readonly current: Generation | GzGeneration | null;
  /** The current generation is the live path (it may still grow or be replaced). */
  readonly live: boolean;
  /** The current generation is the copy of a file truncated in place. */
  readonly copy: boolean;
  /** Fingerprints of generations read to the end (or deliberately skipped). */
  readonly done: ReadonlySet<string>;
  /** Generations declared lost; read from their offset if they turn up again. */
  readonly lost: readonly LostGeneration[];
  /** Unread backups in the last listing: one missing from a later stable listing was removed unread. */
  readonly unread: readonly UnreadBackup[];
  /** The checkpointed position not found yet, with the listings that missed it. */
  readonly resume: { pos: Position; writtenAtMs: number; misses: number } | null;
  /** The next live file opened follows a truncation in place (skip leading NULs). */
  readonly afterTruncation: boolean;
}

/** The empty state. */
export const INITIAL_STATE: FollowState = { current: null, live: false, copy: false, done: new Set(), lost: [], unread: [], resume: null, afterTruncation: false };

/** The executor's I/O and reporting, as the steps (start-up, advance, truncation) use them. */
export interface Exec {
  readonly path: string;
  readonly startAt: 'end' | 'beginning';
  readonly ctx: GenerationContext;
  readonly scanner: Scanner;
  readonly events: TailEvents;
  readonly log: Logger;
  readonly consumer: LineConsumer;
  readonly state: StateProvider;
  /** Extra checkpoint sections, if any. */
  readonly sections?: SectionProvider | undefined;
  /** Reports readability of the live path (on change only). */
  setUp(ok: boolean): void;
  /** Logs and counts a read failure. */
  fail(err: unknown, path: string): void;
  /** Marks that positions or counters changed since the last checkpoint. */
  touch(): void;
}
