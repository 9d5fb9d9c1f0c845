/**
 * Random audit lines for the differential fuzzer: native and shuffled key orders, random JSON
 * types for every field, Go and JSON escapes, escaped and unknown keys, 401s with and without users, impersonation,
 * binding writes, canaries, every stage, and hostile bytes. Deterministic per seed.
 */
import { Rng as Mulberry } from '../../bench/prng.js';

/** A seeded PRNG (mulberry32): `r(k)` is an integer in [0, k). */
export type Rng = (k: number) => number;

/** Returns a deterministic PRNG for `seed`: integers in [0, k) from the generator's mulberry32 (`bench/prng.ts`). */
export function rng(seed: number): Rng {
  const g = new Mulberry(seed);
  // next() is a 32-bit draw divided by 2^32, so this recovers the draw exactly.
  return (k) => (g.next() * 4294967296) % k;
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[r(xs.length)] as T;
const ANON = 'system:anonymous';
const WRONG: unknown[] = [1, 401, '401', null, true, false, [], {}, [1, 'a'], { a: 1 }, 'x', 1.5, -3];
const URIS = ['/healthz', '/livez?verbose', '/readyz/etcd', '/version', '/version/', '/api', '/api/v1', '/apis/apps', '/apis/apps/v1', '/openapi/v2',
  '/', '/metrics', '/debug/pprof/', '/logs/x', '/.well-known/openid-configuration', '/api/v1/secrets?limit=500&x=<y>', '/api/v1/namespaces/kube-public/configmaps/cluster-info',
  '/api/v1/namespaces/default/configmaps/k8s-anon-exporter-canary-ab12', '/api/v1/pods', '/api/v1/namespaces/a/pods/p/exec?command=sh', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/api/v1/namespaces/default/secrets/s%20x', '/wp-login.php', '/\u00e9t\u00e9', 'q"uote\\back', '/x\ty', '/\u2028', '/api/v1/nodes/n1/proxy/metrics'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'post', 'put', 'head', 'impersonate', 'WEIRD', ''];
const IPS = ['10.0.0.1', '127.0.0.1', '192.168.1.9', '8.8.8.8', '203.0.113.7', '::1', '2001:db8::1', 'fe80::1', '::ffff:10.1.1.1', 'not-an-ip', '', '10.0.0.256', '1.2.3.4:80'];
const AGENTS = ['kubectl/v1.32.0 (linux/amd64) kubernetes/abc', 'curl/8.5.0', 'Go-http-client/1.1', 'ua "q" \\ b', 'Mozilla/5.0 <script>&', '\u00fcber', 'a\u0000b', 'zgrab/0.x'];
const RESOURCES = ['pods', 'secrets', 'configmaps', 'nodes', 'rolebindings', 'clusterrolebindings', 'roles', 'serviceaccounts', 'tokenreviews', 'widgets', 'selfsubjectaccessreviews', ''];
const SUBRESOURCES = ['exec', 'log', 'status', 'token', 'proxy', 'binding', ''];
const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic', 'ResponseComplete', 'ResponseStarted', 'Other'];
const CODES: unknown[] = [200, 200, 201, 101, 401, 401, 401, 403, 403, 404, 409, 500, 99, 600, 0, -1, 1000, 401.5, 2e2, '401'];
const T0 = Date.UTC(2025, 0, 1, 23, 59, 0);

/** Sometimes a wrong JSON type instead of `v`; sometimes absent (undefined). */
function maybe(r: Rng, v: unknown, wrong = 30, absent = 30): unknown {
  if (r(wrong) === 0) return pick(r, WRONG);
  if (r(absent) === 0) return undefined;
  return v;
}

function micro(ms: number, r: Rng): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  switch (r(40)) {
    case 0: return iso.slice(0, 19) + 'Z';
    case 1: return iso;
    case 2: return '2025-13-01T00:00:00.000000Z';
    case 3: return 'yesterday';
    case 4: return `${iso.slice(0, 19)}.1234567Z`;
    case 5: return `${iso.slice(0, 19)}+00:00`;
    default: return `${iso.slice(0, 23)}${String(r(1000)).padStart(3, '0')}Z`;
  }
}

function user(r: Rng): unknown {
  switch (r(12)) {
    case 0: case 1: case 2: return { username: ANON, groups: ['system:unauthenticated'] };
    case 3: case 4: return {};
    case 5: return { username: '' };
    case 6: return { username: pick(r, [1, null, [], ANON.toUpperCase()]), groups: ['x'] };
    case 7: return { groups: ['system:unauthenticated'], username: ANON };
    case 8: return { username: ANON, uid: 'u', groups: ['system:unauthenticated'], extra: { 'authentication.kubernetes.io/pod-name': ['p'] } };
    default: return { username: pick(r, ['alice', 'system:serviceaccount:kube-system:x', 'system:anonymousish', 'system:kube-controller-manager']), uid: 'u1', groups: ['system:authenticated'], extra: { k: ['v"1', 'v\\2'] } };
  }
}

function objectRef(r: Rng): unknown {
  if (r(3) === 0) return undefined;
  const resource = pick(r, RESOURCES);
  const ref: Record<string, unknown> = { resource };
  if (r(2)) ref.namespace = pick(r, ['default', 'kube-public', 'kube-system', 'a"b']);
  if (r(2)) ref.name = pick(r, ['cluster-info', 'x', 'k8s-anon-exporter-canary-ab12', 'n\\m']);
  if (r(3)) ref.apiGroup = resource.includes('binding') || resource === 'roles' ? pick(r, ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', 'other.io']) : pick(r, ['', 'apps']);
  if (r(2)) ref.apiVersion = 'v1';
  if (r(4) === 0) ref.subresource = pick(r, SUBRESOURCES);
  if (r(25) === 0) ref[pick(r, ['resource', 'namespace', 'name', 'apiGroup', 'subresource'])] = pick(r, WRONG);
  return ref;
}

/** responseStatus.details as kube-apiserver writes it (string members, causes, retryAfterSeconds) and in shapes it does not. */
const DETAILS: unknown[] = [
  {}, { kind: 'pods' }, { name: 'x', kind: 'secrets' }, { name: 'a"b', group: 'g\\h', kind: 'k', uid: 'u' },
  { causes: [{ reason: 'FieldValueInvalid', message: 'm', field: 'f' }] }, { retryAfterSeconds: 1 }, { kind: 1 }, { code: 401 },
  { kind: 'pods', code: 'x' }, 'details', [], null,
];

function status(r: Rng): unknown {
  const code = maybe(r, pick(r, CODES), 40, 40);
  const o: Record<string, unknown> = { metadata: {} };
  if (r(2)) Object.assign(o, { status: 'Failure', message: 'm "x"', reason: pick(r, ['Forbidden', 'Unauthorized', 'NotFound']) });
  if (r(4) === 0) o.details = pick(r, DETAILS);
  if (code !== undefined) o.code = code;
  return o;
}

function subjectsObject(r: Rng): unknown {
  if (r(3)) return undefined;
  const subjects = [{ kind: pick(r, ['Group', 'User', 'ServiceAccount']), name: pick(r, ['system:unauthenticated', ANON, 'devs']) }];
  return r(5) === 0 ? { kind: 'Status' } : { kind: 'RoleBinding', metadata: { name: 'b' }, subjects };
}

/** One random event object with keys in kube-apiserver's order (absent values dropped by JSON.stringify). */
export function randomEvent(r: Rng, i: number): Record<string, unknown> {
  const stage = pick(r, STAGES);
  const t = T0 + i * 37 + (r(50) === 0 ? -r(600_000) : r(30)) + (r(5000) === 0 ? 400_000 : 0);
  return {
    kind: r(60) === 0 ? pick(r, ['EventList', 'event', 1]) : 'Event',
    apiVersion: r(20) === 0 ? 'audit.k8s.io/v1beta1' : 'audit.k8s.io/v1',
    level: pick(r, ['Metadata', 'Request', 'RequestResponse']),
    auditID: r(30) === 0 ? 'k8s-anon-exporter-probe-1' : r(40) === 0 ? 'id \\"stage\\":\\"Panic\\"' : `0000-${i}`,
    stage: maybe(r, stage), requestURI: maybe(r, pick(r, URIS)), verb: maybe(r, pick(r, VERBS)), user: maybe(r, user(r)),
    impersonatedUser: r(12) === 0 ? maybe(r, { username: pick(r, [ANON, 'bob', '']), groups: ['g'] }, 6, 1000) : undefined,
    sourceIPs: maybe(r, Array.from({ length: r(4) }, () => (r(30) === 0 ? pick(r, WRONG) : pick(r, IPS)))),
    userAgent: maybe(r, pick(r, AGENTS)), objectRef: maybe(r, objectRef(r)),
    responseStatus: stage === 'RequestReceived' && r(4) ? undefined : maybe(r, status(r)),
    requestObject: subjectsObject(r), responseObject: subjectsObject(r),
    requestReceivedTimestamp: micro(t - 3, r), stageTimestamp: maybe(r, micro(t, r), 200, 100),
    annotations: r(2) ? { 'authorization.k8s.io/decision': pick(r, ['allow', 'forbid']), 'authorization.k8s.io/reason': 'RBAC: "x"' } : undefined,
  };
}

function shuffle(r: Rng, o: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(o);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = r(i + 1);
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  return Object.fromEntries(entries);
}

/** Escapes like Go's encoding/json (`<`, `>`, `&`, U+2028/9) and other valid JSON escapes. */
function goEscape(r: Rng, s: string): string {
  const out = s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  switch (r(30)) {
    case 0: return out.replace('system:anonymous', 'system:anonymou\\u0073');
    case 1: return out.replace(/"(requestURI|userAgent|verb)":"\//, '"$1":"\\/');
    case 2: return out.replace('"resource":"', '"resource":"\\u0072');
    case 3: return out.replace('"name":"', '"name":"\\"');
    default: return out;
  }
}

/**
 * Hostile or unusual bytes the full parse may reject; the byte paths must agree. Cases 10 and up
 * corrupt spans that the authenticated fast path skips without validating (a documented limit, see
 * src/audit/fastpath.ts), so they are applied only to lines that path declines (`strict`).
 */
function mutate(r: Rng, line: string, strict: boolean): string {
  const at = r(line.length);
  switch (r(strict ? 16 : 10)) {
    case 0: return line.slice(0, at);
    case 1: return `${line}\r`;
    case 2: return ` ${line}`;
    case 3: return `${line} `;
    case 4: return line.replace(/":\[?"([^"\\]*)"/, (m) => `${m.slice(0, -1)}\u0001"`);
    case 5: return line.replace(/"(stage|requestURI|verb|username|userAgent|resource|name|stageTimestamp)":"/, (m) => `${m}\\x`);
    case 6: return `{"x":1,${line.slice(1)}`;
    case 7: return line.replace(/,"(stage|verb|user|code|requestURI|sourceIPs|objectRef|stageTimestamp)":/, (m) => `,"${m.slice(2, -2)}":"dup"${m}`);
    case 8: return line.replace(/,"(stage|verb|requestURI|code|stageTimestamp|userAgent)":("[^"]*"|\d+)/, (m) => `${m}${m}`);
    case 9: return line.replace(/":/g, (m) => (r(8) === 0 ? '": ' : m));
    case 10: return line.slice(0, line.lastIndexOf('}', at) + 1);
    case 11: return line.replace(/"(uid|apiVersion|message|groups)":"/, (m) => `${m}\u0007\\q`);
    case 12: return line.replace(/"code":(\d)/, '"code":0$1');
    case 13: return line.replace(/\}$/, ',}');
    case 14: return line.replace(/"(username|requestURI|userAgent|name|resource)":"/, (m) => `${m}\u001f`);
    default: return `${line.slice(0, at)}\u00ff${line.slice(at)}`;
  }
}

/**
 * Key-level changes that the order-free byte path must decline or read exactly: an escaped key (which
 * JSON.parse decodes to a key counting reads), the `timestamp` fallback, another kind, an unknown
 * key holding nested values, a repeated key whose last value lacks what the first one held, and
 * whitespace after a `}` (valid JSON that can hide a later key from a scanner).
 */
function mutateKeys(r: Rng, line: string): string {
  switch (r(8)) {
    // Whitespace after a `}` or its `,` (valid JSON), alone and hiding a later anonymous user.
    case 6: return line.replace(/\},"/g, (m) => (r(3) === 0 ? pick(r, ['} ,"', '}, "', '}\t,"']) : m));
    case 7: return pick(r, [
      () => line.replace(',"requestReceivedTimestamp"', ' ,"user":{"username":"system:anonymous"},"requestReceivedTimestamp"'),
      () => line.replace('},"sourceIPs"', '} ,"impersonatedUser":{"username":"system:anonymous"},"sourceIPs"'),
      // A repeated member inside the user object or the objectRef: JSON.parse keeps the last one.
      () => line.replace(/("username":"[^"\\]*")/, '$1,"username":"system:anonymous"'),
      () => line.replace(/("groups":\[[^\]]*\])/, '$1,"username":"system:anonymous"'),
      () => line.replace(/"objectRef":\{[^{}]*\}/, '"objectRef":{"resource":"pods","resource":"rolebindings"}'),
      // A stage of a known stage's length and first letters, and a level that closes early and adds a kind.
      () => line.replace('"stage":"RequestReceived"', '"stage":"RxqxxxxRxxxxxxx"').replace('"stage":"ResponseComplete"', '"stage":"RxsxxxxxCxxxxxxx"')
        .replace('"stage":"Panic"', '"stage":"Pa-ic"'),
      () => line.replace(/"level":"[A-Za-z]+"/, '"level":"R","kind":"xyzw"'),
      // 27 bytes where a MicroTime belongs that close the string and add a stage.
      () => line.replace(/"requestReceivedTimestamp":"[^"]{27}"/, '"requestReceivedTimestamp":"a","stage":"Panic","zzzz":""'),
      // A status without code, a user, then an object holding a `"code":` for a scanner to mistake for the status's.
      () => line.replace(/"responseStatus":\{"metadata":\{\},"code":(\d+)\}/,
        '"responseStatus":{"metadata":{},"status":"Success"},"user":{"username":"system:anonymous"},"requestObject":{"code":$1}'),
    ])();
    // A second top-level object without the fields counting reads: JSON.parse keeps this last one.
    case 5: return line.replace(/\}$/, `,${pick(r, ['"responseStatus":{"metadata":{}}', '"objectRef":{"apiVersion":"v1"}', '"user":{"groups":[]}', '"impersonatedUser":{}'])}}`);
    case 0: return line.replace(/"(stage|user|verb|requestURI|code|username|resource|stageTimestamp|kind|sourceIPs|impersonatedUser)":/,
      (_m, k: string) => `"\\u00${k.charCodeAt(0).toString(16)}${k.slice(1)}":`);
    case 1: return line.replace(/,"stageTimestamp":"[^"]*"/, '').replace(/\}$/, ',"timestamp":"2025-01-01T00:00:09.000001Z"}');
    case 2: return line.replace(/\}$/, ',"timestamp":"2025-01-01T00:00:09.000001Z"}');
    case 3: return line.replace('"kind":"Event"', pick(r, ['"kind":"EventList"', '"kind":"event"', '"kind":null', '"Kind":"Event"']));
    default: return line.replace(/\}$/, ',"zz":{"a":[1,{"b":null,"c":"d\\"}"}],"e":-1.5e3}}');
  }
}

/** True for events the authenticated fast path always declines (anonymous, impersonated or 401 at a counted stage). */
function declined(ev: Record<string, unknown>): boolean {
  const u = ev.user as { username?: unknown } | undefined;
  const rs = ev.responseStatus as { code?: unknown } | undefined;
  return ev.stage !== 'RequestReceived' && (u?.username === ANON || ev.impersonatedUser !== undefined || rs?.code === 401);
}

/** Returns `n` random audit lines for `seed`, about a third of them in a shuffled key order. */
export function fuzzLines(seed: number, n: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ev = randomEvent(r, i);
    let line = goEscape(r, JSON.stringify(r(3) === 0 ? shuffle(r, ev) : ev));
    if (r(40) === 0) line = mutateKeys(r, line);
    if (r(12) === 0) line = mutate(r, line, declined(ev));
    out.push(line);
    if (r(500) === 0) out.push(pick(r, ['', 'not json', '[1]', '{}', '{"kind":"Event"}', '\u0000']));
  }
  return out;
}
