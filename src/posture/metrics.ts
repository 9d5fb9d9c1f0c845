/** Posture metrics of SPEC §5: auth sources, allowed paths, probe results, canary counters. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { SOURCES, type Inspection, type ProbeResult } from './types.js';

/** Canary latency buckets (seconds): file backend writes are immediate, batch mode adds up to a few seconds. */
export const CANARY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** At most this many condition paths become `path` label values. */
export const MAX_ALLOWED_PATHS = 32;

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The posture metric families on one registry. */
export class PostureMetrics {
  readonly authEnabled: Gauge<'source'>;
  readonly allowedPaths: Gauge<'path'>;
  readonly probeStatus: Gauge<'path'>;
  readonly probeExposed: Gauge<'path'>;
  readonly probeUp: Gauge<'path'>;
  readonly canarySent: Counter;
  readonly canarySeen: Counter;
  readonly canaryMissing: Counter;
  readonly canaryLatency: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.authEnabled = metric(registry, 'k8s_anon_auth_enabled', () => new Gauge({ name: 'k8s_anon_auth_enabled', help: 'Anonymous authentication enabled (1) or not (0) according to each source; absent when the source is unknown.', labelNames: ['source'], registers }));
    this.allowedPaths = metric(registry, 'k8s_anon_auth_allowed_paths', () => new Gauge({ name: 'k8s_anon_auth_allowed_paths', help: 'Paths anonymous requests may reach under AuthenticationConfiguration anonymous.conditions (KEP-4633); always 1.', labelNames: ['path'], registers }));
    this.probeStatus = metric(registry, 'k8s_anon_probe_status_code', () => new Gauge({ name: 'k8s_anon_probe_status_code', help: 'HTTP status of the last unauthenticated probe of each configured path; absent when no response arrived.', labelNames: ['path'], registers }));
    this.probeExposed = metric(registry, 'k8s_anon_probe_exposed', () => new Gauge({ name: 'k8s_anon_probe_exposed', help: 'The last unauthenticated probe of a non-health path got a 2xx (1) or not (0); absent when no response arrived.', labelNames: ['path'], registers }));
    this.probeUp = metric(registry, 'k8s_anon_probe_up', () => new Gauge({ name: 'k8s_anon_probe_up', help: 'The last unauthenticated probe of a path got an HTTP response (1) or none (0: refused, timed out, TLS failure).', labelNames: ['path'], registers }));
    this.canarySent = metric(registry, 'k8s_anon_canary_sent_total', () => new Counter({ name: 'k8s_anon_canary_sent_total', help: 'Audit canary requests the API server answered.', registers }));
    this.canarySeen = metric(registry, 'k8s_anon_canary_seen_total', () => new Counter({ name: 'k8s_anon_canary_seen_total', help: 'Audit canary requests found in the audit log within canary.timeoutSeconds.', registers }));
    this.canaryMissing = metric(registry, 'k8s_anon_canary_missing_total', () => new Counter({ name: 'k8s_anon_canary_missing_total', help: 'Audit canary requests not found in the audit log within canary.timeoutSeconds.', registers }));
    this.canaryLatency = metric(registry, 'k8s_anon_canary_latency_seconds', () => new Histogram({ name: 'k8s_anon_canary_latency_seconds', help: 'Time from sending an audit canary to the daemon reading its audit event.', buckets: CANARY_BUCKETS, registers }));
  }

  /** Publishes one inspection: sources with a known value, and the condition paths. */
  setInspection(i: Inspection): void {
    for (const s of SOURCES) {
      const v = i.sources[s].anonymousAuth;
      if (v === undefined) this.authEnabled.remove({ source: s });
      else this.authEnabled.set({ source: s }, v ? 1 : 0);
    }
    this.allowedPaths.reset();
    for (const path of i.allowedPaths.slice(0, MAX_ALLOWED_PATHS)) this.allowedPaths.set({ path }, 1);
  }

  /** Publishes one probe round. */
  setProbes(results: readonly ProbeResult[]): void {
    for (const r of results) {
      this.probeUp.set({ path: r.path }, r.statusCode === null ? 0 : 1);
      if (r.statusCode === null) {
        // Unknown is not "not exposed": no answer leaves no status or exposure sample.
        this.probeStatus.remove({ path: r.path });
        this.probeExposed.remove({ path: r.path });
        continue;
      }
      this.probeStatus.set({ path: r.path }, r.statusCode);
      this.probeExposed.set({ path: r.path }, r.exposed ? 1 : 0);
    }
  }
}
