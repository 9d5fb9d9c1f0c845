/**
 * The event the WebAssembly byte path (assembly/extract.ts) read, built from its record: the same
 * fields, decoded the same way, as the JavaScript byte path (bytepath.ts) returns for that line.
 */
import type { AuditEvent } from './event.js';
import type { ObjectRefLite } from './classify.js';
import { decode, PROBE_ID_PREFIX } from './bytepath.js';
import { matchAt } from './jsonbytes.js';
import type { WasmScanner } from './wasmscan.js';

/** Record slots (int32), as assembly/extract.ts writes them: a string is its start and end, -1 when absent. */
const FLAGS = 0, STAGE = 1, URI = 3, VERB = 5, AUDIT_ID = 7, USERNAME = 9, IMPERSONATED = 11, IP_COUNT = 13, IPS = 14;
const USER_AGENT = 30, RESOURCE = 32, SUBRESOURCE = 34, NAMESPACE = 36, NAME = 38, API_GROUP = 40, CODE = 42, REASON = 44;
const HAS_REF = 4, HAS_CODE = 16;

/** The string in `slot`, or undefined when the record has none. */
function text(mem: Buffer, r: Int32Array, slot: number): string | undefined {
  const s = r[slot] as number;
  return s < 0 ? undefined : decode(mem, s, r[slot + 1] as number);
}

function objectRef(mem: Buffer, r: Int32Array): ObjectRefLite {
  // Only the members present, as the JavaScript byte path builds it.
  const ref: ObjectRefLite = {};
  const resource = text(mem, r, RESOURCE), namespace = text(mem, r, NAMESPACE), name = text(mem, r, NAME);
  const apiGroup = text(mem, r, API_GROUP), subresource = text(mem, r, SUBRESOURCE);
  if (resource !== undefined) ref.resource = resource;
  if (namespace !== undefined) ref.namespace = namespace;
  if (name !== undefined) ref.name = name;
  if (apiGroup !== undefined) ref.apiGroup = apiGroup;
  if (subresource !== undefined) ref.subresource = subresource;
  return ref;
}

function sourceIPs(mem: Buffer, r: Int32Array): string[] | undefined {
  const n = r[IP_COUNT] as number;
  if (n < 0) return undefined;
  const ips: string[] = [];
  for (let i = 0; i < n; i++) ips.push(decode(mem, r[IPS + 2 * i] as number, r[IPS + 2 * i + 1] as number));
  return ips;
}

/** The auditID, decoded only when it may name one of this exporter's probes (nothing else reads it). */
function auditID(mem: Buffer, r: Int32Array): string | undefined {
  const s = r[AUDIT_ID] as number, e = r[AUDIT_ID + 1] as number;
  return e - s >= PROBE_ID_PREFIX.length && matchAt(mem, s, PROBE_ID_PREFIX) ? decode(mem, s, e) : undefined;
}

/** The event of the line the scanner last stopped at with SCAN_EXTRACTED. */
export function recordEvent(w: WasmScanner): AuditEvent {
  const mem = w.mem, r = w.record;
  const flags = r[FLAGS] as number;
  const username = text(mem, r, USERNAME);
  return {
    stage: text(mem, r, STAGE), timeMs: w.recordTime[0], verb: text(mem, r, VERB) as string, requestURI: text(mem, r, URI) as string,
    auditID: auditID(mem, r), userEmpty: username === undefined || username === '', username,
    impersonatedUsername: text(mem, r, IMPERSONATED), sourceIPs: sourceIPs(mem, r), userAgent: text(mem, r, USER_AGENT),
    objectRef: (flags & HAS_REF) !== 0 ? objectRef(mem, r) : undefined, code: (flags & HAS_CODE) !== 0 ? r[CODE] : undefined,
    requestObject: undefined, responseObject: undefined, reason: text(mem, r, REASON),
  };
}
