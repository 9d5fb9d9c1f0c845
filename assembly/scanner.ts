/**
 * The fast path of src/audit/fastpath.ts compiled to WebAssembly, run over a block of whole lines:
 * it takes every line the JavaScript fast path takes by the same checks, in the same order, and stops
 * at each line it declines so the caller counts that one with the byte path or the full parse.
 * Accepted lines leave their stage and stageTimestamp in the output arrays, in file order.
 * Build: `npm run wasm` (this file and the generated literals.ts → src/audit/scanner-wasm.ts).
 */
import { at, find, findBack, skipString, plainStr, stringEndsAt, parseTime } from './bytes';
import { extract } from './extract';
export { recordStart, recordTimeStart } from './extract';
import {
  ANNOTATIONS_LEN, API_GROUP_KEY_LEN, API_VERSION_KEY_LEN, AUDIT_ID_LEN, CODE_LEN, GROUPS_KEY_LEN, isAnnotations, isAnonymous,
  isApiGroupKey, isApiVersionKey, isAuditId, isClusterrolebindings, isCode, isCodeKey, isCountedKey, isExtraKey, isGroupsKey,
  isImpersonated, isNameKey, isNamespaceKey, isObjectRef, isPanic, isPrefix, isRequestObject, isRequestReceived,
  isRequestReceivedStage, isRequestUri, isResourceVersionKey, isResponseComplete, isResponseObject, isResponseStarted,
  isResponseStatus, isRolebindings, isSourceIps, isStage, isStageTimestamp, isStageTsKey, isSubresourceKey, isUidKey, isUser,
  isUserAgent, isVerb, NAME_KEY_LEN, NAMESPACE_KEY_LEN, OBJECT_REF_LEN, PREFIX_LEN, REQUEST_OBJECT_LEN, REQUEST_RECEIVED_LEN,
  REQUEST_URI_LEN, RESOURCE_VERSION_KEY_LEN, RESPONSE_OBJECT_LEN, RESPONSE_STATUS_LEN, SOURCE_IPS_LEN, STAGE_LEN,
  STAGE_TIMESTAMP_LEN, STAGE_TS_KEY_LEN, SUBRESOURCE_KEY_LEN, UID_KEY_LEN, USER_AGENT_LEN, USER_LEN, VERB_LEN,
} from './literals';

/** Memory layout, shared with src/audit/wasmscan.ts: state words, output arrays, then two input areas. */
const STATE: i32 = 2048;
const TIMES: i32 = 4096;
const CAPACITY: i32 = 4096;
const STAGES: i32 = TIMES + CAPACITY * 8;
const INPUT: i32 = 65536;
const STATUS_OPEN: i32 = 18;


/** The stage at `p` as its index (RequestReceived 0, ResponseStarted 1, ResponseComplete 2, Panic 3), or -1. */
function stageAt(p: i32): i32 {
  const c = at(p);
  if (c == 80) return isPanic(p) ? 3 : -1;
  if (c != 82) return -1;
  if (isResponseComplete(p)) return 2;
  if (isRequestReceivedStage(p)) return 0;
  return isResponseStarted(p) ? 1 : -1;
}

const STAGE_LENGTHS: StaticArray<i32> = [15, 15, 16, 5];

/** After a counted line's username (its closing quote at `q`): uid, groups and extra in that order, then the object's end. */
function userRest(q: i32, end: i32): bool {
  let p = q + 1;
  if (isUidKey(p)) p = skipString(p + UID_KEY_LEN, end);
  if (p >= 0 && isGroupsKey(p)) {
    p = find(p + GROUPS_KEY_LEN, end, 93);
    if (p < 0) return false;
    p++;
  }
  return p >= 0 && (at(p) == 125 || isExtraKey(p));
}

/** After the user object: the index of the `]` closing sourceIPs, or -1 to decline. */
function afterUser(userStart: i32, end: i32, counted: bool): i32 {
  if (counted) {
    const q = plainStr(userStart, end);
    if (q < 0 || !userRest(q, end)) return -1;
  }
  for (let c = find(userStart, end, 125); c >= 0; c = find(c + 1, end, 125)) {
    const n1 = at(c + 1);
    if (n1 == 125 || n1 == 93) continue;
    if (n1 != 44) return -1;
    const n2 = at(c + 2);
    if (n2 == 123) continue;
    if (n2 != 34) return -1;
    if (isSourceIps(c + 2)) return find(c + 2 + SOURCE_IPS_LEN, end, 93);
    if (counted || !isImpersonated(c + 2)) return -1;
  }
  return -1;
}

/** After a counted write's objectRef resource (at `p`): its other members in kube-apiserver's order, then its `}`. */
function refRest(p: i32, end: i32): i32 {
  if (isNamespaceKey(p)) p = skipString(p + NAMESPACE_KEY_LEN, end);
  if (p >= 0 && isNameKey(p)) p = skipString(p + NAME_KEY_LEN, end);
  if (p >= 0 && isUidKey(p)) p = skipString(p + UID_KEY_LEN, end);
  if (p >= 0 && isApiGroupKey(p)) p = skipString(p + API_GROUP_KEY_LEN, end);
  if (p >= 0 && isApiVersionKey(p)) p = skipString(p + API_VERSION_KEY_LEN, end);
  if (p >= 0 && isResourceVersionKey(p)) p = skipString(p + RESOURCE_VERSION_KEY_LEN, end);
  if (p >= 0 && isSubresourceKey(p)) p = skipString(p + SUBRESOURCE_KEY_LEN, end);
  return p >= 0 && at(p) == 125 ? p : -1;
}

