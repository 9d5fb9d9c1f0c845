/** A generated audit log for the lockdown preview: load balancers, a kubelet probe, a monitor, a node join, a scanner, 401s and authenticated traffic. */
import { writeFileSync } from 'node:fs';

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const ADMIN = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

interface Req {
  at: number; uri: string; verb?: string; user?: object; ip: string; ua: string; code: number;
  objectRef?: object; impersonated?: object; received?: boolean;
}

let seq = 0;
function lines(r: Req): string[] {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  const ts = new Date(r.at).toISOString().replace('Z', '000Z');
  const base = (stage: string, status?: object): string => JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: id, stage, requestURI: r.uri, verb: r.verb ?? 'get',
    user: r.user ?? ANON, ...(r.impersonated ? { impersonatedUser: r.impersonated } : {}), sourceIPs: [r.ip], userAgent: r.ua,
    ...(r.objectRef ? { objectRef: r.objectRef } : {}), ...(status ? { responseStatus: status } : {}),
    requestReceivedTimestamp: ts, stageTimestamp: ts,
  });
  if (r.code === 401) return [base('ResponseStarted', { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 })];
  const out = r.received ? [base('RequestReceived')] : [];
  out.push(base('ResponseComplete', { metadata: {}, code: r.code }));
  return out;
}

function every(seconds: number, from: number, to: number, make: (at: number) => Req): Req[] {
  const out: Req[] = [];
  for (let t = from; t < to; t += seconds * 1000) out.push(make(t));
  return out;
}

const HOUR = 3600_000;
const cm = (ns: string, name: string): object => ({ resource: 'configmaps', namespace: ns, name, apiVersion: 'v1' });

/** All requests, in time order. */
export function scenario(): Req[] {
  const reqs: Req[] = [
    ...every(10, T0, T0 + HOUR, (at) => ({ at, uri: '/readyz', ip: '10.0.0.5', ua: 'ELB-HealthChecker/2.0', code: 200 })),
    ...every(10, T0 + 3000, T0 + HOUR, (at) => ({ at, uri: '/readyz', ip: '10.0.0.6', ua: 'ELB-HealthChecker/2.0', code: 200 })),
    ...every(10, T0 + 5000, T0 + HOUR, (at) => ({ at, uri: '/livez', ip: '127.0.0.1', ua: 'kube-probe/1.32', code: 200 })),
    ...every(30, T0 + 7000, T0 + HOUR, (at) => ({ at, uri: '/livez?verbose', ip: '10.0.0.9', ua: 'Blackbox Exporter/0.25.0', code: 200 })),
    ...every(60, T0 + 8000, T0 + HOUR, (at) => ({ at, uri: '/version', ip: '10.0.0.9', ua: 'Blackbox Exporter/0.25.0', code: 200 })),
    ...[0, 2000, 4000].map((d) => ({ at: T0 + HOUR / 2 + d, uri: '/api/v1/namespaces/kube-public/configmaps/cluster-info', ip: '10.0.1.20', ua: 'kubeadm/v1.32.0 (linux/amd64) kubernetes/70d3cc9', code: 200, objectRef: cm('kube-public', 'cluster-info'), received: true })),
    { at: T0 + 2700_000, uri: '/version', ip: '203.0.113.7', ua: 'masscan-ng\u001b[31m', code: 200 },
    { at: T0 + 2700_100, uri: '/', ip: '203.0.113.7', ua: 'masscan-ng\u001b[31m', code: 403 },
    { at: T0 + 2700_200, uri: '/api/v1/secrets', verb: 'list', ip: '203.0.113.7', ua: 'masscan-ng\u001b[31m', code: 403, objectRef: { resource: 'secrets', apiVersion: 'v1' } },
    { at: T0 + 2700_300, uri: '/api/v1/namespaces/default/configmaps/app-config', ip: '203.0.113.7', ua: 'masscan-ng\u001b[31m', code: 200, objectRef: cm('default', 'app-config'), received: true },
    ...every(60, T0, T0 + 5 * 60_000, (at) => ({ at, uri: '/api', ip: '198.51.100.4', ua: 'kubectl/v1.29.0', code: 401 })),
    ...every(300, T0, T0 + HOUR, (at) => ({ at, uri: '/api/v1/namespaces/default/pods', verb: 'list', user: ADMIN, ip: '10.0.0.20', ua: 'kubectl/v1.32.0', code: 200, objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' } })),
    { at: T0 + 1000, uri: '/api/v1/namespaces/default/configmaps/app-config', user: ADMIN, impersonated: ANON, ip: '10.0.0.20', ua: 'kubectl/v1.32.0', code: 200, objectRef: cm('default', 'app-config') },
  ];
  return reqs.sort((a, b) => a.at - b.at);
}

/** Writes the scenario as an audit log (JSON lines) to `path`. */
export function writeScenario(path: string): void {
  seq = 0;
  writeFileSync(path, `${scenario().flatMap(lines).join('\n')}\n`);
}

/** A locked-down variant: every anonymous request of the scenario answered 401 (nothing left to break). */
export function writeLocked(path: string): void {
  seq = 0;
  const reqs = scenario().map((r) => (r.user === undefined && !r.impersonated ? { ...r, code: 401 } : r));
  writeFileSync(path, `${reqs.flatMap(lines).join('\n')}\n`);
}

/** The source classes the test configures. */
export const CLASSES = JSON.stringify({ loadbalancer: ['10.0.0.5/32', '10.0.0.6/32'], monitoring: ['10.0.0.9/32'] });
