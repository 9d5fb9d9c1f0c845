/** Detecting writes to RoleBindings and ClusterRoleBindings that name anonymous identities. */
import type { AuditEvent } from './event.js';
import { WRITE_VERBS } from './vocab.js';

/** The anonymous identities a binding subject can name (label `subject`). */
export type AnonSubject = 'system:anonymous' | 'system:unauthenticated';

/** What an audit event says about a binding write. */
export interface BindingWrite {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  verb: string;
  /** Anonymous subjects named by the request or response object; undefined when no object carried subjects. */
  subjects: AnonSubject[] | undefined;
}

function anonSubjectsOf(obj: unknown): AnonSubject[] | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const subjects = (obj as { subjects?: unknown }).subjects;
  if (!Array.isArray(subjects)) return undefined;
  const out = new Set<AnonSubject>();
  for (const s of subjects) {
    if (typeof s !== 'object' || s === null) continue;
    const { kind, name } = s as { kind?: unknown; name?: unknown };
    if (kind === 'User' && name === 'system:anonymous') out.add('system:anonymous');
    // Group system:anonymous is a misconfiguration with the same intent; report it as such.
    if (kind === 'Group' && (name === 'system:unauthenticated' || name === 'system:anonymous')) out.add(name);
  }
  return [...out];
}

/** Returns the binding write an event records, or undefined when it is not one. */
export function bindingWriteOf(ev: AuditEvent): BindingWrite | undefined {
  const ref = ev.objectRef;
  if (!ref || !WRITE_VERBS.has(ev.verb)) return undefined;
  if (ref.apiGroup !== undefined && ref.apiGroup !== 'rbac.authorization.k8s.io') return undefined;
  if (ref.subresource) return undefined;
  const kind = ref.resource === 'rolebindings' ? 'RoleBinding' : ref.resource === 'clusterrolebindings' ? 'ClusterRoleBinding' : undefined;
  if (!kind) return undefined;
  const fromReq = anonSubjectsOf(ev.requestObject);
  const fromResp = anonSubjectsOf(ev.responseObject);
  const subjects = fromReq === undefined && fromResp === undefined ? undefined : [...new Set([...(fromReq ?? []), ...(fromResp ?? [])])];
  return { kind, verb: ev.verb, subjects };
}