/** Skips userAgent and objectRef; returns the position after them, or -1 to decline. */
function skipMiddle(p: i32, end: i32, counted: bool, write: bool): i32 {
  if (isUserAgent(p)) {
    p = skipString(p + USER_AGENT_LEN, end);
    if (p < 0) return -1;
  }
  if (isObjectRef(p)) {
    const r = p + OBJECT_REF_LEN;
    if (counted && (isRolebindings(r) || isClusterrolebindings(r))) return -1;
    if (write) {
      const q = plainStr(r, end);
      p = q < 0 ? -1 : refRest(q + 1, end);
      return p < 0 ? -1 : p + 1;
    }
    if (counted && plainStr(r, end) < 0) return -1;
    const close = find(r, end, 125);
    if (close < 0) return -1;
    p = close + 1;
  }
  return p;
}

/** True when `c` lies directly inside the object whose `{` is at `o`. */
function statusMember(o: i32, c: i32, end: i32): bool {
  let depth = 0;
  for (let i = o; i < c; i++) {
    const ch = at(i);
    if (ch == 34) {
      i = skipString(i + 1, end) - 1;
      if (i < 0 || i >= c) return false;
    } else if (ch == 123) depth++;
    else if (ch == 125 && --depth <= 0) return false;
  }
  return depth == 1;
}

/** The first `"code":` at or after `p` and before `end`, or -1. */
function findCodeKey(p: i32, end: i32): i32 {
  for (let q = find(p, end, 34); q >= 0; q = find(q + 1, end, 34)) if (isCodeKey(q)) return q;
  return -1;
}

/** Checks responseStatus.code is an integer other than 401; returns the position after its digits, or -1. */
function skipStatus(p: i32, end: i32): i32 {
  let c = p + RESPONSE_STATUS_LEN;
  if (!isCode(c)) {
    c = findCodeKey(c, end) - 1;
    if (c < 0 || !statusMember(p + STATUS_OPEN, c, end)) return -1;
  }
  let i = c + CODE_LEN;
  const d0 = i;
  while (i < end && at(i) >= 48 && at(i) <= 57) i++;
  if (i - d0 == 3 && at(d0) == 52 && at(d0 + 1) == 48 && at(d0 + 2) == 49) return -1;
  if (at(d0) == 48 && i - d0 > 1) return -1;
  return i > d0 && i - d0 < 10 && (at(i) == 125 || at(i) == 44) ? i : -1;
}

/** Checks the objects between `p` and the stageTimestamp key at `t` (see cleanObjects in fastpath.ts). */
function cleanObjects(p: i32, t: i32): bool {
  const open = p + (isRequestObject(p) ? REQUEST_OBJECT_LEN : RESPONSE_OBJECT_LEN);
  const rts = t - 29 - REQUEST_RECEIVED_LEN;
  if (at(open) != 123 || rts <= open || at(rts - 1) != 125 || !isRequestReceived(rts) || !stringEndsAt(rts + REQUEST_RECEIVED_LEN, t - 2)) return false;
  for (let c = find(open, rts - 1, 125); c >= 0; c = find(c + 1, rts - 1, 125)) {
    const n1 = at(c + 1);
    if (n1 <= 32) return false;
    if (n1 != 44) continue;
    const n2 = at(c + 2);
    if (n2 <= 32) return false;
    if (n2 != 34) continue;
    if (isCountedKey(c + 2)) return false;
  }
  return true;
}

/** True when the MicroTime at `q` has its separators in place. */
function canonicalSeparators(q: i32): bool {
  return at(q + 4) == 45 && at(q + 7) == 45 && at(q + 10) == 84 && at(q + 13) == 58 && at(q + 16) == 58 && at(q + 19) == 46 && at(q + 26) == 90;
}

/** Checks what follows the stageTimestamp string whose content starts at `q`: the event's end, or the annotations and the end. */
function cleanTail(q: i32, end: i32): bool {
  const p = q + 27 < end && at(q + 27) == 34 && canonicalSeparators(q) ? q + 27 : find(q, end, 34);
  if (p < 0) return false;
  if (p + 2 == end) return true;
  if (!isAnnotations(p + 1)) return false;
  const inside = p + 1 + ANNOTATIONS_LEN;
  if (find(inside, end, 125) != end - 2) return false;
  return find(inside, end - 1, 123) < 0;
}

/** The last `"stageTimestamp":"` starting in `[p, end)`, or -1. */
function lastStageKey(p: i32, end: i32): i32 {
  for (let q = findBack(p, end, 34); q >= 0; q = findBack(p, q, 34)) if (isStageTsKey(q)) return q;
  return -1;
}

