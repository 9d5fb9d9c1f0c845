/** Authenticated traffic of a busy cluster: kubelets, controllers, workloads, operators. */
import { KUBELET_UA, NODES, NODE_IPS, componentUA, componentUser, configMapBody, crbReason, nodeUser, objectRef, podStatusPatch, rbReason, saUser } from './actors.js';
import { authz, ok, failure, type RequestSpec } from './events.js';
import type { Rng } from './prng.js';

const APISERVER_LB = '10.0.0.4';
const LATENCY_ANNOTATIONS = (rng: Rng): Record<string, string> => ({
  'apiserver.latency.k8s.io/etcd': `${(1 + rng.next() * 900).toFixed(3)}ms`,
  'apiserver.latency.k8s.io/response-write': `${(1 + rng.next() * 9).toFixed(1)}µs`,
  'apiserver.latency.k8s.io/serialize-response-object': `${(10 + rng.next() * 400).toFixed(3)}µs`,
  'apiserver.latency.k8s.io/total': `${(500 + rng.next() * 900).toFixed(3)}ms`,
});

const lat = (rng: Rng): number => Math.round(300 + rng.exp(4000));
const nodeOf = (rng: Rng): [string, string] => { const i = rng.int(NODES.length); return [NODES[i] as string, NODE_IPS[i] as string]; };

/** A kubelet renewing its node lease every 10 s. */
export function kubeletLease(rng: Rng): RequestSpec {
  const [node, ip] = nodeOf(rng);
  return {
    level: 'Metadata', requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s`, verb: 'update',
    user: nodeUser(node), sourceIPs: [ip], userAgent: KUBELET_UA,
    objectRef: objectRef('leases', 'coordination.k8s.io', 'v1', 'kube-node-lease', node), responseStatus: ok(),
    annotations: authz('allow', ''), plan: 'pair', latencyUs: lat(rng),
  };
}

const KUBELET_GETS: [string, string, (n: string, r: Rng) => string][] = [
  ['pods', '', (_n, r) => `app-${r.hex(10)}-${r.hex(5)}`], ['configmaps', '', () => 'kube-root-ca.crt'],
  ['secrets', '', (_n, r) => `app-tls-${r.int(40)}`], ['nodes', '', (n) => n], ['csidrivers', 'storage.k8s.io', () => 'ebs.csi.aws.com'],
];

/** A kubelet reading the objects its pods need (node authorizer, empty reason). */
export function kubeletGet(rng: Rng): RequestSpec {
  const [node, ip] = nodeOf(rng);
  const [resource, group, nameOf] = rng.pick(KUBELET_GETS);
  const name = nameOf(node, rng);
  const cluster = resource === 'nodes' || resource === 'csidrivers';
  const ns = cluster ? undefined : rng.pick(['default', 'payments', 'platform', 'kube-system']);
  const base = group ? `/apis/${group}/v1` : '/api/v1';
  const uri = `${base}${ns ? `/namespaces/${ns}` : ''}/${resource}/${name}${resource === 'nodes' ? '?resourceVersion=0&timeout=10s' : ''}`;
  const missing = rng.chance(0.02);
  return {
    level: 'Metadata', requestURI: uri, verb: 'get', user: nodeUser(node), sourceIPs: [ip], userAgent: KUBELET_UA,
    objectRef: objectRef(resource, group, 'v1', ns, name),
    responseStatus: missing ? failure(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource }) : ok(),
    annotations: authz('allow', ''), plan: 'pair', latencyUs: lat(rng),
  };
}

/** A kubelet patching pod status, logged at level Request with the patch body. */
export function kubeletStatus(rng: Rng): RequestSpec {
  const [node, ip] = nodeOf(rng);
  const pod = `app-${rng.hex(10)}-${rng.hex(5)}`;
  const ns = rng.pick(['default', 'payments', 'platform']);
  return {
    level: 'Request', requestURI: `/api/v1/namespaces/${ns}/pods/${pod}/status`, verb: 'patch', user: nodeUser(node), sourceIPs: [ip],
    userAgent: KUBELET_UA, objectRef: objectRef('pods', '', 'v1', ns, pod, 'status'), responseStatus: ok(),
    requestObject: podStatusPatch(rng, pod), annotations: authz('allow', ''), plan: 'pair', latencyUs: lat(rng),
  };
}

/** Leader election of the controller manager and the scheduler. */
export function leaderElection(rng: Rng): RequestSpec {
  const who = rng.pick(['kube-controller-manager', 'kube-scheduler']);
  const verb = rng.chance(0.5) ? 'get' : 'update';
  return {
    level: 'Metadata', requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${who}?timeout=5s`, verb,
    user: componentUser(who), sourceIPs: ['10.0.1.2'], userAgent: componentUA(who, 'leader-election'),
    objectRef: objectRef('leases', 'coordination.k8s.io', 'v1', 'kube-system', who), responseStatus: ok(),
    annotations: authz('allow', crbReason(`system:${who}`, `system:${who}`, `User "system:${who}"`)), plan: 'pair', latencyUs: lat(rng),
  };
}

