/** Netdata charts declared as data: each maps one scrape of `/metrics` to dimension values. */
import type { Algorithm, Chart } from './protocol.js';
import type { LabelMatch, MetricIndex } from './promtext.js';
import { READ_ERROR_REASONS } from '../tail/types.js';

/** Collected values by dimension; `undefined` (or a missing key) leaves a gap for that dimension. */
export type Values = Map<string, number | undefined>;

/** A chart: its Netdata declaration plus how to compute its values from a scrape. */
export interface ChartSpec extends Chart {
  algorithm: Algorithm;
  /** Values are multiplied by `scale` and declared with divisor `scale` (fractions survive integer SET). */
  scale: number;
  /** Per-dimension algorithms where they differ from `algorithm`. */
  algorithms?: Readonly<Record<string, Algorithm>>;
  /** Fixed dimension ids; absent for charts whose dimensions follow label values. */
  dims?: readonly string[];
  /** Computes the values; `m` is undefined when the daemon could not be scraped. */
  values(m: MetricIndex | undefined): Values;
}

const CLASSES = ['health', 'discovery', 'bootstrap', 'sensitive', 'resource', 'other'] as const;
const CAPABILITIES = ['read_secrets', 'read_configmaps', 'list_pods', 'exec', 'write', 'rbac_escalate', 'impersonate', 'wildcard', 'nonresource_other'] as const;
const SKIP_REASONS = ['invalid_json', 'not_audit_event', 'too_long', 'invalid_field'] as const;
const AUTH_SOURCES = ['manifest', 'process', 'authentication_config'] as const;
const LOCKDOWN_GROUPS = ['health_probe', 'bootstrap', 'other_allowed'] as const;

/** True for codes the API server uses when it let a request through (2xx, 101 upgrades). */
export const isAllowed = (code: string): boolean => /^2\d\d$/.test(code) || code === '101';
const OUTCOMES: Record<string, (code: string) => boolean> = {
  allowed: isAllowed,
  forbidden: (c) => c === '403',
  unauthorized: (c) => c === '401',
  other: (c) => !isAllowed(c) && c !== '403' && c !== '401',
};
const WEBHOOK_OUTCOMES: Record<string, (code: string) => boolean> = {
  acknowledged: (c) => c === '200', throttled: (c) => c === '429', unavailable: (c) => c === '503',
  rejected: (c) => c !== '200' && c !== '429' && c !== '503',
};
const CODE_CLASSES: Record<string, (code: string) => boolean> = {
  '1xx': (c) => /^1\d\d$/.test(c), '2xx': (c) => /^2\d\d$/.test(c), '3xx': (c) => /^3\d\d$/.test(c),
  '4xx': (c) => /^4\d\d$/.test(c), '5xx': (c) => /^5\d\d$/.test(c), none: (c) => !/^[1-5]\d\d$/.test(c),
};

/** Values of `metric` summed per label value, one dimension per fixed key. */
function perLabel(metric: string, label: string, keys: readonly string[], want: LabelMatch = {}) {
  return (m: MetricIndex | undefined): Values => new Map(keys.map((k) => [k, m?.sum(metric, { ...want, [label]: k })]));
}

/** Values of `metric` summed per predicate on the `code` label. */
function perCode(metric: string, groups: Record<string, (code: string) => boolean>) {
  return (m: MetricIndex | undefined): Values => new Map(Object.entries(groups).map(([k, f]) => [k, m?.sum(metric, { code: f })]));
}

/** One dimension per metric, each the sum of all its series. */
const HEALTH_PATH = /^\/(?:healthz|livez|readyz)(?:\/.*)?$|^\/version\/?$/;

/** Per-source flags plus `unrestricted`: enabled without conditions, or with a condition beyond health paths. A source not read is a gap, not 0. */
function authValues(m: MetricIndex | undefined): Values {
  const out: Values = new Map(AUTH_SOURCES.map((k) => [k, m?.sumPresent('k8s_anon_auth_enabled', { source: k })]));
  const total = m?.sumPresent('k8s_anon_auth_enabled');
  if (!m || total === undefined) return out.set('unrestricted', undefined);
  const enabled = total > 0;
  const paths = [...m.groupBy('k8s_anon_auth_allowed_paths', 'path').keys()];
  const limited = paths.length > 0 && paths.every((p) => HEALTH_PATH.test(p));
  return out.set('unrestricted', enabled && !limited ? 1 : 0);
}

