/**
 * Audit event lines for the generator, in kube-apiserver's native field order (the Event
 * struct's declaration order) and with Go's HTML-safe string escaping (`&` as `\u0026`).
 */

/** How a request shows up in the log. */
export type StagePlan = 'pair' | 'watch' | 'unauthenticated';

/** Everything needed to write the events of one request. */
export interface RequestSpec {
  level: 'Metadata' | 'Request' | 'RequestResponse';
  requestURI: string;
  verb: string;
  user: Record<string, unknown>;
  impersonatedUser?: Record<string, unknown>;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: Record<string, unknown>;
  responseStatus: Record<string, unknown>;
  requestObject?: unknown;
  responseObject?: unknown;
  annotations?: Record<string, string>;
  plan: StagePlan;
  /** Time from arrival to the final stage, in microseconds. */
  latencyUs: number;
}

/** A successful `metav1.Status` as the audit log records it. */
export const ok = (code = 200): Record<string, unknown> => ({ metadata: {}, code });

/** A failed `metav1.Status` (403, 401, 404, 409...). */
export function failure(code: number, reason: string, message?: string, details?: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = { metadata: {}, status: 'Failure' };
  if (message !== undefined) s.message = message;
  s.reason = reason;
  if (details !== undefined) s.details = details;
  s.code = code;
  return s;
}

/** Authorization annotations (Go marshals map keys sorted; `extra` may add more keys). */
export function authz(decision: 'allow' | 'forbid', reason: string, extra?: Record<string, string>): Record<string, string> {
  const all: Record<string, string> = { 'authorization.k8s.io/decision': decision, 'authorization.k8s.io/reason': reason, ...extra };
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(all).sort()) sorted[k] = all[k] as string;
  return sorted;
}

const GO_ESCAPES: Record<string, string> = { '&': '\\u0026', '<': '\\u003c', '>': '\\u003e' };

/** Writes one event line (without newline) for `stage`, with times in epoch microseconds formatted by `fmt`. */
export function eventLine(spec: RequestSpec, auditID: string, stage: string, receivedUs: number, stageUs: number, fmt: (us: number) => string): string {
  const e: Record<string, unknown> = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: spec.level, auditID, stage,
    requestURI: spec.requestURI, verb: spec.verb, user: spec.user,
  };
  if (spec.impersonatedUser) e.impersonatedUser = spec.impersonatedUser;
  e.sourceIPs = spec.sourceIPs;
  if (spec.userAgent !== undefined) e.userAgent = spec.userAgent;
  if (spec.objectRef) e.objectRef = spec.objectRef;
  const received = stage === 'RequestReceived';
  if (!received) e.responseStatus = spec.responseStatus;
  const final = stage === 'ResponseComplete' || stage === 'Panic';
  if (final && spec.requestObject !== undefined) e.requestObject = spec.requestObject;
  if (final && spec.responseObject !== undefined) e.responseObject = spec.responseObject;
  e.requestReceivedTimestamp = fmt(receivedUs);
  e.stageTimestamp = fmt(stageUs);
  if (!received && spec.annotations) e.annotations = spec.annotations;
  return JSON.stringify(e).replace(/[&<>]/g, (c) => GO_ESCAPES[c] as string);
}

/** Something scheduled at a stage time; `seq` keeps equal times in creation order. */
export interface Scheduled { us: number; seq: number }

/** A binary min-heap of scheduled events ordered by time then sequence. */
export class LineHeap<T extends Scheduled> {
  private readonly a: T[] = [];

  /** Number of pending entries. */
  get size(): number { return this.a.length; }

  /** The earliest pending entry's time, or Infinity. */
  peekUs(): number { return this.a.length ? (this.a[0] as T).us : Infinity; }

  /** Adds an entry. */
  push(x: T): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < a.length && less(a[l] as T, a[m] as T)) m = l;
      if (r < a.length && less(a[r] as T, a[m] as T)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as T, a[i] as T];
      i = m;
    }
    return top;
  }
}

const less = (x: Scheduled, y: Scheduled): boolean => x.us < y.us || (x.us === y.us && x.seq < y.seq);
