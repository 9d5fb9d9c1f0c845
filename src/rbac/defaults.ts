/** The allow-list: configured expected bindings, and the default rules of the well-known ones. */
import type { BindingKind, Rule } from './types.js';

/** A well-known default binding: its roleRef and the rules its role carries by default. */
interface DefaultBinding { roleKind: string; role: string; rules: Rule[] }

/** Default objects naming anonymous identities (audit-log-facts §8), keyed by `Kind/ns/name`. */
export const DEFAULT_BINDINGS: ReadonlyMap<string, DefaultBinding> = new Map([
  ['ClusterRoleBinding//system:public-info-viewer', {
    roleKind: 'ClusterRole', role: 'system:public-info-viewer',
    rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
  }],
  ['RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo', {
    roleKind: 'Role', role: 'kubeadm:bootstrap-signer-clusterinfo',
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'] }],
  }],
]);

/** Parses `rbac.expected` entries (`ClusterRoleBinding/<name>`, `RoleBinding/<ns>/<name>`) into binding keys; bad entries are returned apart. */
export function parseExpected(entries: readonly string[]): { keys: Set<string>; invalid: string[] } {
  const keys = new Set<string>();
  const invalid: string[] = [];
  for (const e of entries) {
    const parts = e.split('/');
    if (parts[0] === 'ClusterRoleBinding' && parts.length === 2 && parts[1]) keys.add(`ClusterRoleBinding//${parts[1]}`);
    else if (parts[0] === 'RoleBinding' && parts.length === 3 && parts[1] && parts[2]) keys.add(`RoleBinding/${parts[1]}/${parts[2]}`);
    else invalid.push(e);
  }
  return { keys, invalid };
}

/** Expands rules into `verb|group|resource|name` and `nr|verb|url` atoms (wildcards stay literal). */
export function ruleAtoms(rules: readonly Rule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    for (const v of r.verbs ?? []) {
      for (const u of r.nonResourceURLs ?? []) out.add(`nr|${v}|${u}`);
      for (const g of r.apiGroups ?? []) {
        for (const res of r.resources ?? []) {
          const names = (r.resourceNames ?? []).length > 0 ? r.resourceNames as string[] : ['*'];
          for (const n of names) out.add(`${v}|${g}|${res}|${n}`);
        }
      }
    }
  }
  return out;
}

/** True when `rules` grant nothing beyond `allowed`. */
export function withinRules(rules: readonly Rule[], allowed: readonly Rule[]): boolean {
  const ok = ruleAtoms(allowed);
  return [...ruleAtoms(rules)].every((a) => ok.has(a));
}

/**
 * Decides whether an allow-listed binding is expected: well-known defaults must keep their roleRef and
 * default rules; other allow-listed bindings match on kind, namespace and name. Returns a note when flagged.
 */
export function checkExpected(
  kind: BindingKind, key: string, allowList: ReadonlySet<string>, roleRef: { kind: string; name: string }, rules: readonly Rule[],
): { expected: boolean; note?: string } {
  if (!allowList.has(key)) return { expected: false };
  const def = DEFAULT_BINDINGS.get(key);
  if (!def) return { expected: true };
  if (def.roleKind !== roleRef.kind || def.role !== roleRef.name) {
    return { expected: false, note: `allow-listed ${kind} now refers to ${roleRef.kind} ${roleRef.name}, not ${def.roleKind} ${def.role}` };
  }
  if (!withinRules(rules, def.rules)) return { expected: false, note: `${def.roleKind} ${def.role} grants more than its default rules` };
  return { expected: true };
}
