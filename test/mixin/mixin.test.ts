import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { evalMixin, renderMixin } from '../../src/docgen/mixin.js';
import { REPO, requireBinary } from '../integration/helpers.js';

const RULES = 'dashboards/prometheus/k8s-anon-rules.yaml';
/** SPEC §7 alarm names (Prometheus alerts are the same names, CamelCased). */
export const SPEC_ALARMS = ['k8s_anon_sensitive_allowed', 'k8s_anon_non_public_requests', 'k8s_anon_unexpected_rbac_bindings', 'k8s_anon_rbac_binding_changes',
  'k8s_anon_audit_silence', 'k8s_anon_audit_files_lost', 'k8s_anon_canary_missing', 'k8s_anon_unauthorized_spike', 'k8s_anon_auth_enabled',
  'k8s_anon_probe_exposed', 'k8s_anon_exporter_down', 'k8s_anon_audit_unreadable', 'k8s_anon_audit_never_read', 'k8s_anon_rbac_watch_down',
  'k8s_anon_probe_failing', 'k8s_anon_checkpoint_failing', 'k8s_anon_audit_lagging', 'k8s_anon_webhook_silent', 'k8s_anon_unauthorized_latency',
  'k8s_anon_lockdown_ineffective'];
const camel = (s: string) => s.split('_').map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');

interface Rule { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }

const render = (file: string, config?: string) => JSON.stringify(evalMixin(REPO, file, config), null, 1);

/** Label names a PromQL expression or a Grafana string uses: matchers, by/on/without lists, label_values, legends and templates. */
function labelNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*\\?"/g)) out.add(m[1] as string);
  for (const m of text.matchAll(/\b(?:by|on|without|ignoring)\s*\(([^)]*)\)/g)) for (const l of (m[1] as string).split(',')) if (l.trim()) out.add(l.trim());
  for (const m of text.matchAll(/label_values\([^,]*,\s*(\w+)\)/g)) out.add(m[1] as string);
  for (const m of text.matchAll(/\{\{\s*(\w+)\s*\}\}|\$labels\.(\w+)/g)) out.add((m[1] ?? m[2]) as string);
  return out;
}

describe('mixin: rules and dashboard generated from jsonnet', function () {
  this.timeout(60_000);
  before(function () { requireBinary(this, 'jsonnet'); });

  it('the shipped files are what `npm run mixin` renders, byte for byte', () => {
    const files = renderMixin(REPO);
    assert.equal(files.size, 3);
    for (const [f, text] of files) {
      assert.ok(text === readFileSync(join(REPO, f), 'utf8'), `${f} is stale: run \`npm run mixin\` and commit the result`);
    }
  });

  it('every SPEC alarm is an alert with a runbook_url, an explicit for and a severity', () => {
    const doc = parse(readFileSync(join(REPO, RULES), 'utf8')) as { groups: Array<{ rules: Rule[] }> };
    const alerts = doc.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    assert.deepEqual([...new Set(alerts.map((a) => a.alert))].sort(), SPEC_ALARMS.map(camel).sort());
    for (const a of alerts) {
      const snake = SPEC_ALARMS.find((s) => camel(s) === a.alert) as string;
      assert.equal(a.annotations?.runbook_url, `https://github.com/k8s-anon-exporter/k8s-anon-exporter/blob/main/docs/runbooks/${snake}.md`);
      assert.match(a.for ?? '', /^\d+[smh]$/, `${a.alert} has an explicit for`);
      assert.ok(['warning', 'critical'].includes(a.labels?.severity ?? ''), `${a.alert} severity`);
      assert.ok(a.annotations?.summary && a.annotations.description, `${a.alert} summary and description`);
    }
    const down = alerts.find((a) => a.alert === 'K8sAnonExporterDown');
    assert.match(down?.expr ?? '', /absent\(up\{job="k8s-anon-exporter"\}\)/, 'exporter down uses absent() for targets gone from service discovery');
  });

  it('a custom job selector and cluster label are the only ones the rules and the dashboard use', () => {
    const config = `{ jobSelector: 'job="node-agents"', clusterLabel: 'k8s_cluster', runbookBaseURL: 'https://runbooks.example/' }`;
    const rules = render('rules.jsonnet', config);
    const dashboard = render('dashboard.jsonnet', config);
    for (const [name, text] of [['rules', rules], ['dashboard', dashboard]] as const) {
      const labels = labelNames(text);
      assert.ok(!labels.has('cluster'), `${name} uses no cluster label`);
      assert.ok(labels.has('k8s_cluster'), `${name} uses k8s_cluster`);
      const jobs = [...text.matchAll(/job\s*=\s*\\?"([^"\\]*)/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(jobs)].sort(), ['apiserver', 'node-agents'], `${name}: only the configured job selectors`);
    }
    const doc = JSON.parse(rules) as { groups: Array<{ rules: Rule[] }> };
    for (const r of doc.groups.flatMap((g) => g.rules).filter((x) => x.alert)) {
      assert.match(r.annotations?.runbook_url ?? '', /^https:\/\/runbooks\.example\/k8s_anon_\w+\.md$/);
    }
    const dash = JSON.parse(dashboard) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    for (const t of dash.panels.flatMap((p) => p.targets ?? [])) {
      if (/\bk8s_anon_\w+\{/.test(t.expr) && !/^cluster:/.test(t.expr)) assert.match(t.expr, /job="node-agents"/, t.expr);
    }
  });
});
