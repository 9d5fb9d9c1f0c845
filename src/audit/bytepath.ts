/**
 * Byte path for the lines that matter: anonymous, impersonated and 401 events (and any other
 * line the fast path declines) in kube-apiserver's native field order. It validates the whole
 * line as compact JSON, decodes only the strings counting reads (requestURI, verb, usernames,
 * sourceIPs, userAgent, objectRef fields, code and stageTimestamp; auditID only when it may name one
 * of the exporter's own probes) and returns the event the full parse would, as far as counting reads it. It declines (undefined) on any escape in a needed string, a binding
 * write carrying objects, an unexpected type, key or order: the full parse then decides.
 */
import type { AuditEvent } from './event.js';
import type { ObjectRefLite } from './classify.js';
import { plainStr, skipStr, skipValue } from './jsonbytes.js';
import { parseTimeBytes } from './time.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const PREFIX = b('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"');
const TOP = ['auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent', 'objectRef',
  'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations'].map((k) => b(`,"${k}":`));
const USER = ['username', 'uid', 'groups', 'extra'].map((k) => b(`"${k}":`));
const REF = ['resource', 'namespace', 'name', 'uid', 'apiGroup', 'apiVersion', 'resourceVersion', 'subresource'].map((k) => b(`"${k}":`));
const STATUS = ['metadata', 'status', 'message', 'reason', 'details', 'code'].map((k) => b(`"${k}":`));

function matchAt(buf: Buffer, pos: number, lit: Buffer): boolean {
  const n = lit.length;
  if (pos + n > buf.length) return false;
  for (let i = 0; i < n; i++) if (buf[pos + i] !== lit[i]) return false;
  return true;
}

/** Index of the first key of `keys` at or after `from` that `buf` holds at `p`, or -1. */
function keyAt(buf: Buffer, p: number, keys: Buffer[], from: number): number {
  for (let i = from; i < keys.length; i++) if (matchAt(buf, p, keys[i] as Buffer)) return i;
  return -1;
}

/** Cursor state shared by the section readers of one line. */
interface Cur { buf: Buffer; p: number; end: number }

/** Frequent values, returned without decoding (a Buffer-to-string call costs more than the compare). */
const INTERNED = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic', 'system:anonymous', 'get', 'list', 'watch',
  'create', 'update', 'patch', 'delete', 'head', 'post', 'pods', 'secrets', 'configmaps', 'nodes', 'namespaces', 'services', 'kube-system',
  'kube-public', 'default', 'cluster-info', 'rbac.authorization.k8s.io', ''].map((v) => ({ v, bytes: b(v) }));
const BY_LENGTH = new Map<number, { v: string; bytes: Buffer }[]>();
for (const i of INTERNED) BY_LENGTH.set(i.bytes.length, [...(BY_LENGTH.get(i.bytes.length) ?? []), i]);

function decode(buf: Buffer, from: number, to: number): string {
  const same = BY_LENGTH.get(to - from);
  if (same) for (const i of same) if (buf[from] === i.bytes[0] && matchAt(buf, from, i.bytes)) return i.v;
  return buf.toString('utf8', from, to);
}

/** Reads a plain (escape-free) string value at the cursor; undefined to decline. */
function str(c: Cur): string | undefined {
  if (c.buf[c.p] !== 34) return undefined;
  const q = plainStr(c.buf, c.p + 1, c.end);
  if (q < 0) return undefined;
  const s = decode(c.buf, c.p + 1, q);
  c.p = q + 1;
  return s;
}

const PROBE_ID = b('"k8s-anon-exporter-probe-');

/** Reads auditID: counting only asks whether it names one of this exporter's probes, so others are not decoded. */
function auditID(c: Cur, ev: AuditEvent): boolean {
  if (matchAt(c.buf, c.p, PROBE_ID)) return (ev.auditID = str(c)) !== undefined;
  if (c.buf[c.p] !== 34) return false;
  const p = skipStr(c.buf, c.p + 1, c.end);
  if (p < 0) return false;
  c.p = p;
  return true;
}

/** Skips any value at the cursor; false to decline. */
function skip(c: Cur): boolean {
  const p = skipValue(c.buf, c.p, c.end);
  if (p < 0) return false;
  c.p = p;
  return true;
}

/** Walks an object's keys in `keys` order, calling `field(i)` at each value; false to decline. */
function walkObject(c: Cur, keys: Buffer[], field: (i: number) => boolean): boolean {
  if (c.buf[c.p] !== 123) return false;
  c.p++;
  if (c.buf[c.p] === 125) { c.p++; return true; }
  let next = 0;
  for (;;) {
    const i = keyAt(c.buf, c.p, keys, next);
    if (i < 0) return false;
    c.p += (keys[i] as Buffer).length;
    if (!field(i)) return false;
    next = i + 1;
    if (c.buf[c.p] === 125) { c.p++; return true; }
    if (c.buf[c.p] !== 44) return false;
    c.p++;
  }
}

