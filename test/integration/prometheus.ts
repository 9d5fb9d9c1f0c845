/** Runs a real Prometheus on loopback scraping the daemon with the shipped rules, and reads the dashboard's queries. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, freePort, getJson, start, waitFor } from './helpers.js';

/** The shipped Prometheus rules. */
export const RULES = join(REPO, 'dashboards', 'prometheus', 'k8s-anon-rules.yaml');
/** The promtool unit tests of the rules. */
export const RULE_TESTS = join(REPO, 'dashboards', 'prometheus', 'k8s-anon-rules.test.yaml');
/** The shipped Grafana dashboard. */
export const DASHBOARD = join(REPO, 'dashboards', 'grafana', 'k8s-anon.json');

/** A running Prometheus. */
export interface Prometheus { url: string; stop(): Promise<void>; output(): string }

/** The kube-apiserver metrics the 401 and latency row reads (exposition format). */
export const APISERVER_METRICS = join(REPO, 'test', 'fixtures', 'integration', 'apiserver-metrics.prom');

/** Serves `file` on loopback as /metrics, every value times the scrape number so counters grow; resolves to host:port and a stop function. */
export async function serveExposition(file: string): Promise<{ target: string; stop(): Promise<void> }> {
  const text = readFileSync(file, 'utf8');
  let n = 0;
  const server = createServer((_req, res) => {
    n += 1;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(text.replace(/^([a-z_]\w*(?:\{[^}]*\})?) (\S+)$/gm, (_m, series: string, v: string) => `${series} ${Number(v) * n}`));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return { target: `127.0.0.1:${port}`, stop: () => new Promise<void>((res) => server.close(() => res())) };
}

/** Starts Prometheus scraping `target` every second as job k8s-anon-exporter with `cluster="e2e"` (and `apiserver` as job apiserver). */
export async function startPrometheus(bin: string, target: string, apiserver?: string): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-prometheus-'));
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
    'rule_files:', `  - ${JSON.stringify(RULES)}`,
    'scrape_configs:', '  - job_name: k8s-anon-exporter', '    static_configs:',
    `      - targets: [${JSON.stringify(target)}]`, '        labels:', '          cluster: e2e',
    ...(apiserver ? ['  - job_name: apiserver', '    static_configs:', `      - targets: [${JSON.stringify(apiserver)}]`, '        labels:', '          cluster: e2e'] : []), '',
  ].join('\n'));
  const proc = start(bin, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { cwd: dir });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('prometheus ready', () => fetch(`${url}/-/ready`).then((r) => r.ok), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${proc.out.stderr.slice(-3000)}`);
  });
  return { url, output: () => proc.out.stderr, stop: async () => { await proc.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Evaluates an instant query; resolves to the result series. */
export async function query(p: Prometheus, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = await getJson<{ status: string; data: { resultType: string; result: unknown } }>(`${p.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  if (r.status !== 'success') throw new Error(`query failed: ${expr}`);
  if (r.data.resultType === 'scalar') return [{ metric: {}, value: r.data.result as [number, string] }];
  return r.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
}

/** One PromQL expression of the dashboard. */
export interface PanelQuery { panel: string; refId: string; expr: string }

/** Every target expression in the dashboard, with template variables replaced by test values. */
export function dashboardQueries(vars: Record<string, string>): PanelQuery[] {
  const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ title: string; type: string; targets?: Array<{ refId: string; expr: string }> }> };
  const subst = (e: string) => e.replace(/\$(__\w+|\w+)|\$\{(\w+)\}/g, (m, a: string, b: string) => vars[a ?? b] ?? m);
  return dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: subst(t.expr) })));
}
