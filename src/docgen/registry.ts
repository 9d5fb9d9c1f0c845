/** The daemon's metric families, registered as `serve` registers them but with nothing started. */
import { Registry } from 'prom-client';
import { Analyzer } from '../audit/analyzer.js';
import { registerAuditMetrics } from '../metrics/audit.js';
import { CollectorMetrics, createRegistry } from '../metrics/registry.js';
import { TailMetrics } from '../metrics/tail.js';
import { PostureMetrics } from '../posture/metrics.js';
import { registerRbacMetrics } from '../rbac/metrics.js';
import { summarize } from '../rbac/state.js';
import { LockdownWindow } from '../lockdown/metrics.js';
import { ApiserverMirror } from '../posture/apiserver-mirror.js';
import { WebhookMetrics } from '../webhook/metrics.js';

/** A few audit lines that touch every analyzer family, so that their label names show in the exposition. */
const SAMPLE_EVENTS = [
  { verb: 'get', requestURI: '/api/v1/secrets', objectRef: { resource: 'secrets', apiVersion: 'v1' }, user: { username: 'system:anonymous' }, code: 200 },
  { verb: 'get', requestURI: '/api', user: { username: 'admin' }, impersonatedUser: { username: 'system:anonymous' }, code: 200 },
  { verb: 'get', requestURI: '/api/v1/pods', user: {}, code: 401, stage: 'ResponseStarted' },
  {
    verb: 'create', requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', user: { username: 'admin' }, code: 201,
    objectRef: { resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', name: 'x' },
    requestObject: { kind: 'ClusterRoleBinding', subjects: [{ kind: 'Group', name: 'system:unauthenticated' }] },
  },
  { verb: 'delete', requestURI: '/apis/rbac.authorization.k8s.io/v1/namespaces/a/rolebindings/y', user: { username: 'admin' }, code: 200,
    objectRef: { resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1', namespace: 'a', name: 'y' } },
].map((e, i) => JSON.stringify({
  kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', auditID: `doc-${i}`, stage: e.stage ?? 'ResponseComplete',
  verb: e.verb, requestURI: e.requestURI, user: e.user, impersonatedUser: e.impersonatedUser, objectRef: e.objectRef, requestObject: e.requestObject,
  sourceIPs: ['192.0.2.1'], responseStatus: { code: e.code }, stageTimestamp: '2025-01-01T00:00:00.000000Z',
}));

/** Builds the registry with every family the daemon exports; nothing listens, reads or watches. */
export function documentationRegistry(): Registry {
  const registry = createRegistry();
  new CollectorMetrics(registry).record('probe', true, 0);
  const analyzer = new Analyzer({
    sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, sourceWindowSeconds: 3600, gapThresholdSeconds: 30,
    detail: new LockdownWindow(registry, 3600),
  });
  for (const line of [...SAMPLE_EVENTS, 'not json']) {
    const buf = Buffer.from(line);
    analyzer.line(buf, 0, buf.length);
  }
  registerAuditMetrics(registry, analyzer);
  new TailMetrics(registry).lag(0); // the lag gauge appears once the tailer has measured it
  new PostureMetrics(registry);
  new WebhookMetrics(registry); // registered by serve only when the webhook input is enabled
  // Registered by serve only with apiserver.metrics.enabled; one read so that the `apiserver` label shows.
  new ApiserverMirror(registry).update('192.0.2.10:6443', { unauthorized: 0, duration: { bounds: [1], counts: [0], sum: 0, count: 0 } });
  registerRbacMetrics(registry, { summary: () => summarize([]), up: () => false, lastSyncSeconds: () => 0 });
  return registry;
}
