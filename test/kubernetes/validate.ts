/** Type-checks Kubernetes objects against the 1.30 API types of kubernetes-types with the TypeScript compiler. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from '../integration/helpers.js';

/** apiVersion/kind to the kubernetes-types module and type that describe it. */
const TYPES: Record<string, [string, string]> = {
  'v1/Namespace': ['core/v1', 'Namespace'], 'v1/ServiceAccount': ['core/v1', 'ServiceAccount'], 'v1/ConfigMap': ['core/v1', 'ConfigMap'],
  'v1/Service': ['core/v1', 'Service'], 'v1/Secret': ['core/v1', 'Secret'], 'apps/v1/DaemonSet': ['apps/v1', 'DaemonSet'],
  'rbac.authorization.k8s.io/v1/ClusterRole': ['rbac/v1', 'ClusterRole'], 'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ['rbac/v1', 'ClusterRoleBinding'],
  'rbac.authorization.k8s.io/v1/Role': ['rbac/v1', 'Role'], 'rbac.authorization.k8s.io/v1/RoleBinding': ['rbac/v1', 'RoleBinding'],
};

/** A Kubernetes object as rendered. */
export interface KubeObject { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown }

/** Whether kubernetes-types describes this object's kind (custom resources are not). */
export const isCoreKind = (o: KubeObject) => `${o.apiVersion}/${o.kind}` in TYPES;

/**
 * Type errors of the objects, one string each; empty when every object matches its 1.30 type exactly
 * (object literals: unknown fields, wrong value types and missing required fields are all errors).
 */
export function typeErrors(objects: KubeObject[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kube-validate-'));
  try {
    const lines: string[] = [];
    objects.forEach((o, i) => {
      const [mod, type] = TYPES[`${o.apiVersion}/${o.kind}`] ?? [];
      if (!mod || !type) { lines.push(`// ${o.kind}: no type`); return; }
      lines.push(`import type { ${type} as T${i} } from 'kubernetes-types/${mod}';`, `export const o${i}: T${i} = ${JSON.stringify(o, null, 1)};`);
    });
    const file = join(dir, 'objects.ts');
    writeFileSync(file, lines.join('\n'));
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      baseUrl: REPO, paths: { 'kubernetes-types/*': [join(REPO, 'node_modules', 'kubernetes-types', '*')] },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      return `${pos ? `line ${pos.line + 1}: ` : ''}${text}`;
    });
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
