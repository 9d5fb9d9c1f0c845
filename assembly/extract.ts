/**
 * The byte path for lines in kube-apiserver's native field order, in WebAssembly: a line the fast
 * path declines (anonymous, impersonated and 401 requests, mostly) is read against a strict grammar:
 * the native order of every member, compact JSON, no escape in a string counting decodes, strings
 * (or arrays and objects of strings) wherever kube-apiserver writes them, a canonical
 * stageTimestamp, no request or response object. What counting reads is recorded as byte
 * ranges (see RECORD in src/audit/wasmscan.ts); anything else declines to the JavaScript byte path.
 */
import { at, plainStr, parseTime, skipStr } from './bytes';
import {
  AUDIT_ID_LEN, isAuditId, isKeyAnnotations, isKeyApiGroup, isKeyApiVersion, isKeyCode, isKeyDetails, isKeyExtra, isKeyGroups,
  isKeyImpersonatedObject, isKeyMessage, isKeyMetadata, isKeyName, isKeyNamespace, isKeyObjectRefObject, isKeyReason,
  isKeyRequestReceived, isKeyResource, isKeyResourceVersion, isKeyResponseStatusObject, isKeyStatus, isKeySubresource, isKeyUid,
  isKeyUserAgent, isKeyUserObject, isKeyUsername, isPrefix, isRequestUri, isSourceIps, isStage, isStageTsKey, isVerb,
  KEY_ANNOTATIONS_LEN, KEY_API_GROUP_LEN, KEY_API_VERSION_LEN, KEY_CODE_LEN, KEY_DETAILS_LEN, KEY_EXTRA_LEN, KEY_GROUPS_LEN,
  KEY_IMPERSONATED_OBJECT_LEN, KEY_MESSAGE_LEN, KEY_METADATA_LEN, KEY_NAME_LEN, KEY_NAMESPACE_LEN, KEY_OBJECT_REF_OBJECT_LEN,
  KEY_REASON_LEN, KEY_REQUEST_RECEIVED_LEN, KEY_RESOURCE_LEN, KEY_RESOURCE_VERSION_LEN, KEY_RESPONSE_STATUS_OBJECT_LEN,
  KEY_STATUS_LEN, KEY_SUBRESOURCE_LEN, KEY_UID_LEN, KEY_USER_AGENT_LEN, KEY_USER_OBJECT_LEN, KEY_USERNAME_LEN, PREFIX_LEN,
  REQUEST_URI_LEN, SOURCE_IPS_LEN, STAGE_LEN, STAGE_TS_KEY_LEN, VERB_LEN,
} from './literals';

/** The record: int32 slots (a string is its start and end, -1 when absent), then the time (float64). */
const RECORD: i32 = 2560;
const FLAGS: i32 = 0;
const STAGE: i32 = 1;
const URI: i32 = 3;
const VERB: i32 = 5;
const AUDIT_ID: i32 = 7;
const USERNAME: i32 = 9;
const IMPERSONATED: i32 = 11;
const IP_COUNT: i32 = 13;
const IPS: i32 = 14;
const MAX_IPS: i32 = 8;
const USER_AGENT: i32 = 30;
const RESOURCE: i32 = 32;
const SUBRESOURCE: i32 = 34;
const NAMESPACE: i32 = 36;
const NAME: i32 = 38;
const API_GROUP: i32 = 40;
const CODE: i32 = 42;
const REASON: i32 = 44;
const TIME: i32 = RECORD + 48 * 4;
/** FLAGS bits: the user object, impersonatedUser, objectRef, responseStatus and its code are present. */
const HAS_USER: i32 = 1, HAS_IMPERSONATED: i32 = 2, HAS_REF: i32 = 4, HAS_STATUS: i32 = 8, HAS_CODE: i32 = 16;

// @ts-ignore: decorator
@inline function put(slot: i32, v: i32): void { store<i32>(<usize>(RECORD + slot * 4), v); }

/** Where the next member's key starts after `p`: at `p` for the first member, after a comma for the others; -1 when none follows. */
// @ts-ignore: decorator
@inline function keyAt(p: i32, first: bool): i32 { return first ? p : at(p) == 44 ? p + 1 : -1; }

/**
 * The string whose content starts at `p`: recorded in `slot` when it has no escape (counting decodes
 * it; an escape declines), else (`slot` -1) only validated, escapes allowed. Returns the index after
 * its closing quote, or -1.
 */