/** Reads a user object's username (undefined when absent); null to decline. */
function userName(c: Cur): string | undefined | null {
  let name: string | undefined;
  const ok = walkObject(c, USER, (i) => {
    if (i !== 0) return skip(c);
    name = str(c);
    return name !== undefined;
  });
  return ok ? name : null;
}

function sourceIPs(c: Cur): string[] | undefined {
  if (c.buf[c.p] !== 91) return undefined;
  c.p++;
  const ips: string[] = [];
  if (c.buf[c.p] === 93) { c.p++; return ips; }
  for (;;) {
    const s = str(c);
    if (s === undefined) return undefined;
    ips.push(s);
    if (c.buf[c.p] === 93) { c.p++; return ips; }
    if (c.buf[c.p] !== 44) return undefined;
    c.p++;
  }
}

function objectRef(c: Cur): ObjectRefLite | undefined {
  const ref: ObjectRefLite = {};
  const ok = walkObject(c, REF, (i) => {
    if (i === 3 || i === 5 || i === 6) return skip(c);
    const s = str(c);
    if (s === undefined) return false;
    if (i === 0) ref.resource = s; else if (i === 1) ref.namespace = s; else if (i === 2) ref.name = s;
    else if (i === 4) ref.apiGroup = s; else ref.subresource = s;
    return true;
  });
  return ok ? ref : undefined;
}

/** Reads responseStatus: [ok, code, reason]; the code must be a JSON integer in plain digits. */
function status(c: Cur, ev: AuditEvent): boolean {
  return walkObject(c, STATUS, (i) => {
    if (i === 3) { ev.reason = str(c); return ev.reason !== undefined; }
    if (i !== 5) return skip(c);
    const buf = c.buf;
    let p = c.p;
    const neg = buf[p] === 45;
    if (neg) p++;
    const d0 = p;
    let v = 0;
    while (p < c.end && (buf[p] as number) >= 48 && (buf[p] as number) <= 57) v = v * 10 + (buf[p++] as number) - 48;
    const n = p - d0;
    if (n === 0 || n > 15 || (buf[d0] === 48 && n > 1) || (buf[p] !== 44 && buf[p] !== 125)) return false;
    ev.code = neg ? -v : v;
    c.p = p;
    return true;
  });
}

/** Reads one top-level field `i` (index into TOP) into `ev`; false to decline. */
function field(c: Cur, i: number, ev: AuditEvent, seen: { objects: boolean }): boolean {
  switch (i) {
    case 0: return auditID(c, ev);
    case 1: return (ev.stage = str(c)) !== undefined;
    case 2: { const s = str(c); if (s === undefined) return false; ev.requestURI = s; return true; }
    case 3: { const s = str(c); if (s === undefined) return false; ev.verb = s; return true; }
    case 4: { const u = userName(c); if (u === null) return false; ev.username = u; ev.userEmpty = u === undefined || u === ''; return true; }
    case 5: { const u = userName(c); if (u === null) return false; ev.impersonatedUsername = u; return true; }
    case 6: return (ev.sourceIPs = sourceIPs(c)) !== undefined;
    case 7: return (ev.userAgent = str(c)) !== undefined;
    case 8: return (ev.objectRef = objectRef(c)) !== undefined;
    case 9: return status(c, ev);
    case 10: case 11: seen.objects = true; return skip(c);
    case 13: {
      if (c.buf[c.p] !== 34) return false;
      const q = plainStr(c.buf, c.p + 1, c.end);
      if (q < 0) return false;
      const t = parseTimeBytes(c.buf, c.p + 1, q + 1);
      ev.timeMs = Number.isFinite(t) ? t : undefined;
      c.p = q + 1;
      return true;
    }
    default: return skip(c);
  }
}

const BINDINGS = new Set(['rolebindings', 'clusterrolebindings']);

/** Reads `buf[start, end)` as a native-order event; undefined asks for the full parse. */
export function byteEvent(buf: Buffer, start: number, end: number): AuditEvent | undefined {
  if (buf[end - 1] === 13) end--;
  if (buf[end - 1] !== 125 || !matchAt(buf, start, PREFIX)) return undefined;
  const c: Cur = { buf, p: skipStr(buf, start + PREFIX.length, end), end };
  if (c.p < 0) return undefined;
  const ev: AuditEvent = {
    stage: undefined, timeMs: undefined, verb: '', requestURI: '', auditID: undefined, userEmpty: true, username: undefined,
    impersonatedUsername: undefined, sourceIPs: undefined, userAgent: undefined, objectRef: undefined, code: undefined,
    requestObject: undefined, responseObject: undefined, reason: undefined,
  };
  const seen = { objects: false };
  let next = 0;
  while (c.p < end - 1) {
    const i = keyAt(buf, c.p, TOP, next);
    if (i < 0) return undefined;
    c.p += (TOP[i] as Buffer).length;
    if (!field(c, i, ev, seen)) return undefined;
    next = i + 1;
  }
  if (c.p !== end - 1 || ev.stage === undefined) return undefined;
  // A binding write's subjects live in its objects: only the full parse reads them.
  if (seen.objects && BINDINGS.has(ev.objectRef?.resource ?? '')) return undefined;
  return ev;
}
