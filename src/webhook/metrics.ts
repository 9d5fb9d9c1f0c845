/** Webhook input self-metrics (SPEC §5), registered only when the input is enabled, zero-initialised. */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AckEvents } from './ack.js';
import type { WebhookCounts } from './state.js';

/** Every status code the input answers with, initialised to 0. */
export const WEBHOOK_CODES = ['200', '400', '401', '404', '405', '413', '415', '429', '503'] as const;
/** Buckets of `k8s_anon_webhook_batch_events` (the API server sends at most 400 per batch by default). */
export const BATCH_BUCKETS = [1, 10, 50, 100, 200, 400, 1000, 5000];
/** Buckets of `k8s_anon_webhook_ack_latency_seconds`. */
export const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Implements `AckEvents` and request accounting as Prometheus metrics. */
export class WebhookMetrics implements AckEvents {
  private readonly requests: Counter<'code'>;
  private readonly events: Counter;
  private readonly duplicates: Counter;
  private readonly batchEvents: Histogram;
  private readonly ackLatency: Histogram;
  private readonly c: WebhookCounts = { events: 0, duplicates: 0 };

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({ name: 'k8s_anon_webhook_requests_total', help: 'Requests to the audit webhook input, by HTTP status code answered.', labelNames: ['code'], registers });
    this.events = new Counter({ name: 'k8s_anon_webhook_events_total', help: 'Audit events received through the webhook input and counted (retried batches once).', registers });
    this.duplicates = new Counter({ name: 'k8s_anon_webhook_duplicate_batches_total', help: 'Batches received again after they were counted (retries after a lost acknowledgement); not counted twice.', registers });
    this.batchEvents = new Histogram({ name: 'k8s_anon_webhook_batch_events', help: 'Events per counted webhook batch.', buckets: BATCH_BUCKETS, registers });
    this.ackLatency = new Histogram({ name: 'k8s_anon_webhook_ack_latency_seconds', help: 'Time from a batch fully received to its 200 (counted and fsynced).', buckets: ACK_BUCKETS, registers });
    for (const code of WEBHOOK_CODES) this.requests.inc({ code }, 0);
  }

  /** Counts a new batch. */
  batch(events: number): void {
    this.c.events += events;
    this.events.inc(events);
    this.batchEvents.observe(events);
  }

  /** Counts a duplicate batch. */
  duplicate(): void {
    this.c.duplicates++;
    this.duplicates.inc();
  }

  /** Counts an answered request; `ackSeconds` is observed for 200s. */
  answered(code: number, ackSeconds?: number): void {
    this.requests.inc({ code: String(code) });
    if (code === 200 && ackSeconds !== undefined) this.ackLatency.observe(ackSeconds);
  }

  /** Counter values for the checkpoint. */
  counts(): WebhookCounts { return { ...this.c }; }

  /** Restores counter values from the checkpoint. */
  restore(c: WebhookCounts): void {
    this.events.reset();
    this.duplicates.reset();
    this.events.inc(c.events);
    this.duplicates.inc(c.duplicates);
    this.c.events = c.events;
    this.c.duplicates = c.duplicates;
  }
}