const CONTROLLERS: [string, string, string, string[]][] = [
  ['replicaset-controller', 'replicasets', 'apps', ['get', 'update', 'list']], ['deployment-controller', 'deployments', 'apps', ['get', 'update', 'patch']],
  ['endpointslice-controller', 'endpointslices', 'discovery.k8s.io', ['update', 'create', 'get']], ['job-controller', 'jobs', 'batch', ['update', 'get']],
  ['daemon-set-controller', 'daemonsets', 'apps', ['get', 'update']], ['pod-garbage-collector', 'pods', '', ['list', 'delete']],
  ['node-controller', 'nodes', '', ['get', 'patch']], ['namespace-controller', 'namespaces', '', ['get', 'list']],
];

/** Built-in controllers acting through their service accounts. */
export function controller(rng: Rng): RequestSpec {
  const [sa, resource, group, verbs] = rng.pick(CONTROLLERS);
  const verb = rng.pick(verbs);
  const cluster = resource === 'nodes' || resource === 'namespaces';
  const ns = cluster ? undefined : rng.pick(['default', 'payments', 'platform', 'kube-system', 'monitoring']);
  const name = verb === 'list' ? undefined : `${resource.slice(0, 6)}-${rng.hex(8)}`;
  const base = group ? `/apis/${group}/v1` : '/api/v1';
  const uri = `${base}${ns ? `/namespaces/${ns}` : ''}/${resource}${name ? `/${name}` : '?limit=500&resourceVersion=0'}`;
  const conflict = verb === 'update' && rng.chance(0.03);
  return {
    level: 'Metadata', requestURI: uri, verb, user: saUser(rng, 'kube-system', sa), sourceIPs: ['10.0.1.2'],
    userAgent: componentUA('kube-controller-manager', sa), objectRef: objectRef(resource, group, 'v1', ns, name),
    responseStatus: conflict ? failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group, kind: resource }) : ok(verb === 'create' ? 201 : 200),
    annotations: authz('allow', crbReason(`system:controller:${sa}`, `system:controller:${sa}`, `ServiceAccount "${sa}/kube-system"`)),
    plan: 'pair', latencyUs: lat(rng),
  };
}

const WORKLOADS: [string, string, string, string, string, string][] = [
  ['kube-system', 'coredns', 'coredns/v1.11.3', 'endpointslices', 'discovery.k8s.io', 'list'],
  ['monitoring', 'prometheus-k8s', 'Prometheus/2.53.0', 'pods', '', 'list'],
  ['monitoring', 'kube-state-metrics', 'v2.13.0', 'replicasets', 'apps', 'list'],
  ['argocd', 'argocd-application-controller', 'argocd-application-controller/v2.12.3', 'configmaps', '', 'get'],
  ['cert-manager', 'cert-manager', 'cert-manager-controller/v1.15.3', 'leases', 'coordination.k8s.io', 'update'],
  ['kube-system', 'metrics-server', 'metrics-server/v0.7.2', 'nodes', '', 'get'],
];

