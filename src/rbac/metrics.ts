/** RBAC gauges of SPEC §5, computed at scrape time from the watcher's current view. */
import { Gauge, type Registry } from 'prom-client';
import type { RbacSummary } from './state.js';
import { CAPABILITIES } from './types.js';

/** What the gauges read at scrape time. */
export interface RbacMetricsSource {
  summary(): RbacSummary;
  up(): boolean;
  /** Unix seconds of the last successful list or watch event; 0 before the first. */
  lastSyncSeconds(): number;
}

const BINDING_LABELS = ['kind', 'namespace', 'name', 'role_kind', 'role', 'subject', 'expected'] as const;

/**
 * Label values for anonymous subjects, the same as `k8s_anon_rbac_binding_changes_total{subject}`:
 * the bare name, so User and (misconfigured) Group `system:anonymous` share `system:anonymous`.
 */
export function subjectLabels(subjects: readonly string[]): string[] {
  return [...new Set(subjects.map((s) => s.slice(s.indexOf('/') + 1)))].sort();
}

/** Registers the RBAC gauges on `registry`; each series is rebuilt from `src` at every scrape. */
export function registerRbacMetrics(registry: Registry, src: RbacMetricsSource): void {
  new Gauge({
    name: 'k8s_anon_rbac_bindings', registers: [registry], labelNames: BINDING_LABELS,
    help: 'RBAC bindings naming an anonymous identity: one series per binding and anonymous subject name, always 1.',
    collect() {
      this.reset();
      for (const b of src.summary().bindings) {
        for (const subject of subjectLabels(b.subjects)) {
          this.set({ kind: b.kind, namespace: b.namespace, name: b.name, role_kind: b.roleKind, role: b.role, subject, expected: String(b.expected) }, 1);
        }
      }
    },
  });
  new Gauge({
    name: 'k8s_anon_rbac_unexpected_bindings', registers: [registry],
    help: 'Number of bindings naming an anonymous identity that are not in rbac.expected (or whose role lost its default rules).',
    collect() { this.set(src.summary().unexpectedCount); },
  });
  new Gauge({
    name: 'k8s_anon_rbac_capability', registers: [registry], labelNames: ['capability'],
    help: 'Whether any binding (expected or not) grants anonymous identities this capability (1) or not (0).',
    collect() {
      const caps = src.summary().capabilities;
      for (const c of CAPABILITIES) this.set({ capability: c }, caps[c] ? 1 : 0);
    },
  });
  new Gauge({
    name: 'k8s_anon_rbac_up', registers: [registry],
    help: 'Whether the RBAC watch of the API server is working (1) or not (0).',
    collect() { this.set(src.up() ? 1 : 0); },
  });
  new Gauge({
    name: 'k8s_anon_rbac_last_sync_timestamp_seconds', registers: [registry],
    help: 'Unix time of the last successful RBAC list or watch event.',
    collect() { this.set(src.lastSyncSeconds()); },
  });
}
