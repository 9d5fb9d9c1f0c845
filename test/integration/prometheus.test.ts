import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benign, incident } from './auditgen.js';
import { REPO, requireBinary, waitFor } from './helpers.js';
import { parse } from 'yaml';
import { APISERVER_METRICS, DASHBOARD, RULES, RULE_TESTS, dashboardQueries, query, serveExposition, startPrometheus, type Prometheus } from './prometheus.js';
import { startWorld, type World } from './world.js';

/** Panels that have no data in this scenario, and why (listed, and checked to stay that way). */
const EXPECTED_EMPTY: Record<string, string> = {
  'Paths anonymous authentication is limited to/A': 'the scenario has no AuthenticationConfiguration with anonymous conditions',
  'Webhook events received/A': 'the scenario reads a file; webhook metrics exist only where webhook.listen is set',
  'Webhook events received/B': 'the scenario reads a file; webhook metrics exist only where webhook.listen is set',
  'Webhook acknowledgement latency p99/A': 'the scenario reads a file; webhook metrics exist only where webhook.listen is set',
};
/** The parts of a Grafana panel the dashboard test reads. */
interface Panel {
  type: string; title: string; description?: string; datasource?: { uid: string };
  fieldConfig?: { defaults?: { unit?: string } }; targets?: Array<{ refId: string }>;
  transformations?: Array<{ id: string; options: { renameByName?: Record<string, string> } }>;
}
const VARS = { cluster: '.*', instance: '.*', __rate_interval: '30s', __range: '5m', __interval: '15s', datasource: 'prometheus' };

describe('integration: Prometheus rules, dashboard and a real Prometheus scraping the daemon', function () {
  this.timeout(120_000);
  let promtool: string | undefined;
  let prometheus: string | undefined;
  let world: World | undefined;
  let prom: Prometheus | undefined;
  let apiserver: Awaited<ReturnType<typeof serveExposition>> | undefined;

  before(function () {
    promtool = requireBinary(this, 'promtool');
    prometheus = requireBinary(this, 'prometheus');
  });
  after(async () => { await prom?.stop(); await world?.stop(); await apiserver?.stop(); });

  it('promtool check rules passes', () => {
    const r = spawnSync(promtool as string, ['check', 'rules', RULES], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS: \d+ rules found/);
  });

  it('promtool test rules covers every alert, firing and not firing', () => {
    const r = spawnSync(promtool as string, ['test', 'rules', RULE_TESTS], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const alerts = [...readFileSync(RULES, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1] as string);
    const tests = parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts?: unknown[] }> }> };
    const checks = tests.tests.flatMap((t) => t.alert_rule_test);
    for (const a of new Set(alerts)) {
      const cases = checks.filter((c) => c.alertname === a);
      assert.ok(cases.some((c) => (c.exp_alerts ?? []).length > 0), `${a} has a firing case`);
      assert.ok(cases.some((c) => (c.exp_alerts ?? []).length === 0), `${a} has a not-firing case`);
    }
  });

  it('promtool check metrics finds no problem in a live scrape of the daemon', async () => {
    world = await startWorld(benign(new Date()) + incident(new Date()), true, ['--canary.enabled=true', '--canary.intervalSeconds=1', '--canary.timeoutSeconds=1']);
    await waitFor('side inputs', async () => /k8s_anon_rbac_up 1/.test(await world!.metrics()) && /k8s_anon_probe_exposed\{/.test(await world!.metrics()), 20_000);
    const text = await world.metrics();
    const r = spawnSync(promtool as string, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(`${r.stdout}${r.stderr}`, '', 'no lint problems');
    assert.equal(r.status, 0);
    const documented = readFileSync(join(REPO, 'docs', 'metrics.md'), 'utf8');
    for (const [, name] of text.matchAll(/^# TYPE (k8s_anon_\w+) /gm)) {
      assert.ok(documented.includes(`### ${name}\n`), `${name} is in docs/metrics.md: add its module to src/docgen/registry.ts and run \`npm run docs\``);
    }
  });

  it('evaluates every dashboard expression against a real Prometheus scraping the daemon', async () => {
    assert.ok(world, 'daemon running');
    apiserver = await serveExposition(APISERVER_METRICS);
    prom = await startPrometheus(prometheus as string, world.listen, apiserver.target);
    await waitFor('scrapes and recording rules', async () =>
      (await query(prom!, 'count_over_time(up{job="k8s-anon-exporter"}[1m]) >= 4')).length > 0 &&
      (await query(prom!, 'cluster:k8s_anon_requests:rate5m')).length > 0 &&
      (await query(prom!, 'cluster:apiserver_request_duration_seconds:p99_5m > 0')).length > 0, 60_000);
    world.append(benign(new Date()));
    await new Promise((r) => setTimeout(r, 2500));
    const queries = dashboardQueries(VARS);
    assert.ok(queries.length > 30, 'dashboard has its queries');
    const empty: string[] = [];
    for (const q of queries) {
      assert.doesNotMatch(q.expr, /\$/, `${q.panel}: unsubstituted variable`);
      const res = await query(prom, q.expr);
      if (res.length === 0) empty.push(`${q.panel}/${q.refId}`);
    }
    if (empty.length > 0) console.log(`      panels without data: ${empty.map((e) => `${e} (${EXPECTED_EMPTY[e] ?? 'UNEXPECTED'})`).join('; ')}`);
    assert.deepEqual(empty.sort(), Object.keys(EXPECTED_EMPTY).sort());
    const p99 = await query(prom, 'cluster:apiserver_request_duration_seconds:p99_5m');
    assert.ok(Number(p99[0]?.value[1]) > 0.5 && Number(p99[0]?.value[1]) <= 1, `p99 from the apiserver exposition: ${p99[0]?.value[1]}`);
    const sensitive = await query(prom, 'sum(k8s_anon_sensitive_requests_total{code=~"2..|101"})');
    assert.equal(sensitive[0]?.value[1], '1');
  });

  it('the dashboard uses a datasource variable, cluster and instance variables, one unit per panel, readable headers, and describes and links every panel', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { __inputs?: unknown; templating: { list: Array<{ name: string; type: string }> }; panels: Panel[] };
    assert.equal(d.__inputs, undefined);
    assert.deepEqual(d.templating.list.map((v) => `${v.name}:${v.type}`), ['datasource:datasource', 'cluster:query', 'instance:query']);
    for (const p of d.panels.filter((x) => x.type !== 'row')) {
      assert.ok((p.description ?? '').length > 20, `${p.title} has a description`);
      assert.equal(p.datasource?.uid, '${datasource}', `${p.title} uses the datasource variable`);
    }
    assert.deepEqual(d.panels.filter((x) => x.type === 'row').map((r) => r.title),
      ['Is the exporter seeing?', 'Is anyone anonymous getting in?', '401s and API server latency', 'Are we locked down?', 'Is the audit log trustworthy?']);
    for (const p of d.panels.filter((x) => x.type !== 'row')) {
      if (p.type !== 'table') assert.ok(p.fieldConfig?.defaults?.unit, `${p.title} states its unit`);
      const renamed = p.transformations?.find((t) => t.id === 'organize')?.options.renameByName ?? {};
      const values = (p.targets ?? []).length > 1 ? (p.targets ?? []).map((t) => `Value #${t.refId}`) : ['Value'];
      if (p.type === 'table') for (const v of values) assert.ok(renamed[v], `${p.title}: column ${v} has a readable header`);
      assert.match(p.description ?? '', /Docs: \[[\w-]+\.md#[\w-]+\]\(https:\/\/\S+\)$/, `${p.title} links its doc section`);
    }
  });
});