/** In-cluster workloads (pod-bound service account tokens). */
export function workload(rng: Rng): RequestSpec {
  const [ns, sa, ua, resource, group, verb] = rng.pick(WORKLOADS);
  const [node] = nodeOf(rng);
  const pod = `${sa}-${rng.hex(9)}-${rng.hex(5)}`;
  const base = group ? `/apis/${group}/v1` : '/api/v1';
  const targetNs = resource === 'nodes' ? undefined : verb === 'list' ? undefined : ns;
  const name = verb === 'list' ? undefined : resource === 'nodes' ? node : `${sa}-${rng.int(5)}`;
  const uri = `${base}${targetNs ? `/namespaces/${targetNs}` : ''}/${resource}${name ? `/${name}` : `?limit=500&resourceVersion=${rng.int(9_000_000)}`}`;
  return {
    level: 'Metadata', requestURI: uri, verb, user: saUser(rng, ns, sa, { node, pod }), sourceIPs: [`10.244.${rng.int(12)}.${2 + rng.int(250)}`],
    userAgent: `${ua} (linux/amd64)`, objectRef: objectRef(resource, group, 'v1', targetNs, name), responseStatus: ok(),
    annotations: authz('allow', crbReason(sa, sa, `ServiceAccount "${sa}/${ns}"`), rng.chance(0.05) ? LATENCY_ANNOTATIONS(rng) : undefined),
    plan: 'pair', latencyUs: Math.round(lat(rng) * (verb === 'list' ? 4 : 1)),
  };
}

/** A watch: RequestReceived, ResponseStarted, then ResponseComplete minutes later. */
export function watch(rng: Rng): RequestSpec {
  const [node, ip] = nodeOf(rng);
  const timeout = 300 + rng.int(300);
  return {
    level: 'Metadata',
    requestURI: `/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%3D${node}&resourceVersion=${rng.int(9_000_000)}&timeout=${Math.floor(timeout / 60)}m${timeout % 60}s&timeoutSeconds=${timeout}&watch=true`,
    verb: 'watch', user: nodeUser(node), sourceIPs: [ip], userAgent: KUBELET_UA, objectRef: objectRef('pods', '', 'v1'),
    responseStatus: ok(), annotations: authz('allow', ''), plan: 'watch', latencyUs: timeout * 1e6 + rng.int(1e6),
  };
}

/** Configuration writes logged at level RequestResponse, carrying both objects (a few KB). */
export function configWrite(rng: Rng): RequestSpec {
  const name = `app-config-${rng.int(30)}`;
  const ns = rng.pick(['payments', 'platform', 'default']);
  const body = configMapBody(rng, ns, name, 600 + rng.int(2000));
  const [node] = nodeOf(rng);
  return {
    level: 'RequestResponse', requestURI: `/api/v1/namespaces/${ns}/configmaps/${name}`, verb: 'update',
    user: saUser(rng, 'argocd', 'argocd-application-controller', { node, pod: `argocd-application-controller-0` }), sourceIPs: ['10.244.3.17'],
    userAgent: 'argocd-application-controller/v2.12.3 (linux/amd64)', objectRef: objectRef('configmaps', '', 'v1', ns, name),
    responseStatus: ok(), requestObject: body, responseObject: body,
    annotations: authz('allow', rbReason('argocd-manager', ns, 'argocd-manager', 'ServiceAccount "argocd-application-controller/argocd"')),
    plan: 'pair', latencyUs: lat(rng),
  };
}

/** People using kubectl through the load balancer with OIDC identities. */
export function human(rng: Rng): RequestSpec {
  const user = rng.pick(['alice@example.com', 'bob@example.com', 'oncall@example.com']);
  const ns = rng.pick(['payments', 'platform']);
  const logs = rng.chance(0.2);
  const pod = `api-${rng.hex(10)}-${rng.hex(5)}`;
  return {
    level: 'Metadata', requestURI: logs ? `/api/v1/namespaces/${ns}/pods/${pod}/log?container=api&tailLines=200` : `/api/v1/namespaces/${ns}/pods?limit=500`,
    verb: logs ? 'get' : 'list', user: { username: user, groups: ['platform-admins', 'system:authenticated'] },
    sourceIPs: [`10.50.${rng.int(4)}.${10 + rng.int(200)}`, APISERVER_LB], userAgent: `kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46`,
    objectRef: objectRef('pods', '', 'v1', ns, logs ? pod : undefined, logs ? 'log' : undefined), responseStatus: ok(),
    annotations: authz('allow', crbReason('platform-admins', 'cluster-admin', 'Group "platform-admins"')), plan: 'pair', latencyUs: lat(rng) * 3,
  };
}
