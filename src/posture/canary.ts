/** The audit canary: a known unauthenticated request on an interval, watched for in the audit stream. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics/registry.js';
import type { AuditObserver, SideInput } from '../inputs/types.js';
import type { PostureMetrics } from './metrics.js';
import { unauthenticatedGet, type GetOutcome } from './request.js';
import { Periodic, type Scheduler } from './scheduler.js';

/** Marker prefix the analyzer looks for in requestURI and auditID. */
export const CANARY_PREFIX = 'k8s-anon-exporter-canary-';

/** At most this many canaries wait to be seen; older ones count as missing. */
export const MAX_PENDING = 1000;

/** The request path of canary `marker`: a configmap that does not exist, in namespace default. */
export function canaryPath(marker: string): string {
  return `/api/v1/namespaces/default/configmaps/${marker}`;
}

/** Sends one canary request; injectable for tests. */
export type CanarySend = (path: string, marker: string) => Promise<GetOutcome>;

/** What the canary needs. */
export interface CanaryOptions {
  config: Config;
  metrics: PostureMetrics;
  collectors: CollectorMetrics;
  log: Logger;
  scheduler: Scheduler;
  /** Random per process by default (8 hex digits). */
  runId?: string;
  send?: CanarySend;
}

const UNDELIVERED = /^(connection refused|TLS: |invalid URL|apiserver\.caFile)/;

function defaultSend(config: Config): CanarySend {
  return (path, marker) => {
    let ca: Buffer | undefined;
    if (config.apiserver.caFile !== undefined) {
      try { ca = readFileSync(config.apiserver.caFile); } catch (e) { return Promise.resolve({ error: `apiserver.caFile: ${(e as Error).message}` }); }
    }
    return unauthenticatedGet({ baseUrl: config.apiserver.url, path, timeoutMs: config.canary.timeoutSeconds * 1000, ...(ca ? { ca } : {}), headers: { 'audit-id': marker } });
  };
}

/** Sends canaries, matches them against `canarySeen` calls from the analyzer and counts seen and missing ones. */
export class Canary implements SideInput, AuditObserver {
  readonly name = 'canary';
  readonly runId: string;
  private readonly pending = new Map<string, { sentAt: number; cancel: () => void }>();
  private n = 0;
  private readonly periodic: Periodic;
  private readonly send: CanarySend;

  constructor(private readonly o: CanaryOptions) {
    this.runId = o.runId ?? randomBytes(4).toString('hex');
    this.send = o.send ?? defaultSend(o.config);
    this.periodic = new Periodic(o.scheduler, o.config.canary.intervalSeconds * 1000, () => o.collectors.run('canary', () => this.tick()).then(() => undefined));
  }

  /** Starts sending; the first canary goes out at once. */
  async start(): Promise<void> { void this.periodic.start(); }

  /** Stops sending and forgets pending canaries (they are neither seen nor missing). */
  async stop(): Promise<void> {
    await this.periodic.stop();
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
  }

  /** Resolves when no canary request is in flight. */
  idle(): Promise<void> { return this.periodic.idle(); }

  /** Markers sent but not yet seen or missing. */
  get pendingCount(): number { return this.pending.size; }

  /** Sends one canary; throws (collector failure) when the request could not be delivered. */
  async tick(): Promise<void> {
    const marker = `${CANARY_PREFIX}${this.runId}-${++this.n}`;
    const sentAt = this.o.scheduler.now();
    const cancel = this.o.scheduler.after(this.o.config.canary.timeoutSeconds * 1000, () => this.expire(marker));
    this.pending.set(marker, { sentAt, cancel });
    if (this.pending.size > MAX_PENDING) this.expire(this.pending.keys().next().value as string);
    const r = await this.send(canaryPath(marker), marker);
    if ('error' in r && UNDELIVERED.test(r.error)) {
      this.pending.get(marker)?.cancel();
      this.pending.delete(marker);
      this.o.log.limited('canary.send', 'warn', 'audit canary not delivered', { error: r.error, url: this.o.config.apiserver.url });
      throw new Error(r.error);
    }
    this.o.metrics.canarySent.inc();
    if ('error' in r) throw new Error(r.error);
  }

  /** Called by the analyzer for every canary event it reads; latency is the daemon's read time minus the send time. */
  canarySeen(marker: string, _stageTimeMs: number): void {
    const p = this.pending.get(marker);
    if (!p) {
      this.o.log.limited('canary.unknown', 'debug', 'audit canary event from another run or already expired');
      return;
    }
    p.cancel();
    this.pending.delete(marker);
    this.o.metrics.canarySeen.inc();
    this.o.metrics.canaryLatency.observe(Math.max(0, this.o.scheduler.now() - p.sentAt) / 1000);
  }

  private expire(marker: string): void {
    const p = this.pending.get(marker);
    if (!p) return;
    p.cancel();
    this.pending.delete(marker);
    this.o.metrics.canaryMissing.inc();
    this.o.log.limited('canary.missing', 'warn', 'audit canary not seen in the audit log in time: the audit pipeline has a gap (policy, batch drops, full disk or disabled backend)', { timeoutSeconds: this.o.config.canary.timeoutSeconds });
  }
}
