/** Who talks to a simulated API server: identities, user agents, addresses and object bodies. */
import type { Rng } from './prng.js';

/** Nodes of the simulated cluster. */
export const NODES = Array.from({ length: 12 }, (_, i) => `node-${i + 1}`);
/** Node addresses, by index into NODES. */
export const NODE_IPS = NODES.map((_, i) => `10.0.1.${11 + i}`);
/** The load balancer in front of the API server (a configured source class in practice). */
export const LB_IPS = ['10.0.0.4', '10.0.0.5', '10.0.0.6'];
/** Internet scanners (documentation ranges). */
export const SCANNER_IPS = ['203.0.113.7', '203.0.113.45', '198.51.100.23', '198.51.100.200', '192.0.2.77'];

const K8S = 'v1.31.4';
const COMMIT = 'a78aa47129b8539636eb86a9d00e31b2720fe06b';
/** The kubelet's user agent. */
export const KUBELET_UA = `kubelet/${K8S} (linux/amd64) kubernetes/${COMMIT.slice(0, 7)}`;
/** A control-plane component's user agent. */
export const componentUA = (bin: string, sub?: string): string =>
  `${bin}/${K8S} (linux/amd64) kubernetes/${COMMIT.slice(0, 7)}${sub ? `/${sub}` : ''}`;

/** The node identity used by kubelet `n`. */
export function nodeUser(n: string): Record<string, unknown> {
  return { username: `system:node:${n}`, groups: ['system:nodes', 'system:authenticated'] };
}

/** A control-plane component's own identity (`system:kube-controller-manager`, `system:kube-scheduler`). */
export function componentUser(name: string): Record<string, unknown> {
  return { username: `system:${name}`, groups: ['system:authenticated'] };
}

/** A service account identity; pod-bound tokens carry the node and pod in `extra`. */
export function saUser(rng: Rng, ns: string, name: string, pod?: { node: string; pod: string }): Record<string, unknown> {
  const u: Record<string, unknown> = {
    username: `system:serviceaccount:${ns}:${name}`,
    uid: saUid(ns, name),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
  };
  const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${rng.uuid()}`] };
  if (pod) {
    extra['authentication.kubernetes.io/node-name'] = [pod.node];
    extra['authentication.kubernetes.io/node-uid'] = [saUid('node', pod.node)];
    extra['authentication.kubernetes.io/pod-name'] = [pod.pod];
    extra['authentication.kubernetes.io/pod-uid'] = [saUid('pod', pod.pod)];
  }
  u.extra = extra;
  return u;
}

/** A stable UUID-shaped identifier derived from names (so the same object keeps its uid). */
export function saUid(a: string, b: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (const ch of `${a}/${b}`) {
    h1 = Math.imul(h1 ^ ch.charCodeAt(0), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ ch.charCodeAt(0), 2246822519) >>> 0;
  }
  const h = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-b${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The RBAC allow reason naming a ClusterRoleBinding to a subject. */
export function crbReason(binding: string, role: string, subject: string): string {
  return `RBAC: allowed by ClusterRoleBinding "${binding}" of ClusterRole "${role}" to ${subject}`;
}

/** The RBAC allow reason naming a RoleBinding (`name/namespace`) to a subject. */
export function rbReason(binding: string, ns: string, role: string, subject: string): string {
  return `RBAC: allowed by RoleBinding "${binding}/${ns}" of Role "${role}" to ${subject}`;
}

/** An objectRef in field order: resource, namespace, name, uid, apiGroup, apiVersion, resourceVersion, subresource. */
export function objectRef(resource: string, apiGroup: string, version: string, ns?: string, name?: string, sub?: string): Record<string, unknown> {
  const r: Record<string, unknown> = { resource };
  if (ns) r.namespace = ns;
  if (name) r.name = name;
  if (apiGroup) r.apiGroup = apiGroup;
  r.apiVersion = version;
  if (sub) r.subresource = sub;
  return r;
}

/** A ConfigMap-like object body of roughly `bytes` serialised bytes, as logged at level RequestResponse. */
export function configMapBody(rng: Rng, ns: string, name: string, bytes: number): Record<string, unknown> {
  const data: Record<string, string> = {};
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const v = `key${i}=${rng.hex(48)}\nsetting.${i}.enabled=${rng.chance(0.5)}\n`;
    data[`config-${i}.properties`] = v;
    size += v.length + 30;
  }
  return {
    kind: 'ConfigMap', apiVersion: 'v1',
    metadata: {
      name, namespace: ns, uid: saUid(ns, name), resourceVersion: String(1_000_000 + rng.int(9_000_000)),
      creationTimestamp: '2026-10-02T08:14:55Z', labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'platform' },
      managedFields: [{ manager: 'argocd-controller', operation: 'Update', apiVersion: 'v1', time: '2026-11-20T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }],
    },
    data,
  };
}

/** A strategic-merge patch of pod status, as a kubelet sends it (logged at level Request). */
export function podStatusPatch(rng: Rng, pod: string): Record<string, unknown> {
  const t = '2026-11-27T00:00:00Z';
  return {
    metadata: { uid: saUid('pod', pod) },
    status: {
      $setElementOrder: { conditions: [{ type: 'PodReadyToStartContainers' }, { type: 'Initialized' }, { type: 'Ready' }, { type: 'ContainersReady' }, { type: 'PodScheduled' }] },
      conditions: [{ lastProbeTime: null, lastTransitionTime: t, status: rng.chance(0.9) ? 'True' : 'False', type: 'Ready' },
        { lastProbeTime: null, lastTransitionTime: t, status: 'True', type: 'ContainersReady' }],
      containerStatuses: [{
        containerID: `containerd://${rng.hex(64)}`, image: 'registry.example.com/platform/api:1.42.0',
        imageID: `registry.example.com/platform/api@sha256:${rng.hex(64)}`, lastState: {}, name: 'api', ready: true,
        restartCount: rng.int(3), started: true, state: { running: { startedAt: t } },
        volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: `kube-api-access-${rng.hex(5)}`, readOnly: true, recursiveReadOnly: 'Disabled' }],
      }],
    },
  };
}
