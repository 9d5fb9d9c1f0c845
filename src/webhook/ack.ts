/** Acknowledgement ordering: count a batch, make it durable, only then answer 200; drop retried batches. */
import { createHash } from 'node:crypto';
import type { Durable } from './commit.js';
import type { DigestRing } from './digests.js';
import { parseEventList } from './eventlist.js';

/** The HTTP answer to one batch. */
export interface Answer {
  code: 200 | 400 | 429 | 503;
  /** Bounded machine reason for non-200 answers. */
  reason?: 'invalid_json' | 'not_event_list' | 'overloaded' | 'checkpoint_failed' | 'stopping';
  retryAfterSeconds?: number;
}

/** What the acknowledger reports (self-metrics implement it). */
export interface AckEvents {
  /** A new batch of `events` items was counted. */
  batch(events: number): void;
  /** A batch already counted arrived again. */
  duplicate(): void;
}

/** Everything the acknowledger needs; all I/O is behind `durable`. */
export interface AckerOptions {
  durable: Durable;
  digests: DigestRing;
  /** Counts the items synchronously (the analyzer). */
  apply(items: readonly unknown[]): void;
  events: AckEvents;
  /** Counted-but-not-durable events beyond which a new batch gets 429. */
  maxPendingEvents: number;
}

/** The hex SHA-256 of a request body: the identity of a batch across retries. */
export const batchDigest = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

/**
 * Handles one batch body. Counting and remembering its digest happen in one synchronous step,
 * so every checkpoint holds both or neither; the 200 waits for a commit that began after that step.
 */
export class Acker {
  private pending = 0;
  private stopping = false;

  constructor(private readonly o: AckerOptions) {}

  /** Events counted whose commit has not completed yet. */
  get pendingEvents(): number { return this.pending; }

  /** From now on every batch gets 503 (shutdown). */
  stop(): void { this.stopping = true; }

  /** Decides the answer to `body`; resolves when it may be sent. */
  async handle(body: Buffer): Promise<Answer> {
    if (this.stopping) return { code: 503, reason: 'stopping', retryAfterSeconds: 5 };
    const digest = batchDigest(body);
    if (this.o.digests.has(digest)) {
      this.o.events.duplicate();
      return this.durable(0);
    }
    const items = parseEventList(body.toString('utf8'));
    if (typeof items === 'string') return { code: 400, reason: items };
    if (this.pending > 0 && this.pending + items.length > this.o.maxPendingEvents) return { code: 429, reason: 'overloaded', retryAfterSeconds: 1 };
    this.o.apply(items);
    this.o.digests.add(digest);
    this.o.events.batch(items.length);
    return this.durable(items.length);
  }

  private async durable(n: number): Promise<Answer> {
    this.pending += n;
    try {
      await this.o.durable.commit();
      return { code: 200 };
    } catch {
      // Counted in memory and remembered: the retry is a duplicate and succeeds once a commit does.
      return { code: 503, reason: 'checkpoint_failed', retryAfterSeconds: 1 };
    } finally {
      this.pending -= n;
    }
  }
}
