/** Realistic audit.k8s.io/v1 events for end-to-end tests: benign traffic, an anonymous secrets read, a bad binding. */
import { randomUUID } from 'node:crypto';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const ADMIN = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

interface EventSpec {
  at: Date;
  user: object;
  verb: string;
  uri: string;
  code: number;
  ip: string;
  stage?: string;
  level?: string;
  objectRef?: object;
  requestObject?: object;
  userAgent?: string;
}

/** One audit event as a JSON line. */
export function event(e: EventSpec): string {
  const received = new Date(e.at.getTime() - 3).toISOString().replace('Z', '000Z');
  const ev: Record<string, unknown> = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: e.level ?? 'Metadata', auditID: randomUUID(),
    stage: e.stage ?? 'ResponseComplete', requestURI: e.uri, verb: e.verb, user: e.user, sourceIPs: [e.ip],
    userAgent: e.userAgent ?? 'curl/8.5.0',
    ...(e.objectRef ? { objectRef: e.objectRef } : {}),
    responseStatus: e.code >= 400 ? { metadata: {}, status: 'Failure', reason: e.code === 401 ? 'Unauthorized' : 'Forbidden', code: e.code } : { metadata: {}, code: e.code },
    ...(e.requestObject ? { requestObject: e.requestObject } : {}),
    requestReceivedTimestamp: received, stageTimestamp: e.at.toISOString().replace('Z', '000Z'),
  };
  return `${JSON.stringify(ev)}\n`;
}

/** Everyday traffic: kubelet probes, discovery, an authenticated list, a scanner 401 (no anonymous access beyond public endpoints). */
export function benign(at: Date): string {
  return [
    event({ at, user: ANON, verb: 'get', uri: '/readyz', code: 200, ip: '10.0.0.186', userAgent: 'kube-probe/1.30' }),
    event({ at, user: ANON, verb: 'get', uri: '/livez', code: 200, ip: '10.0.0.186', userAgent: 'kube-probe/1.30' }),
    event({ at, user: ANON, verb: 'get', uri: '/version', code: 200, ip: '10.0.0.187' }),
    event({ at, user: ANON, verb: 'get', uri: '/api', code: 403, ip: '10.0.0.187' }),
    event({ at, user: ADMIN, verb: 'list', uri: '/api/v1/namespaces/default/pods?limit=500', code: 200, ip: '10.0.0.10', objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' } }),
    event({ at, user: {}, stage: 'ResponseStarted', verb: 'list', uri: '/api/v1/nodes', code: 401, ip: '192.168.1.50', objectRef: { resource: 'nodes', apiVersion: 'v1' } }),
  ].join('');
}

/**
 * The incident: an anonymous scanner, a successful anonymous secrets read, a ClusterRoleBinding to
 * system:unauthenticated, an admin impersonating system:anonymous, a binding write logged without
 * its object, and a corrupt line.
 */
export function incident(at: Date): string {
  return [
    event({ at, user: ANON, verb: 'head', uri: '/', code: 403, ip: '203.0.113.7', userAgent: 'masscan/1.3' }),
    event({ at, user: ANON, verb: 'list', uri: '/api/v1/secrets?limit=500', code: 200, ip: '203.0.113.7', objectRef: { resource: 'secrets', apiVersion: 'v1' } }),
    event({
      at, user: ADMIN, verb: 'create', uri: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', code: 201, ip: '10.0.0.10', level: 'RequestResponse',
      objectRef: { resource: 'clusterrolebindings', name: 'anon-view', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
      requestObject: {
        kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'anon-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }],
      },
    }),
    event({ at, user: ADMIN, verb: 'get', uri: '/api/v1/namespaces/default/pods', code: 403, ip: '10.0.0.10', objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' } })
      .replace('"sourceIPs"', '"impersonatedUser":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs"'),
    event({
      at, user: ADMIN, verb: 'patch', uri: '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/rolebindings/viewers', code: 200, ip: '10.0.0.10',
      objectRef: { resource: 'rolebindings', namespace: 'kube-public', name: 'viewers', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
    }),
    '{"kind":"Event","truncated\n',
  ].join('');
}