/** Where the stageTimestamp key sits in a line with objects, found from the line's end. */
function stageKeyFromEnd(p: i32, end: i32): i32 {
  let t = at(end - 2) == 34 ? end - 47 : -1;
  if (t < 0) {
    const z = findBack(p + 1, end, 90);
    if (z > p && at(z + 1) == 34 && isAnnotations(z + 2)) t = z - 26 - STAGE_TS_KEY_LEN;
  }
  return t > p && isStageTimestamp(t - 2) ? t : lastStageKey(p, end);
}

/** Reads stageTimestamp: directly after requestReceivedTimestamp when no objects intervene, else from the end. */
function readTime(p: i32, end: i32): f64 {
  if (isRequestReceived(p)) {
    const s = p + REQUEST_RECEIVED_LEN + 27;
    if (!isStageTimestamp(s) || !stringEndsAt(p + REQUEST_RECEIVED_LEN, s) || !cleanTail(s + STAGE_TIMESTAMP_LEN, end)) return NaN;
    return parseTime(s + STAGE_TIMESTAMP_LEN, end);
  }
  if (!isRequestObject(p) && !isResponseObject(p)) return NaN;
  const t = stageKeyFromEnd(p, end);
  if (t < p || !cleanObjects(p, t) || !cleanTail(t + STAGE_TS_KEY_LEN, end)) return NaN;
  return parseTime(t + STAGE_TS_KEY_LEN, end);
}

/** The line `[start, end)` through the fast path: its stage index, with its time stored at `TIMES + 8 * n`; -1 to decline. */
function fastScan(start: i32, end: i32, n: i32): i32 {
  if (at(end - 1) == 13) end--;
  if (at(end - 1) != 125 || !isPrefix(start)) return -1;
  let p = find(start + PREFIX_LEN, end, 34);
  if (p < 0 || at(p - 1) == 92 || p - start > 80 || !isAuditId(p)) return -1;
  p = skipString(p + AUDIT_ID_LEN, end);
  if (p < 0 || !isStage(p)) return -1;
  p += STAGE_LEN;
  const stage = stageAt(p);
  if (stage < 0) return -1;
  p += unchecked(STAGE_LENGTHS[stage]);
  if (!isRequestUri(p)) return -1;
  p = skipString(p + REQUEST_URI_LEN, end);
  if (p < 0 || !isVerb(p)) return -1;
  const v = at(p + VERB_LEN);
  const write = v == 99 || v == 117 || v == 112 || v == 100;
  p = skipString(p + VERB_LEN, end);
  if (p < 0 || !isUser(p)) return -1;
  const userStart = p + USER_LEN;
  const counted = stage != 0;
  if (counted && isAnonymous(userStart)) return -1;
  p = afterUser(userStart, end, counted);
  if (p < 0) return -1;
  p = skipMiddle(p + 1, end, counted, counted && write);
  if (p < 0) return -1;
  if (isResponseStatus(p)) {
    p = skipStatus(p, end);
    if (p < 0 || at(p) != 125) return -1;
    p++;
  }
  const t = readTime(p, end);
  if (isNaN(t)) return -1;
  store<f64>(<usize>(TIMES + n * 8), t);
  return stage;
}

/** Where the input area starts. */
export function inputStart(): i32 { return INPUT; }
/** How many bytes each of the two input areas holds (the memory's last 64 KiB stay free for reads past a line's end). */
export function inputCapacity(): i32 { return (memory.size() * 65536 - INPUT - 65536) / 2; }
/** How many accepted lines the output arrays hold. */
export function capacity(): i32 { return CAPACITY; }
/** Where the state words start: accepted count, declined line start, its end, the next line's start. */
export function stateStart(): i32 { return STATE; }
/** Where the accepted lines' times start (float64 each). */
export function timesStart(): i32 { return TIMES; }
/** Where the accepted lines' stage indexes start (one byte each). */
export function stagesStart(): i32 { return STAGES; }

/**
 * Scans the whole lines of `[p, end)` (`end - 1` is a newline). Returns 0 when every line was
 * accepted, 1 at a declined line (or one longer than `maxLine`), 2 when the output arrays are full,
 * 3 at a line the fast path declined and `extract` read into the record.
 */
export function scan(p: i32, end: i32, maxLine: i32): i32 {
  let n = 0;
  while (p < end) {
    if (n == CAPACITY) { store<i32>(STATE, n); store<i32>(STATE + 12, p); return 2; }
    const nl = find(p, end, 10);
    const e = nl < 0 ? end : nl;
    const long = e - p > maxLine;
    const stage = long ? -1 : fastScan(p, e, n);
    if (stage < 0) {
      store<i32>(STATE, n);
      store<i32>(STATE + 4, p);
      store<i32>(STATE + 8, e);
      store<i32>(STATE + 12, e + 1);
      return !long && extract(p, e) ? 3 : 1;
    }
    store<u8>(<usize>(STAGES + n), <u8>stage);
    n++;
    p = e + 1;
  }
  store<i32>(STATE, n);
  store<i32>(STATE + 12, p);
  return 0;
}
