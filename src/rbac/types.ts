/** RBAC object shapes (the subset this exporter reads) and the derived per-binding view. */

/** One PolicyRule of a Role or ClusterRole. */
export interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Object metadata fields the exporter uses. */
export interface Meta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A label selector as used by `aggregationRule.clusterRoleSelectors`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A Role or ClusterRole. */
export interface RoleObject {
  metadata?: Meta;
  rules?: Rule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] } | null;
}

/** One subject of a binding. */
export interface Subject { kind?: string; name?: string; namespace?: string; apiGroup?: string }

/** A RoleBinding or ClusterRoleBinding. */
export interface BindingObject {
  metadata?: Meta;
  subjects?: Subject[] | null;
  roleRef?: { kind?: string; name?: string; apiGroup?: string };
}

/** The two binding kinds. */
export type BindingKind = 'ClusterRoleBinding' | 'RoleBinding';

/** The capabilities of SPEC §5, in exposition order. */
export const CAPABILITIES = [
  'read_secrets', 'read_configmaps', 'list_pods', 'exec', 'write',
  'rbac_escalate', 'impersonate', 'wildcard', 'nonresource_other',
] as const;

/** One capability an anonymous identity can gain through a binding. */
export type Capability = (typeof CAPABILITIES)[number];

/** A binding that names an anonymous identity, with everything derived from it. */
export interface BindingView {
  kind: BindingKind;
  /** Empty for ClusterRoleBindings. */
  namespace: string;
  name: string;
  roleKind: string;
  role: string;
  /** Anonymous subjects as `Kind/name`, e.g. `Group/system:unauthenticated`. */
  subjects: string[];
  expected: boolean;
  /** Why an allow-listed binding is nevertheless flagged (role missing defaults, edited rules, other roleRef). */
  note?: string;
  /** Whether roleRef resolved to an existing role. */
  roleFound: boolean;
  /** Number of subjects that are not anonymous (deleting the binding takes their access away too). */
  otherSubjects: number;
  capabilities: Capability[];
}

/** Looks up roles by name: namespaced Roles and cluster-wide ClusterRoles. */
export interface RoleLookup {
  role(namespace: string, name: string): RoleObject | undefined;
  clusterRole(name: string): RoleObject | undefined;
  clusterRoles(): Iterable<RoleObject>;
}

/** Key of a binding in `kind/namespace/name` form (namespace empty for cluster scope). */
export function bindingKey(kind: BindingKind, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}
