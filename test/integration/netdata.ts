/** Runs a real Netdata on loopback with a temp configuration that loads the shipped plugin shim and health file. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_COMMAND, REPO, freePort, getJson, start, waitFor } from './helpers.js';

/** A running Netdata agent. */
export interface Netdata {
  url: string;
  dir: string;
  errorLog(): string;
  /** Netdata's own stdout/stderr and exit code (null while running). */
  status(): { exitCode: number | null; output: string };
  stop(): Promise<void>;
}

/** Builds netdata.conf: temp directories, only our plugin, the shipped `netdata.conf.d` snippet with `command options`. */
export function netdataConf(dir: string, port: number, daemonListen: string): string {
  const snippet = readFileSync(join(REPO, 'netdata-config', 'netdata.conf.d', 'k8s_anon.conf'), 'utf8')
    .replace(/^(\s*)# command options = .*$/m, `$1command options = --web.listen=${daemonListen}`)
    .replace(/^\[plugins\]$/m, ['[plugins]', ...['proc', 'diskspace', 'cgroups', 'tc', 'idlejitter', 'timex', 'statsd', 'apps', 'netdata monitoring', 'python.d', 'charts.d', 'go.d', 'ebpf', 'perf', 'slabinfo', 'nfacct', 'checks'].map((p) => `    ${p} = no`)].join('\n'));
  return `[global]
    run as user = ${process.env.USER === 'root' || process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root')}
    hostname = k8s-anon-e2e
    update every = 1
    memory mode = ram
    debug log = none
    error log = ${dir}/log/error.log
    access log = none
[db]
    mode = ram
[directories]
    config = ${dir}/conf
    stock config = /usr/lib/netdata/conf.d
    log = ${dir}/log
    cache = ${dir}/cache
    lib = ${dir}/lib
    plugins = "${join(REPO, 'netdata-config', 'custom-plugins.d')}"
    health config = ${join(REPO, 'netdata-config', 'health.d')}
    stock health config = ${dir}/stock-health
[web]
    bind to = 127.0.0.1:${port}
[registry]
    enabled = no
[cloud]
    enabled = no
[ml]
    enabled = no
[statsd]
    enabled = no
[health]
    enabled = yes
${snippet.replace(/enable running new plugins = \S+/, '')}
`;
}

/** Starts Netdata whose plugin reads the daemon at `daemonListen`; resolves when its API answers. */
export async function startNetdata(netdataBin: string, daemonListen: string): Promise<Netdata> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-netdata-'));
  for (const d of ['conf', 'log', 'cache', 'lib', 'stock-health']) mkdirSync(join(dir, d));
  const port = await freePort();
  writeFileSync(join(dir, 'netdata.conf'), netdataConf(dir, port, daemonListen));
  const proc = start(netdataBin, ['-D', '-c', join(dir, 'netdata.conf'), '-P', join(dir, 'netdata.pid')], {
    cwd: dir,
    env: { K8S_ANON_EXPORTER: CLI_COMMAND.join(' '), K8S_ANON_EXPORTER_CONFIG: join(dir, 'no-config.yaml') },
  });
  const url = `http://127.0.0.1:${port}`;
  const errorLog = (): string => { try { return readFileSync(join(dir, 'log', 'error.log'), 'utf8'); } catch { return ''; } };
  await waitFor('netdata API', () => getJson(`${url}/api/v1/info`).then(() => true), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${proc.out.stderr.slice(-2000)}\n${errorLog().slice(-3000)}`);
  });
  return {
    url, dir, errorLog,
    status: () => ({ exitCode: proc.child.exitCode ?? (proc.child.signalCode ? -1 : null), output: proc.out.stdout + proc.out.stderr }),
    stop: async () => { await proc.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** One alarm as `/api/v1/alarms?all` reports it. */
export interface Alarm { name: string; chart: string; status: string; value: number | null }

/** The alarms Netdata knows, by name. */
export async function alarms(nd: Netdata): Promise<Map<string, Alarm>> {
  const r = await getJson<{ alarms: Record<string, Alarm> }>(`${nd.url}/api/v1/alarms?all`);
  return new Map(Object.values(r.alarms).map((a) => [a.name, a]));
}

/** Chart ids Netdata has. */
export async function charts(nd: Netdata): Promise<string[]> {
  const r = await getJson<{ charts: Record<string, unknown> }>(`${nd.url}/api/v1/charts`);
  return Object.keys(r.charts);
}

/** The latest values of every dimension of a chart, summed over the last `seconds` (incremental charts: counts). */
export async function chartSums(nd: Netdata, chart: string, seconds = 60): Promise<Record<string, number>> {
  const r = await getJson<{ labels: string[]; data: Array<Array<number | null>> }>(
    `${nd.url}/api/v1/data?chart=${encodeURIComponent(chart)}&after=-${seconds}&points=${seconds}&group=sum&format=json&options=seconds,nonzero`);
  const out: Record<string, number> = {};
  r.labels.slice(1).forEach((l, i) => { out[l] = r.data.reduce((s, row) => s + (row[i + 1] ?? 0), 0); });
  return out;
}

/** The newest non-null value of each dimension of a chart. */
export async function chartLatest(nd: Netdata, chart: string): Promise<Record<string, number | null>> {
  const r = await getJson<{ labels: string[]; data: Array<Array<number | null>> }>(
    `${nd.url}/api/v1/data?chart=${encodeURIComponent(chart)}&after=-30&format=json&options=seconds`);
  const out: Record<string, number | null> = {};
  r.labels.slice(1).forEach((l, i) => { out[l] = r.data.map((row) => row[i + 1] ?? null).find((v) => v !== null) ?? null; });
  return out;
}

/** The newest row of a chart (null where the newest collection left a gap). */
export async function chartNewest(nd: Netdata, chart: string): Promise<Record<string, number | null>> {
  const r = await getJson<{ labels: string[]; data: Array<Array<number | null>> }>(
    `${nd.url}/api/v1/data?chart=${encodeURIComponent(chart)}&after=-3&format=json&options=seconds`);
  const row = r.data[0] ?? [];
  return Object.fromEntries(r.labels.slice(1).map((l, i) => [l, row[i + 1] ?? null]));
}
