/** Injectable time for the tailer: a clock and an mtail-style waker, with real and stepped versions. */

/** Wall and monotonic time in milliseconds. */
export interface Clock {
  /** Wall-clock time (Unix epoch milliseconds), for checkpoint timestamps. */
  wallMs(): number;
  /** Monotonic time in milliseconds, for intervals. */
  monoMs(): number;
}

/** Decides when the tailer's next poll happens. */
export interface Waker {
  /** Resolves when the next poll is due, nominally after `ms` milliseconds. */
  wait(ms: number): Promise<void>;
}

/** Poll delay: the interval, doubled per consecutive failure to open the file, capped at 5 s. */
export function backoffMs(pollIntervalMs: number, failures: number): number {
  if (failures <= 0) return pollIntervalMs;
  return Math.max(pollIntervalMs, Math.min(5000, pollIntervalMs * 2 ** Math.min(failures - 1, 10)));
}

/** The system clock. */
export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monoMs: () => performance.now(),
};

/** A waker backed by `setTimeout` (unref'd, so it never keeps the process alive). */
export const timerWaker: Waker = {
  wait: (ms) => new Promise<void>((resolve) => { setTimeout(resolve, ms).unref(); }),
};

/** A clock that moves only when told to, for tests. */
export class ManualClock implements Clock {
  constructor(private wall = Date.UTC(2026, 0, 1), private mono = 0) {}

  /** Wall-clock milliseconds. */
  wallMs(): number { return this.wall; }
  /** Monotonic milliseconds. */
  monoMs(): number { return this.mono; }
  /** Advances both clocks by `ms`. */
  advance(ms: number): void { this.wall += ms; this.mono += ms; }
}

/**
 * A waker that releases the tailer only when stepped. `step()` releases the pending wait and
 * resolves once the tailer is waiting again, i.e. after exactly one poll pass.
 */
export class ManualWaker implements Waker {
  private release: (() => void) | null = null;
  private idleWaiters: Array<() => void> = [];
  /** The interval the tailer asked for last (to observe backoff). */
  lastMs = 0;
  /** How many times the tailer has waited. */
  waits = 0;

  /** Called by the tailer. */
  wait(ms: number): Promise<void> {
    this.lastMs = ms;
    this.waits++;
    const p = new Promise<void>((resolve) => { this.release = resolve; });
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
    return p;
  }

  /** Resolves when the tailer is blocked in `wait()`. */
  idle(): Promise<void> {
    if (this.release) return Promise.resolve();
    return new Promise<void>((resolve) => { this.idleWaiters.push(resolve); });
  }

  /** Runs one poll pass: releases the wait and resolves when the tailer waits again. */
  async step(): Promise<void> {
    await this.idle();
    const release = this.release;
    this.release = null;
    const next = new Promise<void>((resolve) => { this.idleWaiters.push(resolve); });
    release?.();
    await next;
  }
}
