/** Pure derivation of the per-binding view: anonymous subjects, roleRef, expectation and capabilities. */
import { capabilitiesOf } from './capabilities.js';
import { checkExpected } from './defaults.js';
import { resolveRoleRef } from './roles.js';
import { bindingKey, type BindingKind, type BindingObject, type BindingView, type RoleLookup, type Subject } from './types.js';

/** Subjects that denote anonymous requests; Group `system:anonymous` is a misconfiguration with the same intent. */
export const ANONYMOUS_SUBJECTS = ['User/system:anonymous', 'Group/system:unauthenticated', 'Group/system:anonymous'] as const;

/** Returns the anonymous subjects of a binding as sorted, de-duplicated `Kind/name` strings. */
export function anonymousSubjects(subjects: readonly Subject[] | null | undefined): string[] {
  const found = new Set<string>();
  for (const s of Array.isArray(subjects) ? subjects : []) {
    const id = `${s?.kind ?? ''}/${s?.name ?? ''}`;
    if ((ANONYMOUS_SUBJECTS as readonly string[]).includes(id)) found.add(id);
  }
  return [...found].sort();
}

function countAnonymous(subjects: readonly Subject[] | null | undefined): number {
  return (Array.isArray(subjects) ? subjects : []).filter((s) => (ANONYMOUS_SUBJECTS as readonly string[]).includes(`${s?.kind ?? ''}/${s?.name ?? ''}`)).length;
}

/** Derives the view of one binding, or undefined when it names no anonymous identity. */
export function deriveBinding(
  kind: BindingKind, obj: BindingObject, lookup: RoleLookup, allowList: ReadonlySet<string>,
): BindingView | undefined {
  const subjects = anonymousSubjects(obj.subjects);
  if (subjects.length === 0) return undefined;
  const namespace = kind === 'RoleBinding' ? obj.metadata?.namespace ?? '' : '';
  const name = obj.metadata?.name ?? '';
  const roleRef = { kind: obj.roleRef?.kind ?? '', name: obj.roleRef?.name ?? '' };
  const { found, rules } = resolveRoleRef(roleRef, namespace, lookup);
  const key = bindingKey(kind, namespace, name);
  const { expected, note } = checkExpected(kind, key, allowList, roleRef, rules);
  const view: BindingView = {
    kind, namespace, name, roleKind: roleRef.kind, role: roleRef.name, subjects, expected,
    roleFound: found, otherSubjects: (Array.isArray(obj.subjects) ? obj.subjects.length : 0) - countAnonymous(obj.subjects), capabilities: capabilitiesOf(rules),
  };
  if (note !== undefined) view.note = note;
  return view;
}
