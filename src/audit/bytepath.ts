/**
 * Byte path for the lines that matter: anonymous, impersonated and 401 events (and any other line
 * the fast path declines), in any key order. It validates the whole line as compact JSON, decodes
 * only the strings counting reads (requestURI, verb, usernames, sourceIPs, userAgent, objectRef
 * fields, code, reason and stageTimestamp; auditID only when it may name one of the exporter's own
 * probes) and returns the event the full parse would, as far as counting reads it. It declines
 * (undefined) on any escape in a key or a needed string, a key that counting reads appearing twice
 * (JSON.parse keeps the last), a binding write carrying objects, or an unexpected type: the full
 * parse then decides.
 */
import type { AuditEvent } from './event.js';
import type { ObjectRefLite } from './classify.js';
import { matchAt, plainStr, skipStr, skipValue } from './jsonbytes.js';
import { parseTimeBytes } from './time.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
/** Top-level keys the full parse reads; `timestamp` (a fallback for stageTimestamp) declines. */
const TOP = keyTable(['kind', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent', 'objectRef',
  'responseStatus', 'requestObject', 'responseObject', 'stageTimestamp', 'timestamp'].map(b));
const USER = keyTable(['username'].map(b));
const REF = keyTable(['resource', 'namespace', 'name', 'apiGroup', 'subresource'].map(b));
const STATUS = keyTable(['code', 'reason'].map(b));
const EVENT = b('"Event"');
const PROBE_ID = b('"k8s-anon-exporter-probe-');
/** auditID is decoded only when it may name one of this exporter's probes. */
export const PROBE_ID_PREFIX = PROBE_ID.subarray(1);

/** Keys grouped by length, with their index in the list they came from. */
type KeyTable = ({ i: number; k: Buffer }[] | undefined)[];

function keyTable(keys: Buffer[]): KeyTable {
  const t: KeyTable = [];
  keys.forEach((k, i) => { (t[k.length] ??= []).push({ i, k }); });
  return t;
}

