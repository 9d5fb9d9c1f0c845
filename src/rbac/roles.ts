/** Pure resolution of a binding's roleRef to policy rules, including aggregated ClusterRoles. */
import type { LabelSelector, RoleLookup, RoleObject, Rule } from './types.js';

const strings = (x: unknown): string[] | undefined => (Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : undefined);

/** Returns a role's rules with every field coerced to a string list (malformed objects grant nothing extra). */
export function rulesOf(role: RoleObject): Rule[] {
  if (!Array.isArray(role.rules)) return [];
  return role.rules.filter((r) => typeof r === 'object' && r !== null).map((r) => {
    const out: Rule = {};
    for (const k of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
      const v = strings(r[k]);
      if (v) out[k] = v;
    }
    return out;
  });
}

/** True when `labels` satisfy `selector` (matchLabels and matchExpressions, Kubernetes semantics). */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const ml = typeof selector.matchLabels === 'object' && selector.matchLabels !== null ? selector.matchLabels : {};
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter((e) => typeof e === 'object' && e !== null) : [];
  if (Object.keys(ml).length === 0 && exprs.length === 0) return false; // an empty aggregation selector selects nothing
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  return exprs.every((e) => {
    const v = labels[e.key];
    switch (e.operator) {
      case 'In': return v !== undefined && (e.values ?? []).includes(v);
      case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: return false;
    }
  });
}

/** Collects a ClusterRole's rules plus those of every ClusterRole its aggregationRule selects (transitively). */
export function clusterRoleRules(role: RoleObject, lookup: RoleLookup, seen: Set<string> = new Set()): Rule[] {
  const name = role.metadata?.name ?? '';
  if (seen.has(name)) return [];
  seen.add(name);
  const rules: Rule[] = rulesOf(role);
  const selectors = Array.isArray(role.aggregationRule?.clusterRoleSelectors) ? role.aggregationRule.clusterRoleSelectors : [];
  if (selectors.length === 0) return rules;
  for (const other of lookup.clusterRoles()) {
    if (other === role || !selectors.some((s) => typeof s === 'object' && s !== null && selectorMatches(s, other.metadata?.labels))) continue;
    rules.push(...clusterRoleRules(other, lookup, seen));
  }
  return rules;
}

/** Resolves a roleRef seen from `namespace` to its rules; `found` is false when the role does not exist. */
export function resolveRoleRef(
  ref: { kind?: string; name?: string } | undefined, namespace: string, lookup: RoleLookup,
): { found: boolean; rules: Rule[] } {
  const name = ref?.name ?? '';
  if (ref?.kind === 'Role') {
    const role = lookup.role(namespace, name);
    return role ? { found: true, rules: rulesOf(role) } : { found: false, rules: [] };
  }
  if (ref?.kind === 'ClusterRole') {
    const role = lookup.clusterRole(name);
    return role ? { found: true, rules: clusterRoleRules(role, lookup) } : { found: false, rules: [] };
  }
  return { found: false, rules: [] };
}
