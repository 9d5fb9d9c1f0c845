/**
 * Byte-level fast path. Most audit lines are authenticated controller traffic that only feeds
 * the event, request and gap counters. For a line in kube-apiserver's native field order this
 * reads stage, code and stageTimestamp without decoding JSON, and declines (returns false)
 * whenever the line might matter more (anonymous, empty user, impersonation, binding writes,
 * unusual order or types), so the caller falls back to a full parse.
 */
import { parseTimeMs } from './time.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const PREFIX = b('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"');
const AUDIT_ID = b('","auditID":"');
const STAGE = b(',"stage":"');
const REQUEST_URI = b('","requestURI":"');
const VERB = b(',"verb":"');
const USER = b('","user":{');
const USERNAME = b('"username":"');
const ANON = b('system:anonymous"');
const SOURCE_IPS = b('"sourceIPs":');
const IMPERSONATED = b('"impersonatedUser":');
const OBJECT_REF = b('"objectRef":{');
const RESOURCE = b('"resource":"');
const ROLEBINDINGS = b('rolebindings"');
const CLUSTERROLEBINDINGS = b('clusterrolebindings"');
const RESPONSE_STATUS = b('"responseStatus":{');
const CODE = b('"code":');
const STAGE_TS = b('"stageTimestamp":"');

/** The stages the fast path recognises, indexed by the stage value's first byte and length. */
export const FAST_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;

/** What the fast path extracts from a line it accepts. */
export interface FastResult { stage: string; code: number; timeMs: number }

function matchAt(buf: Buffer, pos: number, lit: Buffer): boolean {
  if (pos + lit.length > buf.length) return false;
  for (let i = 0; i < lit.length; i++) if (buf[pos + i] !== lit[i]) return false;
  return true;
}

/** Returns the index just past the closing quote of a JSON string whose content starts at `pos`, or -1. */
function skipString(buf: Buffer, pos: number, end: number): number {
  let i = pos;
  for (;;) {
    const q = buf.indexOf(34, i);
    if (q < 0 || q >= end) return -1;
    let bs = 0;
    for (let j = q - 1; j >= pos && buf[j] === 92; j--) bs++;
    if ((bs & 1) === 0) return q + 1;
    i = q + 1;
  }
}

function stageAt(buf: Buffer, pos: number, end: number): [string, number] | undefined {
  const q = buf.indexOf(34, pos);
  if (q < 0 || q >= end || q - pos > 16) return undefined;
  const s = buf.toString('latin1', pos, q);
  return (FAST_STAGES as readonly string[]).includes(s) ? [s, q] : undefined;
}

function readCode(buf: Buffer, from: number, end: number): number | undefined {
  const rs = buf.indexOf(RESPONSE_STATUS, from);
  if (rs < 0 || rs >= end) return 0;
  const c = buf.indexOf(CODE, rs);
  if (c < 0 || c >= end) return undefined;
  let v = 0, i = c + CODE.length, n = 0;
  for (; i < end; i++, n++) {
    const d = buf[i] as number;
    if (d < 48 || d > 57) break;
    v = v * 10 + d - 48;
  }
  const next = buf[i];
  return n > 0 && n < 10 && (next === 44 || next === 125) ? v : undefined;
}

function readTime(buf: Buffer, end: number): number | undefined {
  const t = buf.lastIndexOf(STAGE_TS, end);
  if (t < 0) return undefined;
  const from = t + STAGE_TS.length;
  const q = buf.indexOf(34, from);
  if (q < 0 || q >= end || q - from > 40) return undefined;
  const ms = parseTimeMs(buf.toString('latin1', from, q));
  return Number.isFinite(ms) ? ms : undefined;
}

function isBindingWrite(buf: Buffer, from: number, end: number): boolean | undefined {
  const o = buf.indexOf(OBJECT_REF, from);
  if (o < 0 || o >= end) return false;
  if (!matchAt(buf, o + OBJECT_REF.length, RESOURCE)) return undefined;
  const r = o + OBJECT_REF.length + RESOURCE.length;
  return matchAt(buf, r, ROLEBINDINGS) || matchAt(buf, r, CLUSTERROLEBINDINGS);
}

/** Tries the fast path on `buf[start, end)`; fills `out` and returns true, or false to request a full parse. */
export function fastScan(buf: Buffer, start: number, end: number, out: FastResult): boolean {
  while (end > start && (buf[end - 1] === 13 || buf[end - 1] === 32)) end--;
  if (buf[end - 1] !== 125 || !matchAt(buf, start, PREFIX)) return false;
  let p = buf.indexOf(34, start + PREFIX.length);
  if (p < 0 || p - start > 100 || !matchAt(buf, p, AUDIT_ID)) return false;
  p = skipString(buf, p + AUDIT_ID.length, end);
  if (p < 0 || !matchAt(buf, p, STAGE)) return false;
  const st = stageAt(buf, p + STAGE.length, end);
  if (!st) return false;
  const [stage, sq] = st;
  if (!matchAt(buf, sq, REQUEST_URI)) return false;
  p = skipString(buf, sq + REQUEST_URI.length, end);
  if (p < 0 || !matchAt(buf, p, VERB)) return false;
  p = skipString(buf, p + VERB.length, end);
  if (p < 0 || !matchAt(buf, p - 1, USER)) return false;
  const userStart = p - 1 + USER.length;
  const counted = stage !== 'RequestReceived';
  if (counted && (!matchAt(buf, userStart, USERNAME) || matchAt(buf, userStart + USERNAME.length, ANON))) return false;
  const sip = buf.indexOf(SOURCE_IPS, userStart);
  if (sip < 0 || sip >= end || buf[sip + SOURCE_IPS.length] !== 91) return false;
  if (counted) {
    if (buf.subarray(userStart, sip).indexOf(IMPERSONATED) >= 0) return false;
    if (isBindingWrite(buf, sip, end) !== false) return false;
  }
  const code = readCode(buf, sip, end);
  const timeMs = readTime(buf, end);
  if (code === undefined || timeMs === undefined) return false;
  out.stage = stage;
  out.code = code;
  out.timeMs = timeMs;
  return true;
}
