/**
 * Tailer benchmark: append-to-/metrics latency at 1,000 events/s and steady-state CPU and RSS of
 * `serve` at 5,000 events/s, with the chokidar watch on and off (stat poll only).
 * Standalone: `node --import tsx bench/tail.ts [--seconds=N]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Results of one mode (watch on or off). */
export interface TailBenchResult {
  watch: boolean;
  pollIntervalMs: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number };
  cpuPercent: number;
  rssMaxMB: number;
  eventsPerSecond: number;
  load1: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const FROM_DIST = existsSync(join(HERE, '../src/cli.js'));
const ROOT = FROM_DIST ? join(HERE, '../..') : join(HERE, '..');

function cliArgs(): string[] {
  return FROM_DIST ? [join(ROOT, 'dist/src/cli.js')] : ['--import', 'tsx', join(ROOT, 'src/cli.ts')];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let seq = 0;
/** One realistic anonymous ResponseComplete event (~650 bytes), counted in `k8s_anon_audit_requests_total`. */
function eventLine(): string {
  seq++;
  const ts = new Date().toISOString().replace('Z', '123Z');
  return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"bench-${seq.toString(16).padStart(12, '0')}-4bbb-8ccc-000000000000","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods?limit=500","verb":"list","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["10.0.${seq % 7}.${seq % 40}"],"userAgent":"Go-http-client/1.1","objectRef":{"resource":"pods","namespace":"default","apiVersion":"v1"},"responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden","code":403},"requestReceivedTimestamp":"${ts}","stageTimestamp":"${ts}","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}\n`;
}

/** Appends events at a fixed rate with lumberjack-style rotation; remembers when each was written. */
class RateWriter {
  private fd: number;
  private size = 0;
  written = 0;
  readonly at: number[] = [];

  constructor(private readonly path: string, private readonly rotateBytes: number) {
    this.fd = openSync(path, 'a');
  }

  /** Writes the events due at `rate` per second since `t0`. */
  tick(t0: number, rate: number, record: boolean): void {
    const due = Math.floor(((performance.now() - t0) * rate) / 1000) - this.written;
    if (due <= 0) return;
    let batch = '';
    for (let i = 0; i < due; i++) batch += eventLine();
    if (this.size + batch.length > this.rotateBytes) this.rotate();
    writeSync(this.fd, batch);
    this.size += batch.length;
    const now = performance.now();
    for (let i = 0; i < due; i++) if (record) this.at.push(now);
    this.written += due;
  }

  private rotate(): void {
    closeSync(this.fd);
    const stamp = new Date().toISOString().replace(/:/g, '-').replace('Z', '');
    renameSync(this.path, join(this.path, `../audit-${stamp}.log`));
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }

  close(): void { closeSync(this.fd); }
}

async function scrape(port: number, name: string): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (USER_HZ = 100)
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function latency(w: RateWriter, port: number, seconds: number): Promise<TailBenchResult['latencyMs']> {
  const base = (await scrape(port, 'k8s_anon_audit_requests_total')) ?? 0;
  const t0 = performance.now();
  const timer = setInterval(() => w.tick(t0, 1000, true), 2);
  const lat: number[] = [];
  let seen = 0;
  while (performance.now() - t0 < seconds * 1000 || seen < w.written) {
    const v = await scrape(port, 'k8s_anon_audit_requests_total');
    const now = performance.now();
    if (v !== null) for (; seen < v - base && seen < w.at.length; seen++) lat.push(now - w.at[seen]!);
    if (performance.now() - t0 >= seconds * 1000) clearInterval(timer);
    if (performance.now() - t0 > seconds * 1000 + 30_000) break;
    await sleep(10);
  }
  clearInterval(timer);
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99), max: lat[lat.length - 1] ?? NaN, samples: lat.length };
}

async function steady(w: RateWriter, pid: number, seconds: number): Promise<{ cpu: number; rss: number; rate: number }> {
  const t0 = performance.now();
  const start = w.written;
  const timer = setInterval(() => w.tick(t0, 5000, false), 5);
  await sleep(3000); // warm-up
  const c0 = cpuTicks(pid);
  const m0 = performance.now();
  const n0 = w.written;
  let rss = 0;
  while (performance.now() - m0 < seconds * 1000) { rss = Math.max(rss, rssMB(pid)); await sleep(500); }
  const cpu = ((cpuTicks(pid) - c0) / 100) / ((performance.now() - m0) / 1000) * 100;
  const rate = (w.written - n0) / ((performance.now() - m0) / 1000);
  clearInterval(timer);
  void start;
  return { cpu, rss, rate };
}

/** Runs both phases against one `serve` child with the watch on or off and the given poll interval. */
export async function benchMode(watch: boolean, pollIntervalMs: number, seconds: number): Promise<TailBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-bench-tail-'));
  const path = join(dir, 'audit.log');
  const w = new RateWriter(path, 64 * 1024 * 1024);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...cliArgs(), 'serve', `--audit.path=${path}`, `--state.dir=${join(dir, 'state')}`,
    `--web.listen=127.0.0.1:${port}`, `--audit.watch=${watch}`, `--audit.pollIntervalMs=${pollIntervalMs}`, '--rbac.enabled=false', '--probe.enabled=false', '--log.level=warn'],
  { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    while ((await scrape(port, 'k8s_anon_audit_up')) !== 1) await sleep(100);
    const load1 = loadavg()[0]!;
    const latencyMs = await latency(w, port, seconds);
    w.at.length = 0;
    const s = await steady(w, child.pid!, seconds);
    return { watch, pollIntervalMs, latencyMs, cpuPercent: s.cpu, rssMaxMB: s.rss, eventsPerSecond: s.rate, load1 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    w.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Formats results as a Markdown table. */
export function tailMarkdown(rs: TailBenchResult[]): string {
  const f = (n: number): string => n.toFixed(1);
  const rows = rs.map((r) => `| ${r.watch ? 'on' : 'off'} | ${r.pollIntervalMs} | ${f(r.latencyMs.p50)} | ${f(r.latencyMs.p99)} | ${f(r.latencyMs.max)} | ${r.latencyMs.samples} | ${f(r.cpuPercent)} | ${f(r.rssMaxMB)} | ${Math.round(r.eventsPerSecond)} | ${r.load1.toFixed(2)} |`);
  return ['| watch | poll ms | latency p50 ms | p99 ms | max ms | samples | CPU % of one core @5k/s | RSS max MB | events/s | load1 |',
    '|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 20);
  const results: TailBenchResult[] = [];
  for (const [watch, poll] of [[true, 500], [false, 500], [false, 250]] as const) results.push(await benchMode(watch, poll, seconds));
  process.stdout.write(`${tailMarkdown(results)}\n\nnode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${seconds} s per phase, ${FROM_DIST ? 'dist build' : 'tsx'}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => { process.stderr.write(`${String(e)}\n`); process.exitCode = 1; });
}
