/** Group commit: every caller waits for one durable write that began after it called; concurrent callers share it. */

/** Makes everything counted so far durable. */
export interface Durable {
  /** Resolves once a checkpoint holding every count applied before this call is fsynced; rejects if that write failed. */
  commit(): Promise<void>;
}

interface Deferred { promise: Promise<void>; resolve(): void; reject(e: unknown): void }

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/**
 * Serialises writes and batches waiters. `write` must capture the state synchronously when
 * called (before its first await): a waiter that arrives while a write is in flight cannot
 * know whether that capture included its counts, so it waits for the next write.
 */
export class GroupCommit implements Durable {
  private inflight = false;
  private next: Deferred | null = null;
  /** Durable writes started (each one fsync). */
  writes = 0;

  constructor(private readonly write: () => Promise<void>) {}

  /** See `Durable.commit`. */
  commit(): Promise<void> {
    if (!this.inflight) return this.start();
    this.next ??= deferred();
    return this.next.promise;
  }

  private start(): Promise<void> {
    this.inflight = true;
    this.writes++;
    let p: Promise<void>;
    try { p = this.write(); } catch (e) { p = Promise.reject(e); }
    const done = (): void => {
      this.inflight = false;
      const waiting = this.next;
      this.next = null;
      if (waiting) this.start().then(waiting.resolve, waiting.reject);
    };
    p.then(done, done);
    return p;
  }
}
