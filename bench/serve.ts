/** Measures `serve` catching up on a whole file from the beginning, by polling its /metrics. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, vmHwmKB } from './measure.js';

/** One catch-up run. */
export interface ServeSample {
  /** Spawn to lag 0 with every byte read. */
  wallS: number;
  /** First /metrics answer (daemon started) to done: the reading itself plus polling granularity. */
  fromListenS: number;
  userS: number;
  sysS: number;
  maxRssKB: number;
  requestsTotal: number;
  load1: number;
}

const POLL_MS = 20;
const TIMEOUT_MS = 600_000;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

function httpGet(port: number, path: string): Promise<string | undefined> {
  return new Promise((res) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 2000 }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => { body += d; });
      r.on('end', () => res(r.statusCode === 200 ? body : undefined));
    });
    req.on('error', () => res(undefined));
    req.on('timeout', () => { req.destroy(); res(undefined); });
  });
}

/** Bytes the process has read through read(2) and friends so far (`rchar` in /proc/<pid>/io), or NaN. */
function readChars(pid: number): number {
  try {
    const m = /^rchar:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch { return NaN; }
}

/** Reads an unlabelled sample's value from exposition text. */
export function metricValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The `serve` arguments the benchmark uses. */
export function serveArgs(file: string, stateDir: string, port: number): string[] {
  return ['serve', `--audit.path=${file}`, '--audit.startAt=beginning', `--state.dir=${stateDir}`,
    `--web.listen=127.0.0.1:${port}`, '--rbac.enabled=false', '--probe.enabled=false'];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for catch-up without loading the daemon: `/healthz` (cheap) until it listens, then the
 * process's read counter until it has read at least the file's size, and only then `/metrics`
 * (a scrape costs the daemon about 3 ms of CPU) until every byte is counted with lag 0.
 */
async function waitCaughtUp(port: number, pid: number, size: number, alive: () => void): Promise<{ listenAt: number; text: string }> {
  let listenAt: number | undefined;
  for (;;) {
    alive();
    if (listenAt === undefined) {
      if ((await httpGet(port, '/healthz')) !== undefined) listenAt = performance.now();
      else await sleep(POLL_MS);
    } else if (readChars(pid) < size) { // NaN (no /proc/<pid>/io) falls through to scraping
      await sleep(5);
    } else {
      const text = await httpGet(port, '/metrics');
      if (text !== undefined && metricValue(text, 'k8s_anon_audit_lag_bytes') === 0 && metricValue(text, 'k8s_anon_audit_bytes_read_total') === size) return { listenAt, text };
      await sleep(POLL_MS);
    }
  }
}

/** Starts `serve` on `file`, waits until it has read all `size` bytes with lag 0, stops it, returns timings. */
export async function timeServe(cli: string, cwd: string, file: string, size: number): Promise<ServeSample> {
  const stateDir = mkdtempSync(join(tmpdir(), 'k8s-anon-bench-state-'));
  const port = await freePort();
  const load1 = loadavg()[0] as number;
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, ...serveArgs(file, stateDir, port)], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const pid = child.pid as number;
  try {
    const { listenAt, text } = await waitCaughtUp(port, pid, size, () => {
      if (exited) throw new Error(`serve exited early: ${stderr}`);
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error('serve did not catch up in time');
    });
    const now = performance.now();
    return {
      wallS: (now - t0) / 1000, fromListenS: (now - listenAt) / 1000, ...cpuSeconds(pid), maxRssKB: vmHwmKB(pid),
      requestsTotal: metricValue(text, 'k8s_anon_audit_requests_total') ?? NaN, load1,
    };
  } finally {
    await stop(child, () => exited);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function stop(child: ReturnType<typeof spawn>, exited: () => boolean): Promise<void> {
  if (exited()) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}