/** Index of the key `buf[k0, k1)` in the table's list, or -1 for a key counting does not read. */
function keyIndex(buf: Buffer, k0: number, k1: number, table: KeyTable): number {
  const same = table[k1 - k0];
  if (same) for (const { i, k } of same) if (buf[k0] === k[0] && matchAt(buf, k0, k)) return i;
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

/** Decodes the escape-free string bytes `buf[from, to)`, returning frequent values without a copy. */
export function decode(buf: Buffer, from: number, to: number): string {
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

/** Skips any value at the cursor; false to decline. */
function skip(c: Cur): boolean {
  const p = skipValue(c.buf, c.p, c.end);
  if (p < 0) return false;
  c.p = p;
  return true;
}

/**
 * Walks the object at the cursor in any key order: `field(i)` reads the value of `keys[i]`, other
 * keys are skipped (validated). Returns the mask of `keys` seen, or -1 to decline: an escaped key,
 * a key of `keys` seen twice (JSON.parse keeps the last) or anything but compact JSON.
 */
function walkObject(c: Cur, keys: KeyTable, field: (i: number) => boolean): number {
  const buf = c.buf;
  if (buf[c.p] !== 123) return -1;
  c.p++;
  if (buf[c.p] === 125) { c.p++; return 0; }
  let seen = 0;
  for (;;) {
    if (buf[c.p] !== 34) return -1;
    const k1 = plainStr(buf, c.p + 1, c.end);
    if (k1 < 0 || buf[k1 + 1] !== 58) return -1;
    const i = keyIndex(buf, c.p + 1, k1, keys);
    c.p = k1 + 2;
    if (i < 0) { if (!skip(c)) return -1; } else {
      if ((seen & (1 << i)) !== 0 || !field(i)) return -1;
      seen |= 1 << i;
    }
    if (buf[c.p] === 125) { c.p++; return seen; }
    if (buf[c.p] !== 44) return -1;
    c.p++;
  }
}

/** Reads auditID: counting only asks whether it names one of this exporter's probes, so others are not decoded. */
function auditID(c: Cur, ev: AuditEvent): boolean {
  if (matchAt(c.buf, c.p, PROBE_ID)) return (ev.auditID = str(c)) !== undefined;
  if (c.buf[c.p] !== 34) return false;
  const p = skipStr(c.buf, c.p + 1, c.end);
  if (p < 0) return false;
  c.p = p;
  return true;
}

/** Reads a user object's username (undefined when absent); null to decline. */
function userName(c: Cur): string | undefined | null {
  let name: string | undefined;
  return walkObject(c, USER, () => (name = str(c)) !== undefined) < 0 ? null : name;
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
  const seen = walkObject(c, REF, (i) => {
    const s = str(c);
    if (s === undefined) return false;
    if (i === 0) ref.resource = s; else if (i === 1) ref.namespace = s; else if (i === 2) ref.name = s;
    else if (i === 3) ref.apiGroup = s; else ref.subresource = s;
    return true;
  });
  return seen < 0 ? undefined : ref;
}

/** Reads a JSON integer in plain digits (no fraction or exponent) at the cursor into `ev.code`. */
function code(c: Cur, ev: AuditEvent): boolean {
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
}

/** Reads responseStatus: code (a JSON integer in plain digits) and reason. */
function status(c: Cur, ev: AuditEvent): boolean {
  return walkObject(c, STATUS, (i) => (i === 0 ? code(c, ev) : (ev.reason = str(c)) !== undefined)) >= 0;
}

/** Reads stageTimestamp (a plain string; an unparsable time leaves the event without one, as the full parse does). */
function stageTime(c: Cur, ev: AuditEvent): boolean {
  if (c.buf[c.p] !== 34) return false;
  const q = plainStr(c.buf, c.p + 1, c.end);
  if (q < 0) return false;
  const t = parseTimeBytes(c.buf, c.p + 1, q + 1);
  ev.timeMs = Number.isFinite(t) ? t : undefined;
  c.p = q + 1;
  return true;
}

/** Reads one top-level field `i` (index into TOP) into `ev`; false to decline. */
function field(c: Cur, i: number, ev: AuditEvent, seen: { objects: boolean }): boolean {
  switch (i) {
    case 0: if (!matchAt(c.buf, c.p, EVENT)) return false; c.p += EVENT.length; return true;
    case 1: return auditID(c, ev);
    case 2: return (ev.stage = str(c)) !== undefined;
    case 3: { const s = str(c); if (s === undefined) return false; ev.requestURI = s; return true; }
    case 4: { const s = str(c); if (s === undefined) return false; ev.verb = s; return true; }
    case 5: { const u = userName(c); if (u === null) return false; ev.username = u; ev.userEmpty = u === undefined || u === ''; return true; }
    case 6: { const u = userName(c); if (u === null) return false; ev.impersonatedUsername = u; return true; }
    case 7: return (ev.sourceIPs = sourceIPs(c)) !== undefined;
    case 8: return (ev.userAgent = str(c)) !== undefined;
    case 9: return (ev.objectRef = objectRef(c)) !== undefined;
    case 10: return status(c, ev);
    case 11: case 12: seen.objects = true; return skip(c);
    case 13: return stageTime(c, ev);
    default: return false;
  }
}

const BINDINGS = new Set(['rolebindings', 'clusterrolebindings']);
const KIND_BIT = 1;

/** Reads `buf[start, end)` as an audit event in any key order; undefined asks for the full parse. */
export function byteEvent(buf: Buffer, start: number, end: number): AuditEvent | undefined {
  if (buf[end - 1] === 13) end--;
  if (buf[start] !== 123 || buf[end - 1] !== 125) return undefined;
  const ev: AuditEvent = {
    stage: undefined, timeMs: undefined, verb: '', requestURI: '', auditID: undefined, userEmpty: true, username: undefined,
    impersonatedUsername: undefined, sourceIPs: undefined, userAgent: undefined, objectRef: undefined, code: undefined,
    requestObject: undefined, responseObject: undefined, reason: undefined,
  };
  const c: Cur = { buf, p: start, end };
  const seen = { objects: false };
  const keys = walkObject(c, TOP, (i) => field(c, i, ev, seen));
  if (keys < 0 || c.p !== end || (keys & KIND_BIT) === 0 || ev.stage === undefined) return undefined;
  // A binding write's subjects live in its objects: only the full parse reads them.
  if (seen.objects && BINDINGS.has(ev.objectRef?.resource ?? '')) return undefined;
  return ev;
}
