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
import type { Tailer, TailerOptions } from './options.js';
import { Follower } from './follower.js';

export type { Tailer, TailerOptions } from './options.js';
export type { Clock, Waker } from './waker.js';
export { ManualClock, ManualWaker, systemClock, timerWaker } from './waker.js';

/** Creates a tailer for `opts.path`. */
export function createTailer(opts: TailerOptions): Tailer {
  return new Follower(opts);
}
