/**
 * Byte-level fast path. Most audit lines are authenticated controller traffic that only feeds
 * the event, request and gap counters. For a line in kube-apiserver's native field order this
 * walks the top-level fields with unrolled literal compares (literals.ts) and single-byte searches,
 * reading stage and stageTimestamp without decoding JSON. It declines (returns false) whenever the
 * line might matter more (anonymous user, any 401, impersonation, binding writes, escaped names)
 * or deviates from the native order or types, so the caller falls back to the byte path
 * (bytepath.ts) or the full parse, which decide exactly. A line is only taken when every field that
 * counting reads sits in its native place: nothing that counting reads may follow the timestamps.
 * Known limit: spans it skips (the user object's groups and extra, requestURI, userAgent, objects,
 * annotations) are not validated as JSON, so a corrupted authenticated line there may count as an
 * event where the full parse skips it.
 */
import { matchAt, plainStr } from './jsonbytes.js';
import { parseTimeBytes } from './time.js';
import {
  ANNOTATIONS_LEN, API_GROUP_KEY_LEN, API_VERSION_KEY_LEN, AUDIT_ID_LEN, CODE_LEN, GROUPS_KEY_LEN, isAnnotations, isAnonymous,
  isApiGroupKey, isApiVersionKey, isAuditId, isClusterrolebindings, isCode, isExtraKey, isGroupsKey, isImpersonated, isNameKey,
  isNamespaceKey, isObjectRef, isPanic, isPrefix, isRequestObject, isRequestReceived, isRequestReceivedStage, isRequestUri,
  isResourceVersionKey, isResponseComplete, isResponseObject, isResponseStarted, isResponseStatus, isRolebindings, isSourceIps, isStage,
  isStageTimestamp, isSubresourceKey, isUidKey, isUser, isUserAgent, isVerb, NAME_KEY_LEN, NAMESPACE_KEY_LEN, OBJECT_REF_LEN, PREFIX_LEN,
  REQUEST_OBJECT_LEN, REQUEST_RECEIVED_LEN, REQUEST_URI_LEN, RESOURCE_VERSION_KEY_LEN, RESPONSE_OBJECT_LEN, RESPONSE_STATUS_LEN,
  SOURCE_IPS_LEN, STAGE_LEN, STAGE_TIMESTAMP_LEN, SUBRESOURCE_KEY_LEN, UID_KEY_LEN, USER_AGENT_LEN, USER_LEN, VERB_LEN,
} from './literals.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const CODE_KEY = b('"code":');
/** Offset of the status object's `{` in `,"responseStatus":{`. */
const STATUS_OPEN = 18;
const STAGE_TS_KEY = b('"stageTimestamp":"');
/** Top-level keys counting reads; none may follow the request or response object. */
const COUNTED_KEYS = ['"user":', '"impersonatedUser":', '"responseStatus":', '"objectRef":', '"stage":', '"sourceIPs":', '"verb":', '"requestURI":', '"stageTimestamp":', '"requestReceivedTimestamp":', '"annotations":'].map(b);