function str(p: i32, end: i32, slot: i32): i32 {
  if (slot < 0) return skipStr(p, end);
  const q = plainStr(p, end);
  if (q < 0) return -1;
  put(slot, p);
  put(slot + 1, q);
  return q + 1;
}

/** An array of strings starting after its `[`; when `slot` ≥ 0, plain ones, the first MAX_IPS recorded from `slot`. Returns the index after `]`, or -1. */
function strings(p: i32, end: i32, slot: i32): i32 {
  let n = 0;
  let more = at(p) != 93;
  while (more) {
    if (at(p) != 34 || (slot >= 0 && n == MAX_IPS)) return -1;
    p = str(p + 1, end, slot >= 0 ? slot + 2 * n : -1);
    if (p < 0) return -1;
    n++;
    more = at(p) == 44;
    if (more) p++;
    else if (at(p) != 93) return -1;
  }
  if (slot >= 0) put(IP_COUNT, n);
  return p + 1;
}

/** An object starting after its `{` whose values are all strings (`arrays`: all arrays of strings). Returns the index after `}`, or -1. */
function flat(p: i32, end: i32, arrays: bool): i32 {
  if (at(p) == 125) return p + 1;
  while (at(p) == 34) {
    const k = skipStr(p + 1, end);
    if (k < 0 || at(k) != 58) return -1;
    p = arrays ? (at(k + 1) == 91 ? strings(k + 2, end, -1) : -1) : (at(k + 1) == 34 ? str(k + 2, end, -1) : -1);
    if (p < 0) return -1;
    if (at(p) == 125) return p + 1;
    if (at(p) != 44) return -1;
    p++;
  }
  return -1;
}

