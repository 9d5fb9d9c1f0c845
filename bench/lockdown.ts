/**
 * `npx tsx bench/lockdown.ts [LINES]`: the cost of the lockdown preview's per-request work, side by side
 * with the same analyzer without it (alternating runs, medians): `serve` with and without the
 * `k8s_anon_lockdown_breaking_sources` window, `report` detail with and without the preview tally.
 */
import { Registry } from 'prom-client';
import { Analyzer, type DetailSink } from '../src/audit/analyzer.js';
import { LockdownWindow } from '../src/lockdown/metrics.js';
import { LockdownTally, teeSink } from '../src/lockdown/tally.js';
import { DEFAULT_CONDITIONS } from '../src/lockdown/groups.js';
import { ReportDetail } from '../src/report/detail.js';

const N = Number(process.argv[2] ?? 200_000);
const T0 = Date.UTC(2026, 0, 1);
const PATHS = ['/readyz', '/livez', '/version', '/api', '/api/v1/namespaces/kube-public/configmaps/cluster-info', '/api/v1/namespaces/default/configmaps/x'];

function lines(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < N; i++) {
    const anon = i % 2 === 0;
    const ts = new Date(T0 + i * 10).toISOString().replace('Z', '000Z');
    const user = anon ? '{"username":"system:anonymous","groups":["system:unauthenticated"]}' : '{"username":"admin","groups":["system:authenticated"]}';
    out.push(Buffer.from(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-${i}","stage":"ResponseComplete","requestURI":"${PATHS[i % PATHS.length]}","verb":"get","user":${user},"sourceIPs":["10.0.${i % 7}.${i % 50}"],"userAgent":"probe/1.0","responseStatus":{"metadata":{},"code":${i % 3 === 0 ? 403 : 200}},"requestReceivedTimestamp":"${ts}","stageTimestamp":"${ts}"}`));
  }
  return out;
}

function run(data: Buffer[], detail: () => DetailSink | undefined): number {
  const d = detail();
  const a = new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30, ...(d ? { detail: d } : {}) });
  const t0 = performance.now();
  for (const b of data) a.line(b, 0, b.length);
  return performance.now() - t0;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const data = lines();
const cases: Record<string, () => DetailSink | undefined> = {
  'serve: no detail': () => undefined,
  'serve: LockdownWindow': () => new LockdownWindow(new Registry(), 3600, () => T0 + N * 10),
  'report: ReportDetail': () => new ReportDetail(),
  'report: ReportDetail + LockdownTally': () => teeSink(new ReportDetail(), new LockdownTally(DEFAULT_CONDITIONS)),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < 7; r++) for (const [k, f] of Object.entries(cases)) times[k]?.push(run(data, f));
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
for (const [k, v] of Object.entries(m)) process.stdout.write(`${k.padEnd(40)} median ${v.toFixed(1)} ms over ${N} lines\n`);
process.stdout.write(`serve ratio ${(m['serve: LockdownWindow']! / m['serve: no detail']!).toFixed(3)}, report ratio ${(m['report: ReportDetail + LockdownTally']! / m['report: ReportDetail']!).toFixed(3)}\n`);
