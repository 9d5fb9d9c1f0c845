/** The poll loop: one pass per interval, sooner on a watch hint (coalesced), stoppable at once. */
import type { Clock, Waker } from './waker.js';

/** Minimum time between polls triggered by watch hints. */
const HINT_GAP_MS = 100;

/** Runs `pass` repeatedly until stopped; errors go to `fail` and the loop carries on. */
export class PollLoop {
  /** Set once `stop()` was called; passes check it between steps. */
  stopped = false;
  private done: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly clock: Clock, private readonly waker: Waker, private readonly pass: () => Promise<void>,
    private readonly fail: (err: unknown) => void, private readonly delayMs: () => number) {}

  /** Starts the loop (the first pass runs at once). */
  start(): void {
    this.done = this.run();
  }

  /** Stops the loop and resolves when the pass in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.done;
  }

  /** Wakes the loop now (a watch hint). */
  kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = this.clock.monoMs();
      try {
        await this.pass();
      } catch (err) {
        this.fail(err);
      }
      if (this.stopped) break;
      if (!(await this.sleep(this.delayMs()))) continue;
      // Woken by a watch hint: coalesce hints so a busy log costs at most one poll per HINT_GAP_MS.
      for (let left = HINT_GAP_MS - (this.clock.monoMs() - started); left > 0 && !this.stopped; left = HINT_GAP_MS - (this.clock.monoMs() - started)) {
        await this.sleep(left);
      }
    }
  }

  /** Waits for the waker or a hint; true when a hint (or stop) came first. */
  private sleep(ms: number): Promise<boolean> {
    return Promise.race([this.waker.wait(ms).then(() => false), new Promise<boolean>((r) => { this.wake = () => r(true); })]);
  }
}