/** A user object after its `{`: username, uid, groups, extra, each optional, in that order. Returns the index after `}`, or -1. */
function user(p: i32, end: i32, slot: i32): i32 {
  let first = true;
  let k = p;
  if (isKeyUsername(k)) { p = str(k + KEY_USERNAME_LEN, end, slot); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyUid(k)) { p = str(k + KEY_UID_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyGroups(k)) { p = strings(k + KEY_GROUPS_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyExtra(k)) { p = flat(k + KEY_EXTRA_LEN, end, true); if (p < 0) return -1; }
  return at(p) == 125 ? p + 1 : -1;
}

/** An objectRef after its `{`, members in kube-apiserver's order, each an optional plain string. */
function objectRef(p: i32, end: i32): i32 {
  let first = true;
  let k = p;
  if (isKeyResource(k)) { p = str(k + KEY_RESOURCE_LEN, end, RESOURCE); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyNamespace(k)) { p = str(k + KEY_NAMESPACE_LEN, end, NAMESPACE); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyName(k)) { p = str(k + KEY_NAME_LEN, end, NAME); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyUid(k)) { p = str(k + KEY_UID_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyApiGroup(k)) { p = str(k + KEY_API_GROUP_LEN, end, API_GROUP); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyApiVersion(k)) { p = str(k + KEY_API_VERSION_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyResourceVersion(k)) { p = str(k + KEY_RESOURCE_VERSION_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeySubresource(k)) { p = str(k + KEY_SUBRESOURCE_LEN, end, SUBRESOURCE); if (p < 0) return -1; }
  return at(p) == 125 ? p + 1 : -1;
}

/** A JSON integer in plain digits (at most 9) starting at `p`, recorded as the code; returns the index after it, or -1. */
function code(p: i32, end: i32): i32 {
  const neg = at(p) == 45;
  if (neg) p++;
  const d0 = p;
  let v = 0;
  while (p < end && at(p) >= 48 && at(p) <= 57) { v = v * 10 + at(p) - 48; p++; }
  const n = p - d0;
  if (n == 0 || n > 9 || (at(d0) == 48 && n > 1)) return -1;
  put(CODE, neg ? -v : v);
  return p;
}

/** A responseStatus after its `{`: metadata `{}`, status, message, reason, details (string members only), code, each optional, in that order. */
function responseStatus(p: i32, end: i32): i32 {
  let first = true;
  let k = p;
  if (isKeyMetadata(k)) { p = k + KEY_METADATA_LEN; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyStatus(k)) { p = str(k + KEY_STATUS_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyMessage(k)) { p = str(k + KEY_MESSAGE_LEN, end, -1); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyReason(k)) { p = str(k + KEY_REASON_LEN, end, REASON); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyDetails(k)) { p = flat(k + KEY_DETAILS_LEN, end, false); if (p < 0) return -1; first = false; k = keyAt(p, first); }
  if (k >= 0 && isKeyCode(k)) {
    p = code(k + KEY_CODE_LEN, end);
    if (p < 0) return -1;
    put(FLAGS, load<i32>(<usize>RECORD) | HAS_CODE);
  }
  return at(p) == 125 ? p + 1 : -1;
}

/** The members after the verb, up to and including stageTimestamp; returns the index after its closing quote, or -1. */
function middle(p: i32, end: i32): i32 {
  if (at(p) == 44 && isKeyUserObject(p + 1)) {
    p = user(p + 1 + KEY_USER_OBJECT_LEN, end, USERNAME);
    if (p < 0) return -1;
    put(FLAGS, load<i32>(<usize>RECORD) | HAS_USER);
  }
  if (at(p) == 44 && isKeyImpersonatedObject(p + 1)) {
    p = user(p + 1 + KEY_IMPERSONATED_OBJECT_LEN, end, IMPERSONATED);
    if (p < 0) return -1;
    put(FLAGS, load<i32>(<usize>RECORD) | HAS_IMPERSONATED);
  }
  if (at(p) == 44 && isSourceIps(p + 1)) { p = strings(p + 1 + SOURCE_IPS_LEN, end, IPS); if (p < 0) return -1; }
  if (at(p) == 44 && isKeyUserAgent(p + 1)) { p = str(p + 1 + KEY_USER_AGENT_LEN, end, USER_AGENT); if (p < 0) return -1; }
  if (at(p) == 44 && isKeyObjectRefObject(p + 1)) {
    p = objectRef(p + 1 + KEY_OBJECT_REF_OBJECT_LEN, end);
    if (p < 0) return -1;
    put(FLAGS, load<i32>(<usize>RECORD) | HAS_REF);
  }
  if (at(p) == 44 && isKeyResponseStatusObject(p + 1)) {
    p = responseStatus(p + 1 + KEY_RESPONSE_STATUS_OBJECT_LEN, end);
    if (p < 0) return -1;
    put(FLAGS, load<i32>(<usize>RECORD) | HAS_STATUS);
  }
  if (at(p) == 44 && isKeyRequestReceived(p + 1)) { p = str(p + 1 + KEY_REQUEST_RECEIVED_LEN, end, -1); if (p < 0) return -1; }
  if (at(p) != 44 || !isStageTsKey(p + 1)) return -1;
  const ts = p + 1 + STAGE_TS_KEY_LEN;
  const q = plainStr(ts, end);
  if (q < 0) return -1;
  const t = parseTime(ts, q + 1);
  if (isNaN(t)) return -1;
  store<f64>(<usize>TIME, t);
  return q + 1;
}

/** Clears the record's optional slots. */
function clear(): void {
  put(FLAGS, 0);
  for (let s = USERNAME; s < IPS; s++) put(s, -1);
  for (let s = USER_AGENT; s < TIME / 4 - RECORD / 4; s++) put(s, -1);
}

/** Reads the line `[start, end)` into the record; false to decline. */
export function extract(start: i32, end: i32): bool {
  if (at(end - 1) == 13) end--;
  if (at(end - 1) != 125 || !isPrefix(start)) return false;
  clear();
  let q = plainStr(start + PREFIX_LEN, end);
  if (q < 0 || !isAuditId(q)) return false;
  let p = str(q + AUDIT_ID_LEN, end, AUDIT_ID);
  if (p < 0 || !isStage(p)) return false;
  p = str(p + STAGE_LEN, end, STAGE);
  if (p < 0 || !isRequestUri(p - 1)) return false;
  p = str(p - 1 + REQUEST_URI_LEN, end, URI);
  if (p < 0 || !isVerb(p)) return false;
  p = str(p + VERB_LEN, end, VERB);
  if (p < 0) return false;
  p = middle(p, end);
  if (p < 0) return false;
  if (at(p) == 44 && isKeyAnnotations(p + 1)) { p = flat(p + 1 + KEY_ANNOTATIONS_LEN, end, false); if (p < 0) return false; }
  return at(p) == 125 && p + 1 == end;
}

/** Where the record starts. */
export function recordStart(): i32 { return RECORD; }

/** Where the record's time starts (after its int32 slots). */
export function recordTimeStart(): i32 { return TIME; }
