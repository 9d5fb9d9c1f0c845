/** Posture metrics of SPEC §5: auth sources, allowed paths, probe results, canary counters. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { InstanceResult } from './instances.js';
import { SOURCES, type Inspection, type ProbeResult } from './types.js';

/** Canary latency buckets (seconds): file backend writes are immediate, batch mode adds up to a few seconds. */
export const CANARY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** At most this many condition paths become `path` label values. */
export const MAX_ALLOWED_PATHS = 32;

/** At most this many instances get their own `apiserver` label value; the rest share `apiserver="other"`. */
export const MAX_INSTANCES = 16;

type ProbeLabels = 'path' | 'apiserver';

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The posture metric families on one registry. */
export class PostureMetrics {
  readonly authEnabled: Gauge<'source'>;
  readonly allowedPaths: Gauge<'path'>;
  readonly probeStatus: Gauge<ProbeLabels>;
  readonly probeExposed: Gauge<ProbeLabels>;
  readonly probeUp: Gauge<ProbeLabels>;
  readonly probeInstances: Gauge;
  readonly canarySent: Counter;
  readonly canarySeen: Counter;
  readonly canaryMissing: Counter;
  readonly canaryLatency: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.authEnabled = metric(registry, 'k8s_anon_auth_enabled', () => new Gauge({ name: 'k8s_anon_auth_enabled', help: 'Anonymous authentication enabled (1) or not (0) according to each source; absent when the source is unknown.', labelNames: ['source'], registers }));
    this.allowedPaths = metric(registry, 'k8s_anon_auth_allowed_paths', () => new Gauge({ name: 'k8s_anon_auth_allowed_paths', help: 'Paths anonymous requests may reach under AuthenticationConfiguration anonymous.conditions (KEP-4633); always 1.', labelNames: ['path'], registers }));
    this.probeStatus = metric(registry, 'k8s_anon_probe_status_code', () => new Gauge({ name: 'k8s_anon_probe_status_code', help: 'HTTP status of the last unauthenticated probe of each configured path (and instance); absent when no response arrived.', labelNames: ['path', 'apiserver'], registers }));
    this.probeExposed = metric(registry, 'k8s_anon_probe_exposed', () => new Gauge({ name: 'k8s_anon_probe_exposed', help: 'The last unauthenticated probe of a non-health path got a 2xx (1) or not (0); absent when no response arrived.', labelNames: ['path', 'apiserver'], registers }));
    this.probeUp = metric(registry, 'k8s_anon_probe_up', () => new Gauge({ name: 'k8s_anon_probe_up', help: 'The last unauthenticated probe of each path (and instance) got an HTTP response (1) or none (0).', labelNames: ['path', 'apiserver'], registers }));
    this.probeInstances = metric(registry, 'k8s_anon_probe_instances', () => new Gauge({ name: 'k8s_anon_probe_instances', help: 'API server instances probed in the last round (all of them, also those beyond the per-instance label limit).', registers }));
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

  /** Publishes one probe round of one instance without an `apiserver` label. */
  setProbes(results: readonly ProbeResult[]): void {
    this.resetProbes();
    this.probeInstances.set(1);
    for (const r of results) this.setProbe({ path: r.path }, r);
  }

  /** Publishes one round over several instances: the first MAX_INSTANCES by label own a label value, the rest are `other` (up: min, exposed: max). */
  setInstances(results: readonly InstanceResult[]): void {
    this.resetProbes();
    this.probeInstances.set(results.length);
    const sorted = [...results].sort((a, b) => (a.apiserver < b.apiserver ? -1 : a.apiserver > b.apiserver ? 1 : 0));
    for (const r of sorted.slice(0, MAX_INSTANCES)) for (const p of r.probes) this.setProbe({ path: p.path, apiserver: r.apiserver }, p);
    const rest = sorted.slice(MAX_INSTANCES).flatMap((r) => r.probes);
    for (const path of new Set(rest.map((p) => p.path))) {
      const same = rest.filter((p) => p.path === path);
      const labels = { path, apiserver: 'other' };
      this.probeUp.set(labels, same.every((p) => p.statusCode !== null) ? 1 : 0);
      if (same.some((p) => p.statusCode !== null)) this.probeExposed.set(labels, same.some((p) => p.exposed) ? 1 : 0);
    }
  }

  private setProbe(labels: Partial<Record<ProbeLabels, string>>, r: ProbeResult): void {
    this.probeUp.set(labels, r.statusCode === null ? 0 : 1);
    if (r.statusCode === null) return;
    this.probeStatus.set(labels, r.statusCode);
    this.probeExposed.set(labels, r.exposed ? 1 : 0);
  }

  private resetProbes(): void {
    this.probeStatus.reset();
    this.probeExposed.reset();
    this.probeUp.reset();
  }
}
