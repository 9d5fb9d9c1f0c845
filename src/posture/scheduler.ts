/** Injectable time for the posture inputs: a wall clock and one-shot timers, real or stepped. */

/** Wall time and one-shot timers. */
export interface Scheduler {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Real time; timers are unref'd so they never keep the process alive on their own. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** A scheduler whose time moves only through `advance`, for tests. */
export class ManualScheduler implements Scheduler {
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(private t = Date.UTC(2026, 0, 1)) {}

  /** Current manual time. */
  now(): number { return this.t; }

  /** Registers a timer due at now + ms. */
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((x) => x !== timer); };
  }

  /** Number of timers not yet fired. */
  get pending(): number { return this.timers.length; }

  /** Moves time forward by `ms`, firing due timers in order and letting their promise chains settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
      await new Promise<void>((r) => setImmediate(r));
    }
    this.t = end;
  }
}

/** Runs an async job now and then `intervalMs` after each run ends (never overlapping). */
export class Periodic {
  private running: Promise<void> | undefined;
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly s: Scheduler, private readonly intervalMs: number, private readonly job: () => Promise<void>) {}

  /** Starts the first run; resolves when it has finished. */
  start(): Promise<void> {
    this.stopped = false;
    this.tick();
    return this.idle();
  }

  private tick(): void {
    this.running = this.job().catch(() => undefined).finally(() => {
      this.running = undefined;
      if (!this.stopped) this.cancel = this.s.after(this.intervalMs, () => this.tick());
    });
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Cancels the next run and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.idle();
  }
}
