/** The demo's simulated API server traffic: one second of audit events at a time. */
import { ANONYMOUS, eventLine, requestPair } from './events.js';

const CONTROLLERS = [
  { username: 'system:serviceaccount:kube-system:replicaset-controller', ua: 'kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/system:serviceaccount:kube-system:replicaset-controller' },
  { username: 'system:kube-scheduler', ua: 'kube-scheduler/v1.31.2 (linux/amd64) kubernetes/5864a46/scheduler' },
  { username: 'system:node:cp-1', ua: 'kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46' },
];
const ADMIN = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const SCANNER = '203.0.113.66';
const SCAN_PATHS: [string, string, { resource: string; namespace?: string; name?: string } | undefined][] = [
  ['/', 'get', undefined], ['/api', 'get', undefined], ['/apis', 'get', undefined], ['/version', 'get', undefined],
  ['/api/v1/secrets', 'list', { resource: 'secrets' }], ['/api/v1/namespaces/kube-system/secrets', 'list', { resource: 'secrets', namespace: 'kube-system' }],
  ['/api/v1/pods', 'list', { resource: 'pods' }], ['/.env', 'get', undefined], ['/metrics', 'get', undefined],
];

/** The attack scenario repeats with this period (seconds), so a long-running demo keeps showing it. */
export const SCENARIO_SECONDS = 120;

/** Produces the audit lines one simulated second adds; `second` counts from the start of the demo. */
export function secondOfTraffic(totalSecond: number, nowMs: number): string[] {
  const second = totalSecond % SCENARIO_SECONDS;
  const out: string[] = [];
  for (let i = 0; i < 20; i++) {
    const c = CONTROLLERS[i % CONTROLLERS.length] as (typeof CONTROLLERS)[number];
    out.push(...requestPair({ uri: '/api/v1/namespaces/default/pods?limit=500', verb: 'list', user: { username: c.username, groups: ['system:authenticated'] },
      sourceIPs: ['10.0.0.11'], userAgent: c.ua, objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' }, code: 200, timeMs: nowMs - 900 + i * 40 }));
  }
  for (const [j, path] of ['/readyz', '/livez'].entries()) {
    out.push(...requestPair({ uri: path, verb: 'get', user: ANONYMOUS, sourceIPs: [`10.0.0.${2 + j}`], userAgent: 'kube-probe/1.31', code: 200, timeMs: nowMs - 500 + j }));
  }
  out.push(...scanner(second, nowMs));
  if (second % 7 === 3) out.push(eventLine({ stage: 'ResponseStarted', uri: '/api/v1/namespaces/default/pods', verb: 'list', user: {}, sourceIPs: ['198.51.100.23'],
    userAgent: 'kubectl/v1.29.0 (linux/amd64)', objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' }, code: 401, timeMs: nowMs - 300 }));
  if (second === 6) out.push(...badRead(nowMs));
  if (second === 9) out.push(...bindingCreate(nowMs));
  return out;
}

function scanner(second: number, nowMs: number): string[] {
  if (second < 2 || second > 30) return [];
  const [uri, verb, ref] = SCAN_PATHS[second % SCAN_PATHS.length] as (typeof SCAN_PATHS)[number];
  return requestPair({ uri, verb, user: ANONYMOUS, sourceIPs: [SCANNER], userAgent: 'Mozilla/5.0 zgrab/0.x', objectRef: ref ? { ...ref, apiVersion: 'v1' } : undefined,
    code: uri === '/version' ? 200 : 403, timeMs: nowMs - 200 });
}

function badRead(nowMs: number): string[] {
  return requestPair({ uri: '/api/v1/namespaces/payments/configmaps/db-config', verb: 'get', user: ANONYMOUS, sourceIPs: [SCANNER], userAgent: 'curl/8.5.0',
    objectRef: { resource: 'configmaps', namespace: 'payments', name: 'db-config', apiVersion: 'v1' }, code: 200, timeMs: nowMs - 100,
    reason: 'RBAC: allowed by RoleBinding "legacy-readers/payments" of ClusterRole "view" to Group "system:unauthenticated"' });
}

function bindingCreate(nowMs: number): string[] {
  const obj = { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'debug-anyone', namespace: 'payments' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:unauthenticated' }] };
  return requestPair({ uri: '/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings', verb: 'create', level: 'RequestResponse', user: ADMIN,
    sourceIPs: ['192.168.10.4'], userAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
    objectRef: { resource: 'rolebindings', namespace: 'payments', name: 'debug-anyone', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
    code: 201, requestObject: obj, responseObject: obj, timeMs: nowMs - 50 });
}
