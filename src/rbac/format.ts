/** Rendering of the `rbac` command: SPEC §6 JSON and an operator-facing text table. */
import { escapeTerminal } from '../util/escape.js';
import type { RbacSummary } from './state.js';
import type { BindingView } from './types.js';

/** The `rbac --format json` document, exactly the fields of SPEC §6. */
export function toJson(s: RbacSummary): unknown {
  return {
    bindings: s.bindings.map((b) => ({
      kind: b.kind, namespace: b.namespace, name: b.name, roleKind: b.roleKind, role: b.role,
      subjects: b.subjects, expected: b.expected, capabilities: b.capabilities,
    })),
    unexpectedCount: s.unexpectedCount,
    capabilities: s.capabilities,
  };
}

/** Quotes a word for a POSIX shell, then neutralises control characters for the terminal. */
export function shellWord(s: string): string {
  return escapeTerminal(/^[A-Za-z0-9_.:@%+=,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
}

/** The `kubectl delete` command that removes a binding (printed, never run). */
export function deleteCommand(b: BindingView): string {
  return b.kind === 'ClusterRoleBinding'
    ? `kubectl delete clusterrolebinding ${shellWord(b.name)}`
    : `kubectl delete rolebinding ${shellWord(b.name)} -n ${shellWord(b.namespace)}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function row(b: BindingView): string[] {
  const role = `${b.roleKind}/${b.role}${b.roleFound ? '' : ' (missing)'}`;
  return [b.expected ? 'yes' : 'NO', b.kind, b.namespace || '-', b.name, role, b.subjects.join(','), b.capabilities.join(',') || '-']
    .map((c) => escapeTerminal(c));
}

function unexpectedSection(s: RbacSummary): string[] {
  const out: string[] = ['', 'Unexpected bindings (review before running; nothing was deleted):'];
  for (const b of s.bindings.filter((v) => !v.expected)) {
    if (b.note) out.push(`  # ${escapeTerminal(b.note)}`);
    if (b.otherSubjects > 0) out.push(`  # also names ${b.otherSubjects} other subject(s); to keep them, remove only the anonymous subjects (kubectl edit) instead`);
    out.push(`  ${deleteCommand(b)}`);
  }
  return out;
}

const AUTOUPDATE_NOTE = [
  '',
  'Note: system:public-info-viewer carries rbac.authorization.kubernetes.io/autoupdate: "true" by default; the API',
  'server re-adds system:unauthenticated to it at startup unless the annotation is set to "false". To remove anonymous',
  'access to health and version endpoints, annotate it first, then edit its subjects:',
  '  kubectl annotate clusterrolebinding system:public-info-viewer rbac.authorization.kubernetes.io/autoupdate=false --overwrite',
];

/** The human-readable report: table, capability summary, delete commands and the autoupdate note. */
export function toText(s: RbacSummary): string {
  if (s.bindings.length === 0) return 'No RBAC binding names system:anonymous or system:unauthenticated.\n';
  const out = table([['EXPECTED', 'KIND', 'NAMESPACE', 'NAME', 'ROLE', 'SUBJECTS', 'CAPABILITIES'], ...s.bindings.map(row)]);
  const caps = Object.entries(s.capabilities).filter(([, v]) => v).map(([k]) => k);
  out.push('', `Anonymous capabilities (all bindings): ${caps.join(', ') || 'none'}`);
  out.push(`Unexpected bindings: ${s.unexpectedCount}`);
  if (s.unexpectedCount > 0) out.push(...unexpectedSection(s));
  if (s.bindings.some((b) => b.kind === 'ClusterRoleBinding' && b.name === 'system:public-info-viewer')) out.push(...AUTOUPDATE_NOTE);
  return `${out.join('\n')}\n`;
}
