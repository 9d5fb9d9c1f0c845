/** Anonymous and unauthenticated traffic, and the rare binding writes naming anonymous identities. */
import { LB_IPS, SCANNER_IPS, crbReason, objectRef, rbReason } from './actors.js';
import { authz, failure, ok, type RequestSpec } from './events.js';
import type { Rng } from './prng.js';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const PUBLIC_INFO = crbReason('system:public-info-viewer', 'system:public-info-viewer', 'Group "system:unauthenticated"');
const lat = (rng: Rng): number => Math.round(200 + rng.exp(1500));

function forbiddenPath(verb: string, path: string): Record<string, unknown> {
  return failure(403, 'Forbidden', `forbidden: User "system:anonymous" cannot ${verb} path "${path}"`, {});
}

/** Load-balancer and kubelet health probes (allowed by system:public-info-viewer). */
export function healthProbe(rng: Rng): RequestSpec {
  const path = rng.pick(['/readyz', '/livez', '/healthz', '/readyz', '/livez']);
  return {
    level: 'Metadata', requestURI: path, verb: 'get', user: ANON, sourceIPs: [rng.pick(LB_IPS)],
    userAgent: rng.chance(0.7) ? 'ELB-HealthChecker/2.0' : 'kube-probe/1.31', responseStatus: ok(),
    annotations: authz('allow', PUBLIC_INFO), plan: 'pair', latencyUs: lat(rng),
  };
}

/** Unauthenticated discovery from in-cluster tools: /version is allowed, the rest forbidden. */
export function discovery(rng: Rng): RequestSpec {
  const path = rng.pick(['/version', '/version', '/api', '/apis', '/openapi/v2', '/.well-known/openid-configuration']);
  const allowed = path === '/version';
  return {
    level: 'Metadata', requestURI: path, verb: 'get', user: ANON, sourceIPs: [`10.244.${rng.int(12)}.${2 + rng.int(250)}`],
    userAgent: rng.pick(['Go-http-client/1.1', 'curl/8.5.0', 'Prometheus/2.53.0']),
    responseStatus: allowed ? ok() : forbiddenPath('get', path),
    annotations: allowed ? authz('allow', PUBLIC_INFO) : authz('forbid', ''), plan: 'pair', latencyUs: lat(rng),
  };
}

