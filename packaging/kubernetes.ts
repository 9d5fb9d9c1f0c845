/**
 * `npm run kube:generate`: writes the generated parts of deploy/kubernetes/ from their sources
 * (deploy/rbac.yaml, dashboards/prometheus/k8s-anon-rules.yaml). `--check` fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, parseAllDocuments, stringify } from 'yaml';

const HEADER = (src: string) => `# Generated from ${src} by \`npm run kube:generate\`: edit the source, not this file.\n`;
const OPTS = { lineWidth: 0 } as const;

/** The in-cluster RBAC objects: deploy/rbac.yaml without the long-lived token Secret (a pod mounts its own). */
export function renderRbac(text: string): string {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind?: string } | null)
    .filter((o): o is { kind: string } => o !== null && o.kind !== 'Secret');
  return HEADER('deploy/rbac.yaml') + docs.map((o) => stringify(o, OPTS)).join('---\n');
}

/** A PrometheusRule holding the shipped rule groups unchanged. */
export function renderPrometheusRule(text: string): string {
  const rules = parse(text) as { groups: unknown[] };
  const obj = {
    apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule',
    metadata: { name: 'k8s-anon-exporter', labels: { 'app.kubernetes.io/name': 'k8s-anon-exporter' } },
    spec: { groups: rules.groups },
  };
  return HEADER('dashboards/prometheus/k8s-anon-rules.yaml') + stringify(obj, OPTS);
}

/** Each generated file with its content from the current sources. */
export function generated(): Array<{ path: string; text: string }> {
  return [
    { path: 'deploy/kubernetes/rbac.yaml', text: renderRbac(readFileSync('deploy/rbac.yaml', 'utf8')) },
    { path: 'deploy/kubernetes/prometheusrule.yaml', text: renderPrometheusRule(readFileSync('dashboards/prometheus/k8s-anon-rules.yaml', 'utf8')) },
  ];
}

const isMain = process.argv[1]?.endsWith('kubernetes.ts') === true;
if (isMain) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const g of generated()) {
    let old = '';
    try { old = readFileSync(g.path, 'utf8'); } catch { /* new file */ }
    if (old === g.text) continue;
    if (check) { process.stderr.write(`stale: ${g.path} (run npm run kube:generate)\n`); stale++; } else { writeFileSync(g.path, g.text); process.stdout.write(`wrote ${g.path}\n`); }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
