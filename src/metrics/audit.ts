/** Exposes the analyzer's counters as the traffic and audit-log metrics of SPEC §5. */
import type { Registry } from 'prom-client';
import type { Analyzer } from '../audit/analyzer.js';
import { GAP_BUCKETS } from '../audit/state.js';
import { STAGES } from '../audit/vocab.js';
import { ComputedMetric, familySamples, histogramSamples, type Sample } from './computed.js';

/** Skip reasons, exported as 0 until their first line (a small fixed set). */
export const SKIP_REASONS = ['invalid_json', 'not_audit_event', 'too_long', 'invalid_field'] as const;

type Def = [name: string, help: string, type: 'counter' | 'gauge' | 'histogram', samples: () => Sample[]];

/**
 * Registers every analyzer-backed metric on `registry`; `now` feeds the silence gauge, which
 * counts from `startedMs` (a lower bound) while no event has ever been read.
 */
export function registerAuditMetrics(registry: Registry, analyzer: Analyzer, now: () => number = Date.now, startedMs: number = now()): void {
  const c = () => analyzer.c;
  const fam = (f: () => Map<string, number>, labels: string[], zeros: readonly string[] = []) => () => familySamples(f(), labels, zeros);
  const defs: Def[] = [
    ['k8s_anon_requests_total', 'Anonymous requests (system:anonymous, directly or impersonated) by endpoint class, verb, code and source class.', 'counter',
      fam(() => c().anon, ['endpoint_class', 'verb', 'code', 'source_class'])],
    ['k8s_anon_sensitive_requests_total', 'Anonymous requests to sensitive endpoints by resource, verb and code.', 'counter',
      fam(() => c().sensitive, ['resource', 'verb', 'code'])],
    ['k8s_anon_impersonated_requests_total', 'Requests impersonating system:anonymous by endpoint class and code.', 'counter',
      fam(() => c().impersonated, ['endpoint_class', 'code'])],
    ['k8s_anon_unauthorized_requests_total', 'Requests rejected with 401 (failed authentication) by endpoint class and source class.', 'counter',
      fam(() => c().unauthorized, ['endpoint_class', 'source_class'])],
    ['k8s_anon_source_requests_total', 'Anonymous and unauthorized requests by source address (capped), source class and outcome.', 'counter',
      fam(() => c().sources, ['source', 'source_class', 'outcome'])],
    ['k8s_anon_rbac_binding_changes_total', 'Logged binding writes whose request or response object names an anonymous identity.', 'counter',
      fam(() => c().bindingChanges, ['kind', 'verb', 'subject'])],
    ['k8s_anon_rbac_binding_writes_unverified_total', 'Logged binding writes without objects carrying subjects (Metadata level): re-check RBAC.', 'counter',
      fam(() => c().bindingUnverified, ['kind', 'verb'])],
    ['k8s_anon_audit_events_total', 'Audit events read, by stage.', 'counter', fam(() => c().events, ['stage'], [...STAGES])],
    ['k8s_anon_audit_requests_total', 'Requests counted (one per request), the denominator of every rate.', 'counter', () => [{ value: c().requests }]],
    ['k8s_anon_audit_lines_skipped_total', 'Audit log lines skipped, by reason.', 'counter', fam(() => c().skipped, ['reason'], SKIP_REASONS)],
    ['k8s_anon_audit_last_event_timestamp_seconds', 'Newest audit event time (stageTimestamp), in Unix seconds.', 'gauge',
      () => (c().lastEventMs === undefined ? [] : [{ value: (c().lastEventMs as number) / 1000 }])],
    ['k8s_anon_audit_silence_seconds', 'Seconds since the newest audit event, computed at scrape time; since the daemon started while no event was ever read.', 'gauge',
      () => [{ value: Math.max(0, (now() - (c().lastEventMs ?? startedMs)) / 1000) }]],
    ['k8s_anon_audit_gap_seconds', 'Time between consecutive audit events.', 'histogram',
      () => histogramSamples('k8s_anon_audit_gap_seconds', GAP_BUCKETS, c().gapBuckets, c().gapSum)],
    ['k8s_anon_audit_gaps_total', 'Gaps between consecutive audit events longer than gaps.thresholdSeconds.', 'counter', () => [{ value: c().gapsOver }]],
  ];
  for (const [name, help, type, samples] of defs) new ComputedMetric(name, help, type, samples).register(registry);
}
