/** Builds audit.k8s.io/v1 event lines in kube-apiserver's native field order (demo, tests, benchmarks). */
import { formatMicro } from '../audit/time.js';

/** The inputs of one synthetic event; omitted fields are omitted from the line, as the API server does. */
export interface EventSpec {
  stage: 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';
  uri: string;
  verb: string;
  user?: { username?: string; groups?: string[]; uid?: string };
  impersonatedUser?: { username: string; groups?: string[] };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: { resource: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string; subresource?: string };
  code?: number;
  level?: 'Metadata' | 'Request' | 'RequestResponse';
  auditID?: string;
  requestObject?: unknown;
  responseObject?: unknown;
  timeMs: number;
  reason?: string;
}

/** The user of an anonymous request. */
export const ANONYMOUS = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

let seq = 0;


function status(code: number | undefined, stage: string): unknown {
  if (code === undefined || stage === 'RequestReceived') return undefined;
  if (code < 400) return { metadata: {}, code };
  const reason = code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code === 404 ? 'NotFound' : 'InternalError';
  return { metadata: {}, status: 'Failure', message: reason, reason, code };
}

function annotations(s: EventSpec): Record<string, string> | undefined {
  if (s.stage === 'RequestReceived' || s.code === 401) return undefined;
  const decision = s.code === 403 ? 'forbid' : 'allow';
  return { 'authorization.k8s.io/decision': decision, 'authorization.k8s.io/reason': s.reason ?? (decision === 'allow' ? 'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"' : '') };
}

/** Returns one event as a JSON line (without the newline). */
export function eventLine(s: EventSpec): string {
  const ts = formatMicro(s.timeMs);
  const o: Record<string, unknown> = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: s.level ?? 'Metadata',
    auditID: s.auditID ?? `00000000-0000-4000-8000-${(seq++).toString(16).padStart(12, '0')}`,
    stage: s.stage, requestURI: s.uri, verb: s.verb, user: s.user ?? {},
    impersonatedUser: s.impersonatedUser, sourceIPs: s.sourceIPs ?? ['10.0.0.10'], userAgent: s.userAgent,
    objectRef: s.objectRef, responseStatus: status(s.code, s.stage),
    requestObject: s.requestObject, responseObject: s.responseObject,
    requestReceivedTimestamp: s.stage === 'RequestReceived' ? ts : formatMicro(s.timeMs - 2), stageTimestamp: ts,
    annotations: annotations(s),
  };
  return JSON.stringify(o);
}

/** Returns the RequestReceived + ResponseComplete pair of one ordinary request. */
export function requestPair(s: Omit<EventSpec, 'stage'>): string[] {
  return [eventLine({ ...s, stage: 'RequestReceived', timeMs: s.timeMs - 2 }), eventLine({ ...s, stage: 'ResponseComplete' })];
}