function perMetric(pairs: Record<string, string>) {
  return (m: MetricIndex | undefined): Values => new Map(Object.entries(pairs).map(([k, metric]) => [k, m?.sum(metric)]));
}

/** One dimension per distinct value of `label` (dimensions appear as label values do). */
function dynamic(metric: string, label: string) {
  return (m: MetricIndex | undefined): Values => new Map(m ? m.groupBy(metric, label) : []);
}

/** Counts distinct RBAC bindings (one series per subject) by their `expected` label. */
function bindings(m: MetricIndex | undefined): Values {
  if (!m?.has('k8s_anon_rbac_bindings') && !m?.has('k8s_anon_rbac_unexpected_bindings')) return new Map();
  const seen = new Set<string>();
  let expected = 0;
  for (const s of m.exposition.samples) {
    if (s.name !== 'k8s_anon_rbac_bindings' || s.labels.expected !== 'true' || s.value <= 0) continue;
    const key = `${s.labels.kind}/${s.labels.namespace}/${s.labels.name}`;
    if (!seen.has(key)) { seen.add(key); expected++; }
  }
  return new Map([['expected', expected], ['unexpected', m.sum('k8s_anon_rbac_unexpected_bindings')]]);
}

/** Seconds since the newest value of a timestamp gauge (max over series). */
function age(m: MetricIndex | undefined, metric: string): number | undefined {
  const ts = m?.max(metric);
  return m && ts !== undefined && ts > 0 ? Math.max(0, m.now / 1000 - ts) : undefined;
}

/** Mean of a histogram since the daemon started counting (undefined before the first observation). */
function mean(m: MetricIndex | undefined, metric: string): number | undefined {
  const count = m?.sum(`${metric}_count`);
  const sum = m?.sum(`${metric}_sum`);
  return count && sum !== undefined ? sum / count : undefined;
}

/** Seconds since the daemon started while it has never read an event; 0 once it has (gap when unknown). */
function neverRead(m: MetricIndex | undefined): number | undefined {
  if (!m) return undefined;
  if (m.max('k8s_anon_audit_last_event_timestamp_seconds') !== undefined) return 0;
  const started = m.max('process_start_time_seconds');
  return started === undefined ? undefined : Math.max(0, m.now / 1000 - started);
}

/** One dimension per blind state: 1 (or a count) while the exporter cannot see; gaps where the input is off. */
function blindValues(m: MetricIndex | undefined): Values {
  const up = (metric: string) => { const v = m?.sumPresent(metric); return v === undefined ? undefined : v > 0 ? 0 : 1; };
  return new Map([
    ['audit_unreadable', up('k8s_anon_audit_up')],
    ['rbac_down', up('k8s_anon_rbac_up')],
    ['probe_unanswered', m?.countValue('k8s_anon_probe_up', 0)],
    ['collectors_failing', m?.countValue('k8s_anon_collector_success', 0)],
  ]);
}

/** Posture says anonymous is off (every source read says 0) or limited to health paths: 1; exposed: 0; unknown (no source read): a gap. */
function locked(m: MetricIndex | undefined): number | undefined {
  if (!m || m.groupBy('k8s_anon_auth_enabled', 'source').size === 0) return undefined;
  return authValues(m).get('unrestricted') === 0 ? 1 : 0;
}

/** The two inputs of the k8s_anon_lockdown_ineffective alarm: the posture verdict and anonymous 2xx/101 beyond health paths. */
function lockdown(m: MetricIndex | undefined): Values {
  return new Map([['locked', locked(m)], ['non_health_allowed', m?.sum('k8s_anon_requests_total', { endpoint_class: (c) => c !== 'health', code: isAllowed })]]);
}

