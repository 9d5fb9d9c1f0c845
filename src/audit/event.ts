/** Full-parse path: validating a decoded audit event into the fields counting needs. */
import type { ObjectRefLite } from './classify.js';
import { parseTimeMs } from './time.js';

/** The fields of one audit event that counting and reporting use. */
export interface AuditEvent {
  stage: string | undefined;
  timeMs: number | undefined;
  verb: string;
  requestURI: string;
  auditID: string | undefined;
  userEmpty: boolean;
  username: string | undefined;
  impersonatedUsername: string | undefined;
  sourceIPs: unknown[] | undefined;
  userAgent: string | undefined;
  objectRef: ObjectRefLite | undefined;
  code: number | undefined;
  requestObject: unknown;
  responseObject: unknown;
  reason: string | undefined;
}

/** Why a line was skipped; the bounded `reason` label values. */
export type SkipReason = 'invalid_json' | 'not_audit_event' | 'too_long' | 'invalid_field';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function objectRefOf(v: unknown): ObjectRefLite | undefined {
  if (!isObj(v)) return undefined;
  return {
    resource: optStr(v.resource), subresource: optStr(v.subresource), namespace: optStr(v.namespace),
    name: optStr(v.name), apiGroup: optStr(v.apiGroup),
  };
}

function timeOf(o: Record<string, unknown>): number | undefined {
  const t = typeof o.stageTimestamp === 'string' ? o.stageTimestamp : typeof o.timestamp === 'string' ? o.timestamp : undefined;
  if (t === undefined) return undefined;
  const ms = parseTimeMs(t);
  return Number.isFinite(ms) ? ms : undefined;
}

function badTypes(o: Record<string, unknown>): boolean {
  for (const k of ['stage', 'verb', 'requestURI'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') return true;
  if (o.user !== undefined && !isObj(o.user)) return true;
  if (o.sourceIPs !== undefined && !Array.isArray(o.sourceIPs)) return true;
  if (o.responseStatus !== undefined) {
    if (!isObj(o.responseStatus)) return true;
    const c = o.responseStatus.code;
    if (c !== undefined && (typeof c !== 'number' || !Number.isInteger(c))) return true;
  }
  return false;
}

/** Decodes and validates one line; returns the event or the reason to skip it. */
export function decodeEvent(text: string): AuditEvent | SkipReason {
  let o: unknown;
  try { o = JSON.parse(text); } catch { return 'invalid_json'; }
  return eventFromObject(o);
}

/** Validates one already-parsed JSON value (a line, or an item of an EventList) as an audit event. */
export function eventFromObject(o: unknown): AuditEvent | SkipReason {
  if (!isObj(o) || o.kind !== 'Event') return 'not_audit_event';
  if (badTypes(o)) return 'invalid_field';
  const user = (o.user ?? {}) as Record<string, unknown>;
  const imp = isObj(o.impersonatedUser) ? o.impersonatedUser : undefined;
  const rs = o.responseStatus as Record<string, unknown> | undefined;
  return {
    stage: o.stage as string | undefined,
    timeMs: timeOf(o),
    verb: (o.verb as string | undefined) ?? '',
    requestURI: (o.requestURI as string | undefined) ?? '',
    auditID: optStr(o.auditID),
    userEmpty: optStr(user.username) === undefined || user.username === '',
    username: optStr(user.username),
    impersonatedUsername: imp ? optStr(imp.username) : undefined,
    sourceIPs: o.sourceIPs as unknown[] | undefined,
    userAgent: optStr(o.userAgent),
    objectRef: objectRefOf(o.objectRef),
    code: rs?.code as number | undefined,
    requestObject: o.requestObject,
    responseObject: o.responseObject,
    reason: rs ? optStr(rs.reason) : undefined,
  };
}