const SCANS: [string, string, string | undefined][] = [
  ['get', '/', undefined], ['head', '/', undefined], ['get', '/api/v1/secrets', 'secrets'],
  ['get', '/api/v1/namespaces/kube-system/secrets', 'secrets'], ['get', '/api/v1/pods', 'pods'],
  ['get', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', 'clusterrolebindings'], ['get', '/.env', undefined],
  ['get', '/metrics', undefined], ['get', '/debug/pprof/', undefined], ['get', '/api/v1/namespaces/default/configmaps', 'configmaps'],
];

/** An internet scanner walking well-known paths; all forbidden. Some forge X-Forwarded-For. */
export function scanner(rng: Rng): RequestSpec {
  const [method, path, resource] = rng.pick(SCANS);
  const ip = rng.pick(SCANNER_IPS);
  const verb = resource ? 'list' : method;
  const group = resource === 'clusterrolebindings' ? 'rbac.authorization.k8s.io' : '';
  const ns = path.includes('/namespaces/') ? path.split('/')[4] : undefined;
  const msg = resource
    ? `${resource} is forbidden: User "system:anonymous" cannot list resource "${resource}" in API group "${group}"${ns ? ` in the namespace "${ns}"` : ' at the cluster scope'}`
    : undefined;
  return {
    level: 'Metadata', requestURI: path, verb, user: ANON, sourceIPs: rng.chance(0.1) ? ['127.0.0.1', ip] : [ip],
    userAgent: rng.pick(['Mozilla/5.0 zgrab/0.x', 'python-requests/2.32.3', 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)']),
    objectRef: resource ? objectRef(resource, group, 'v1', ns) : undefined,
    responseStatus: msg ? failure(403, 'Forbidden', msg, { kind: resource }) : forbiddenPath(verb, path),
    annotations: authz('forbid', ''), plan: 'pair', latencyUs: lat(rng),
  };
}

/** kubeadm join reading cluster-info (allowed by kubeadm's RoleBinding). */
export function bootstrap(rng: Rng): RequestSpec {
  return {
    level: 'Metadata', requestURI: '/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s', verb: 'get', user: ANON,
    sourceIPs: [`10.0.1.${40 + rng.int(20)}`], userAgent: 'kubeadm/v1.31.4 (linux/amd64) kubernetes/a78aa47',
    objectRef: objectRef('configmaps', '', 'v1', 'kube-public', 'cluster-info'), responseStatus: ok(),
    annotations: authz('allow', rbReason('kubeadm:bootstrap-signer-clusterinfo', 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo', 'User "system:anonymous"')),
    plan: 'pair', latencyUs: lat(rng),
  };
}

/** A successful anonymous read of a ConfigMap through a forgotten binding: a sensitive allowed request. */
export function leakyRead(rng: Rng): RequestSpec {
  return {
    level: 'Metadata', requestURI: '/api/v1/namespaces/team-a/configmaps/app-config', verb: 'get', user: ANON,
    sourceIPs: [rng.pick(SCANNER_IPS)], userAgent: 'curl/8.5.0',
    objectRef: objectRef('configmaps', '', 'v1', 'team-a', 'app-config'), responseStatus: ok(),
    annotations: authz('allow', rbReason('legacy-public-read', 'team-a', 'legacy-public-read', 'Group "system:unauthenticated"')),
    plan: 'pair', latencyUs: lat(rng),
  };
}

/** An administrator checking access with `kubectl --as=system:anonymous`. */
export function impersonated(rng: Rng): RequestSpec {
  return {
    level: 'Metadata', requestURI: '/api/v1/namespaces/default/secrets?limit=500', verb: 'list',
    user: { username: 'alice@example.com', groups: ['platform-admins', 'system:authenticated'] }, impersonatedUser: ANON,
    sourceIPs: ['10.50.1.20', '10.0.0.4'], userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46',
    objectRef: objectRef('secrets', '', 'v1', 'default'),
    responseStatus: failure(403, 'Forbidden', 'secrets is forbidden: User "system:anonymous" cannot list resource "secrets" in API group "" in the namespace "default"', { kind: 'secrets' }),
    annotations: authz('forbid', ''), plan: 'pair', latencyUs: lat(rng),
  };
}

/** A failed authentication: only ResponseStarted, 401, empty user. */
export function unauthenticated(rng: Rng): RequestSpec {
  const stale = rng.chance(0.7);
  const uri = stale ? '/apis/batch/v1/namespaces/ci/jobs?limit=500' : rng.pick(['/api/v1/namespaces/kube-system/secrets', '/apis', '/api/v1/nodes']);
  const res = uri.includes('/jobs') ? ['jobs', 'batch', 'ci'] : uri.includes('secrets') ? ['secrets', '', 'kube-system'] : uri.includes('nodes') ? ['nodes', '', undefined] : undefined;
  return {
    level: 'Metadata', requestURI: uri, verb: 'list', user: {},
    sourceIPs: [stale ? '10.30.4.17' : rng.pick(SCANNER_IPS)], userAgent: stale ? 'Go-http-client/2.0' : 'python-requests/2.32.3',
    objectRef: res ? objectRef(res[0] as string, res[1] as string, 'v1', res[2]) : undefined,
    responseStatus: failure(401, 'Unauthorized', rng.chance(0.5) ? 'Unauthorized' : undefined), plan: 'unauthenticated', latencyUs: lat(rng),
  };
}

function bindingBody(kind: string, name: string, ns: string | undefined, subject: string): Record<string, unknown> {
  return {
    kind, apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: { name, ...(ns ? { namespace: ns } : {}), uid: 'f3c1a1de-6a0c-4c55-9c1f-5d3e6f0d2a10', resourceVersion: '4815162' },
    subjects: [{ kind: subject === 'system:anonymous' ? 'User' : 'Group', apiGroup: 'rbac.authorization.k8s.io', name: subject }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: ns ? 'Role' : 'ClusterRole', name: ns ? 'configmap-reader' : 'view' },
  };
}

/** A RoleBinding granting `system:unauthenticated` read access, logged with both objects. */
export function anonymousRoleBinding(): RequestSpec {
  const body = bindingBody('RoleBinding', 'legacy-public-read', 'team-a', 'system:unauthenticated');
  return {
    level: 'RequestResponse', requestURI: '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings?fieldManager=kubectl-client-side-apply', verb: 'create',
    user: { username: 'bob@example.com', groups: ['platform-admins', 'system:authenticated'] }, sourceIPs: ['10.50.2.31', '10.0.0.4'],
    userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46', objectRef: objectRef('rolebindings', 'rbac.authorization.k8s.io', 'v1', 'team-a', 'legacy-public-read'),
    responseStatus: ok(201), requestObject: body, responseObject: body,
    annotations: authz('allow', crbReason('platform-admins', 'cluster-admin', 'Group "platform-admins"')), plan: 'pair', latencyUs: 8000,
  };
}

/** A ClusterRoleBinding update logged at level Metadata only (unverifiable from the log). */
export function metadataBindingWrite(): RequestSpec {
  return {
    level: 'Metadata', requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer', verb: 'update',
    user: { username: 'system:apiserver', uid: '2a7b1f1e-8e9d-4c2b-9d57-1b0f3e2c4d5a', groups: ['system:authenticated', 'system:masters'] }, sourceIPs: ['::1'],
    userAgent: 'kube-apiserver/v1.31.4 (linux/amd64) kubernetes/a78aa47', objectRef: objectRef('clusterrolebindings', 'rbac.authorization.k8s.io', 'v1', undefined, 'system:public-info-viewer'),
    responseStatus: ok(), annotations: authz('allow', ''), plan: 'pair', latencyUs: 5000,
  };
}