type Base = Omit<ChartSpec, 'priority'>;
const chart = (c: Omit<Base, 'scale' | 'chartType'> & Partial<Pick<ChartSpec, 'scale' | 'chartType'>>): Base =>
  ({ scale: 1, chartType: 'line', ...c });

const DEFS: Base[] = [
  chart({ id: 'requests_by_class', title: 'Anonymous requests by endpoint class', units: 'requests/s', family: 'anonymous', chartType: 'stacked', algorithm: 'incremental', dims: CLASSES, values: perLabel('k8s_anon_requests_total', 'endpoint_class', CLASSES) }),
  chart({ id: 'requests_by_outcome', title: 'Anonymous requests by outcome', units: 'requests/s', family: 'anonymous', chartType: 'stacked', algorithm: 'incremental', dims: Object.keys(OUTCOMES), values: perCode('k8s_anon_requests_total', OUTCOMES) }),
  chart({ id: 'requests_by_code_class', title: 'Anonymous requests by status code class', units: 'requests/s', family: 'anonymous', chartType: 'stacked', algorithm: 'incremental', dims: Object.keys(CODE_CLASSES), values: perCode('k8s_anon_requests_total', CODE_CLASSES) }),
  chart({ id: 'sensitive_requests', title: 'Anonymous requests to sensitive endpoints by outcome', units: 'requests/s', family: 'anonymous', algorithm: 'incremental', dims: Object.keys(OUTCOMES), values: perCode('k8s_anon_sensitive_requests_total', OUTCOMES) }),
  chart({ id: 'impersonated_requests', title: 'Requests impersonating system:anonymous by endpoint class', units: 'requests/s', family: 'anonymous', algorithm: 'incremental', dims: CLASSES, values: perLabel('k8s_anon_impersonated_requests_total', 'endpoint_class', CLASSES) }),
  chart({ id: 'sources', title: 'Anonymous and unauthenticated requests by source address', units: 'requests/s', family: 'anonymous', chartType: 'stacked', algorithm: 'incremental', values: dynamic('k8s_anon_source_requests_total', 'source') }),
  chart({ id: 'unauthorized_requests', title: 'Rejected (401) requests by endpoint class', units: 'requests/s', family: 'unauthorized', chartType: 'stacked', algorithm: 'incremental', dims: CLASSES, values: perLabel('k8s_anon_unauthorized_requests_total', 'endpoint_class', CLASSES) }),
  chart({ id: 'rbac_bindings', title: 'RBAC bindings granting anything to anonymous identities', units: 'bindings', family: 'rbac', algorithm: 'absolute', dims: ['expected', 'unexpected'], values: bindings }),
  chart({ id: 'rbac_capabilities', title: 'Capabilities RBAC grants to anonymous identities', units: 'granted', family: 'rbac', algorithm: 'absolute', dims: CAPABILITIES, values: perLabel('k8s_anon_rbac_capability', 'capability', CAPABILITIES) }),
  chart({ id: 'rbac_binding_changes', title: 'Audited writes of bindings naming anonymous identities', units: 'writes/s', family: 'rbac', algorithm: 'incremental', dims: ['changes', 'unverified'], values: perMetric({ changes: 'k8s_anon_rbac_binding_changes_total', unverified: 'k8s_anon_rbac_binding_writes_unverified_total' }) }),
  chart({ id: 'auth_enabled', title: 'Anonymous authentication enabled on the API server', units: 'enabled', family: 'posture', algorithm: 'absolute', dims: [...AUTH_SOURCES, 'unrestricted'], values: authValues }),
  chart({ id: 'auth_allowed_paths', title: 'Paths anonymous authentication is restricted to', units: 'paths', family: 'posture', algorithm: 'absolute', dims: ['paths'], values: perMetric({ paths: 'k8s_anon_auth_allowed_paths' }) }),
  chart({ id: 'probe_status', title: 'Status code of unauthenticated probes by path', units: 'status code', family: 'posture', algorithm: 'absolute', values: dynamic('k8s_anon_probe_status_code', 'path') }),
  chart({ id: 'probe_exposed', title: 'Unauthenticated probes answered 2xx on a non-health path', units: 'exposed', family: 'posture', algorithm: 'absolute', values: dynamic('k8s_anon_probe_exposed', 'path') }),
  chart({ id: 'audit_silence', title: 'Time since the newest audit event', units: 'seconds', family: 'audit log', algorithm: 'absolute', scale: 1000, dims: ['silence'], values: perMetric({ silence: 'k8s_anon_audit_silence_seconds' }) }),
  chart({ id: 'audit_gaps', title: 'Gaps between consecutive audit events above the threshold', units: 'gaps/s', family: 'audit log', algorithm: 'incremental', dims: ['gaps'], values: perMetric({ gaps: 'k8s_anon_audit_gaps_total' }) }),
  chart({ id: 'audit_rotations', title: 'Audit log rotations and truncations', units: 'events/s', family: 'audit log', algorithm: 'incremental', dims: ['rotations', 'truncations'], values: perMetric({ rotations: 'k8s_anon_audit_rotations_total', truncations: 'k8s_anon_audit_truncations_total' }) }),
  chart({ id: 'audit_lag', title: 'Audit log bytes not yet read', units: 'bytes', family: 'audit log', algorithm: 'absolute', dims: ['lag'], values: perMetric({ lag: 'k8s_anon_audit_lag_bytes' }) }),
  chart({ id: 'audit_throughput', title: 'Audit events read and requests counted', units: 'events/s', family: 'audit log', algorithm: 'incremental', dims: ['events', 'requests'], values: perMetric({ events: 'k8s_anon_audit_events_total', requests: 'k8s_anon_audit_requests_total' }) }),
  chart({ id: 'audit_read', title: 'Audit log bytes read', units: 'bytes/s', family: 'audit log', algorithm: 'incremental', dims: ['read'], values: perMetric({ read: 'k8s_anon_audit_bytes_read_total' }) }),
  chart({ id: 'audit_files_lost', title: 'Rotated audit files removed before they were fully read', units: 'files/s', family: 'audit log', algorithm: 'incremental', dims: ['lost'], values: perMetric({ lost: 'k8s_anon_audit_files_lost_total' }) }),
  chart({ id: 'audit_lines_skipped', title: 'Audit log lines skipped by reason', units: 'lines/s', family: 'audit log', algorithm: 'incremental', dims: SKIP_REASONS, values: perLabel('k8s_anon_audit_lines_skipped_total', 'reason', SKIP_REASONS) }),
  chart({ id: 'canary', title: 'Audit canary requests sent, seen in the log and missing', units: 'canaries/s', family: 'canary', algorithm: 'incremental', dims: ['sent', 'seen', 'missing'], values: perMetric({ sent: 'k8s_anon_canary_sent_total', seen: 'k8s_anon_canary_seen_total', missing: 'k8s_anon_canary_missing_total' }) }),
  chart({ id: 'canary_latency', title: 'Mean time until a canary appears in the audit log', units: 'seconds', family: 'canary', algorithm: 'absolute', scale: 1000, dims: ['mean'], values: (m) => new Map([['mean', mean(m, 'k8s_anon_canary_latency_seconds')]]) }),
  chart({ id: 'exporter', title: 'Exporter reachable, audit log readable, RBAC watch connected', units: 'up', family: 'exporter', algorithm: 'absolute', dims: ['exporter_up', 'audit_up', 'rbac_up'], values: (m) => new Map([['exporter_up', m ? 1 : 0], ['audit_up', m?.sum('k8s_anon_audit_up')], ['rbac_up', m?.sum('k8s_anon_rbac_up')]]) }),
  chart({ id: 'ages', title: 'Age of the last checkpoint and of the last RBAC sync', units: 'seconds', family: 'exporter', algorithm: 'absolute', dims: ['checkpoint', 'rbac_sync'], values: (m) => new Map([['checkpoint', age(m, 'k8s_anon_audit_checkpoint_timestamp_seconds')], ['rbac_sync', age(m, 'k8s_anon_rbac_last_sync_timestamp_seconds')]]) }),
  chart({ id: 'collectors', title: 'Side-input collectors whose last run succeeded', units: 'success', family: 'exporter', algorithm: 'absolute', values: dynamic('k8s_anon_collector_success', 'collector') }),
  chart({ id: 'blind', title: 'Blind states: what the exporter cannot see now', units: 'state', family: 'exporter', algorithm: 'absolute', dims: ['audit_unreadable', 'rbac_down', 'probe_unanswered', 'collectors_failing'], values: blindValues }),
  chart({ id: 'audit_never_read', title: 'Seconds since start without a single audit event read', units: 'seconds', family: 'exporter', algorithm: 'absolute', dims: ['never_read'], values: (m) => new Map([['never_read', neverRead(m)]]) }),
  chart({ id: 'self_errors', title: 'Audit log read errors and failed checkpoint writes', units: 'errors/s', family: 'exporter', algorithm: 'incremental', dims: [...READ_ERROR_REASONS, 'checkpoint'], values: (m) => perLabel('k8s_anon_audit_read_errors_total', 'reason', READ_ERROR_REASONS)(m).set('checkpoint', m?.sum('k8s_anon_checkpoint_write_errors_total')) }),
  chart({ id: 'collector_duration', title: 'Duration of the last run of each side-input collector', units: 'seconds', family: 'exporter', algorithm: 'absolute', scale: 1000, values: dynamic('k8s_anon_collector_duration_seconds', 'collector') }),
  chart({ id: 'webhook_events', title: 'Audit events, batches and duplicate batches received through the webhook input', units: 'events/s', family: 'webhook', algorithm: 'incremental', dims: ['events', 'batches', 'duplicates'], values: perMetric({ events: 'k8s_anon_webhook_events_total', batches: 'k8s_anon_webhook_batch_events_count', duplicates: 'k8s_anon_webhook_duplicate_batches_total' }) }),
  chart({ id: 'webhook_requests', title: 'Webhook input answers by outcome', units: 'requests/s', family: 'webhook', chartType: 'stacked', algorithm: 'incremental', dims: Object.keys(WEBHOOK_OUTCOMES), values: perCode('k8s_anon_webhook_requests_total', WEBHOOK_OUTCOMES) }),
  chart({ id: 'webhook_ack_latency', title: 'Mean time from a webhook batch received to its durable acknowledgement', units: 'seconds', family: 'webhook', algorithm: 'absolute', scale: 1000, dims: ['mean'], values: (m) => new Map([['mean', mean(m, 'k8s_anon_webhook_ack_latency_seconds')]]) }),
  chart({ id: 'lockdown', title: 'Posture says locked down, and anonymous requests beyond health paths that succeeded', units: 'value', family: 'posture', algorithm: 'incremental', algorithms: { locked: 'absolute' }, dims: ['locked', 'non_health_allowed'], values: lockdown }),
  chart({ id: 'lockdown_breaking_sources', title: 'Sources a lockdown would break, by what breaks', units: 'sources', family: 'posture', algorithm: 'absolute', dims: LOCKDOWN_GROUPS, values: perLabel('k8s_anon_lockdown_breaking_sources', 'group', LOCKDOWN_GROUPS) }),
  chart({ id: 'apiserver_unauthorized', title: 'API server 401 responses to all clients, by instance (its own /metrics)', units: 'requests/s', family: 'apiserver', chartType: 'stacked', algorithm: 'incremental', values: dynamic('k8s_anon_apiserver_unauthorized_requests_total', 'apiserver') }),
  chart({ id: 'apiserver_latency', title: 'API server request latency p99 between reads, by instance (non-long-running)', units: 'seconds', family: 'apiserver', algorithm: 'absolute', scale: 1000, values: (m) => new Map(m ? m.groupBy('k8s_anon_apiserver_request_latency_seconds', 'apiserver', { quantile: '0.99' }) : []) }),
];

/** Every chart the plugin can declare, in display order. */
export const CHARTS: readonly ChartSpec[] = DEFS.map((d, i) => ({ ...d, priority: 91000 + i * 10 }));