/** What the fast path extracts from a line it accepts. */
export interface FastResult { stage: 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic'; timeMs: number }

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

/** Recognises the stage value starting at `p` by its whole literal and closing quote (interned strings, no allocation). */
function stageAt(buf: Buffer, p: number): FastResult['stage'] | undefined {
  const c = buf[p];
  if (c === 80 /* P */) return isPanic(buf, p) ? 'Panic' : undefined;
  if (c !== 82 /* R */) return undefined;
  if (isResponseComplete(buf, p)) return 'ResponseComplete';
  if (isRequestReceivedStage(buf, p)) return 'RequestReceived';
  return isResponseStarted(buf, p) ? 'ResponseStarted' : undefined;
}

/** The closing quote of the level value starting at `p` (an escaped quote declines: the string would go on). */
function levelEnd(buf: Buffer, p: number): number {
  const q = buf.indexOf(34, p);
  return q < 0 || buf[q - 1] === 92 ? -1 : q;
}

/**
 * After the user object: returns the index of the `]` closing sourceIPs, or -1 to decline.
 * sourceIPs must follow the user (or impersonatedUser) object directly: the first `}` followed by
 * `,"` must be the one before `"sourceIPs":[` (a moved userAgent, objectRef or responseStatus would
 * be skipped otherwise). A `},"` cannot sit inside a JSON string, whose quotes are escaped.
 */
function afterUser(buf: Buffer, userStart: number, end: number, counted: boolean): number {
  // An escaped username (`system:anonymou\u0073`) decodes to another name: let the full parse decide.
  if (counted) {
    const q = plainStr(buf, userStart, end);
    if (q < 0 || !userRest(buf, q, end)) return -1;
  }
  for (let c = buf.indexOf(125, userStart); c >= 0 && c < end; c = buf.indexOf(125, c + 1)) {
    // In compact JSON a `}` is followed by `}`, `]` or `,`, and that `,` by `{` or a key. Anything else
    // is not JSON (or a `}` inside a string): decline rather than walk past a key hidden behind it.
    const n1 = buf[c + 1];
    if (n1 === 125 || n1 === 93) continue;
    if (n1 !== 44) return -1;
    const n2 = buf[c + 2];
    if (n2 === 123) continue;
    if (n2 !== 34) return -1;
    if (isSourceIps(buf, c + 2)) {
      const close = buf.indexOf(93, c + 2 + SOURCE_IPS_LEN);
      return close < 0 || close >= end ? -1 : close;
    }
    // impersonatedUser sits between user and sourceIPs; it only matters for counted stages.
    if (counted || !isImpersonated(buf, c + 2)) return -1;
  }
  return -1;
}

/**
 * After a counted line's objectRef resource (at `p`): its other members in kube-apiserver's order,
 * each a string, then its `}`. Returns the index of that `}`, or -1: a repeated `resource` (JSON.parse
 * keeps the last, which may name a binding) or any other member declines.
 */
function refRest(buf: Buffer, p: number, end: number): number {
  if (isNamespaceKey(buf, p)) p = skipString(buf, p + NAMESPACE_KEY_LEN, end);
  if (p >= 0 && isNameKey(buf, p)) p = skipString(buf, p + NAME_KEY_LEN, end);
  if (p >= 0 && isUidKey(buf, p)) p = skipString(buf, p + UID_KEY_LEN, end);
  if (p >= 0 && isApiGroupKey(buf, p)) p = skipString(buf, p + API_GROUP_KEY_LEN, end);
  if (p >= 0 && isApiVersionKey(buf, p)) p = skipString(buf, p + API_VERSION_KEY_LEN, end);
  if (p >= 0 && isResourceVersionKey(buf, p)) p = skipString(buf, p + RESOURCE_VERSION_KEY_LEN, end);
  if (p >= 0 && isSubresourceKey(buf, p)) p = skipString(buf, p + SUBRESOURCE_KEY_LEN, end);
  return p >= 0 && buf[p] === 125 ? p : -1;
}

/**
 * After a counted line's username (its closing quote at `q`): uid, groups and extra may follow, in
 * that order, then the user object's end. A repeated `username` (JSON.parse keeps the last one) or any
 * other member declines. Keys inside extra are a level down; a `},"` after it is the caller's check.
 */
function userRest(buf: Buffer, q: number, end: number): boolean {
  let p = q + 1;
  if (isUidKey(buf, p)) p = skipString(buf, p + UID_KEY_LEN, end);
  if (p >= 0 && isGroupsKey(buf, p)) {
    p = buf.indexOf(93, p + GROUPS_KEY_LEN);
    if (p < 0 || p >= end) return false;
    p++;
  }
  return p >= 0 && (buf[p] === 125 || isExtraKey(buf, p));
}

/** Skips userAgent and objectRef (`write`: a counted line whose verb may be a write); returns the position after them, or -1 to decline (binding writes included). */
function skipMiddle(buf: Buffer, p: number, end: number, counted: boolean, write: boolean): number {
  if (isUserAgent(buf, p)) {
    p = skipString(buf, p + USER_AGENT_LEN, end);
    if (p < 0) return -1;
  }
  if (isObjectRef(buf, p)) {
    const r = p + OBJECT_REF_LEN;
    if (counted && (isRolebindings(buf, r) || isClusterrolebindings(buf, r))) return -1;
    if (write) {
      // A counted write: a repeated `resource` could name a binding, so walk the members.
      const q = plainStr(buf, r, end);
      p = q < 0 ? -1 : refRest(buf, q + 1, end);
      return p < 0 ? -1 : p + 1;
    }
    if (counted && plainStr(buf, r, end) < 0) return -1;
    const close = buf.indexOf(125, r);
    if (close < 0 || close >= end) return -1;
    p = close + 1;
  }
  return p;
}

/**
 * True when position `c` lies directly inside the object whose `{` is at `o`: strings are skipped and
 * braces counted, so a `"code":` after the status object closed (a key hidden behind it) or inside one
 * of its nested objects declines.
 */
function statusMember(buf: Buffer, o: number, c: number, end: number): boolean {
  let depth = 0;
  for (let i = o; i < c; i++) {
    const ch = buf[i];
    if (ch === 34) {
      i = skipString(buf, i + 1, end) - 1;
      if (i < 0 || i >= c) return false;
    } else if (ch === 123) depth++;
    else if (ch === 125 && --depth <= 0) return false;
  }
  return depth === 1;
}

/** Checks responseStatus.code is an integer; returns the position after the code digits, or -1. */
function skipStatus(buf: Buffer, p: number, end: number): number {
  let c = p + RESPONSE_STATUS_LEN;
  if (!isCode(buf, c)) {
    c = buf.indexOf(CODE_KEY, c) - 1;
    // The `"code":` found must belong to the status object itself, not to a later top-level value.
    if (c < 0 || c >= end || !statusMember(buf, p + STATUS_OPEN, c, end)) return -1;
  }
  let i = c + CODE_LEN;
  const d0 = i;
  while (i < end && (buf[i] as number) >= 48 && (buf[i] as number) <= 57) i++;
  // Every 401 counts as unauthorized whatever the user and stage (SPEC §4): the full parse decides.
  if (i - d0 === 3 && buf[d0] === 52 && buf[d0 + 1] === 48 && buf[d0 + 2] === 49) return -1;
  // JSON has no leading zeros (`0401` fails JSON.parse): let the full parse reject it.
  if (buf[d0] === 48 && i - d0 > 1) return -1;
  return i > d0 && i - d0 < 10 && (buf[i] === 125 || buf[i] === 44) ? i : -1;
}

/**
 * Checks the objects between `p` (at `,"requestObject":` or `,"responseObject":`) and the
 * stageTimestamp key at `t`: each value is an object, requestReceivedTimestamp sits right before
 * `t`, and no counted key follows a `},` (in compact JSON a top-level key after an object does;
 * a nested key of the same name declines too, which is safe), nor whitespace. Single-byte searches only.
 */
function cleanObjects(buf: Buffer, p: number, t: number): boolean {
  const open = p + (isRequestObject(buf, p) ? REQUEST_OBJECT_LEN : RESPONSE_OBJECT_LEN);
  const rts = t - 29 - REQUEST_RECEIVED_LEN;
  if (buf[open] !== 123 || rts <= open || buf[rts - 1] !== 125 || !isRequestReceived(buf, rts) || !stringEndsAt(buf, rts + REQUEST_RECEIVED_LEN, t - 2)) return false;
  for (let c = buf.indexOf(125, open); c >= 0 && c < rts - 1; c = buf.indexOf(125, c + 1)) {
    // Whitespace after a `}` or its `,` is valid JSON that could hide a top-level key: decline.
    const n1 = buf[c + 1] as number;
    if (n1 <= 32) return false;
    if (n1 !== 44) continue;
    const n2 = buf[c + 2] as number;
    if (n2 <= 32) return false;
    if (n2 !== 34) continue;
    for (const k of COUNTED_KEYS) if (matchAt(buf, c + 2, k)) return false;
  }
  return true;
}

/**
 * True when the string whose content starts at `from` ends with the quote at `to`: a
 * requestReceivedTimestamp skipped by its length really ends where the next key starts (a quote in
 * it could close it early and open a key counting reads).
 */
function stringEndsAt(buf: Buffer, from: number, to: number): boolean {
  // The first quote from `from` must be the one at `to`, and not escaped (an escape elsewhere is harmless).
  return buf.indexOf(34, from) === to && buf[to - 1] !== 92;
}

/** True when the MicroTime at `q` has its separators in place (its digits are checked when parsed), so no quote hides in it. */
function canonicalSeparators(buf: Buffer, q: number): boolean {
  return buf[q + 4] === 45 && buf[q + 7] === 45 && buf[q + 10] === 84 && buf[q + 13] === 58 && buf[q + 16] === 58 && buf[q + 19] === 46 && buf[q + 26] === 90;
}

/**
 * Checks what follows the stageTimestamp string whose content starts at `q`: the event's end, or the
 * annotations object and then the event's end. The first `}` after the annotations' `{` must be the
 * one right before the line's last byte, with no `{` before it: a line cut right after the
 * annotations (ending with their `}`), a key after them and a nested object all decline, and so does a
 * `}` inside an annotation's string (safe). The next line starts with `{`, so the search stops there.
 */
function cleanTail(buf: Buffer, q: number, end: number): boolean {
  // A canonical MicroTime has its closing quote 27 bytes in; any other form is searched for.
  const p = q + 27 < end && buf[q + 27] === 34 && canonicalSeparators(buf, q) ? q + 27 : buf.indexOf(34, q);
  if (p < 0 || p >= end) return false;
  if (p + 2 === end) return true;
  if (!isAnnotations(buf, p + 1)) return false;
  const inside = p + 1 + ANNOTATIONS_LEN;
  if (buf.indexOf(125, inside) !== end - 2) return false;
  const brace = buf.indexOf(123, inside);
  return brace < 0 || brace > end - 2;
}

/**
 * Where the stageTimestamp key sits in a line with objects, found from the line's end: right before a
 * canonical time and `"}`, or before a time whose `Z"` is followed by the annotations (one single-byte
 * search back for the `Z`). Anything else takes the multi-byte search; the caller checks what it finds.
 */
function stageKeyFromEnd(buf: Buffer, p: number, end: number): number {
  // `"stageTimestamp":"` (18 bytes), the time (27), then `"}`: 47 bytes from the end.
  let t = buf[end - 2] === 34 ? end - 47 : -1;
  if (t < 0) {
    const z = buf.lastIndexOf(90 /* Z */, end);
    if (z > p && buf[z + 1] === 34 && isAnnotations(buf, z + 2)) t = z - 26 - STAGE_TS_KEY.length;
  }
  return t > p && isStageTimestamp(buf, t - 2) ? t : buf.lastIndexOf(STAGE_TS_KEY, end);
}

/** Reads stageTimestamp: directly after requestReceivedTimestamp when no objects intervene, else from the end. */
function readTime(buf: Buffer, p: number, end: number): number {
  if (isRequestReceived(buf, p)) {
    const s = p + REQUEST_RECEIVED_LEN + 27;
    if (!isStageTimestamp(buf, s) || !stringEndsAt(buf, p + REQUEST_RECEIVED_LEN, s) || !cleanTail(buf, s + STAGE_TIMESTAMP_LEN, end)) return NaN;
    return parseTimeBytes(buf, s + STAGE_TIMESTAMP_LEN, end);
  }
  if (!isRequestObject(buf, p) && !isResponseObject(buf, p)) return NaN;
  const t = stageKeyFromEnd(buf, p, end);
  if (t < p || !cleanObjects(buf, p, t) || !cleanTail(buf, t + STAGE_TS_KEY.length, end)) return NaN;
  return parseTimeBytes(buf, t + STAGE_TS_KEY.length, end);
}

/** Tries the fast path on `buf[start, end)`; fills `out` and returns true, or false to request a full parse. */
export function fastScan(buf: Buffer, start: number, end: number, out: FastResult): boolean {
  if (buf[end - 1] === 13) end--;
  if (buf[end - 1] !== 125 || !isPrefix(buf, start)) return false;
  let p = levelEnd(buf, start + PREFIX_LEN);
  if (p < 0 || p - start > 80 || !isAuditId(buf, p)) return false;
  p = skipString(buf, p + AUDIT_ID_LEN, end);
  if (p < 0 || !isStage(buf, p)) return false;
  p += STAGE_LEN;
  const stage = stageAt(buf, p);
  if (stage === undefined) return false;
  p += stage.length;
  if (!isRequestUri(buf, p)) return false;
  p = skipString(buf, p + REQUEST_URI_LEN, end);
  if (p < 0 || !isVerb(buf, p)) return false;
  // Only a write (create, update, patch, delete, deletecollection) can be a binding write; these
  // first letters also let through a few other verbs, which only costs the closer objectRef check.
  const v = buf[p + VERB_LEN];
  const write = v === 99 || v === 117 || v === 112 || v === 100;
  p = skipString(buf, p + VERB_LEN, end);
  if (p < 0 || !isUser(buf, p)) return false;
  const userStart = p + USER_LEN;
  const counted = stage !== 'RequestReceived';
  if (counted && isAnonymous(buf, userStart)) return false;
  p = afterUser(buf, userStart, end, counted);
  if (p < 0) return false;
  p = skipMiddle(buf, p + 1, end, counted, counted && write);
  if (p < 0) return false;
  if (isResponseStatus(buf, p)) {
    p = skipStatus(buf, p, end);
    if (p < 0) return false;
    if (buf[p] !== 125) return false;
    p++;
  }
  const timeMs = readTime(buf, p, end);
  if (Number.isNaN(timeMs)) return false;
  out.stage = stage;
  out.timeMs = timeMs;
  return true;
}
