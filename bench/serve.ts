/** Measures `serve` catching up on a whole file from the beginning, by polling its /metrics. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

const POLL_MS = 25;
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

function scrape(port: number): Promise<string | undefined> {
  return new Promise((res) => {
    const req = get({ host: '127.0.0.1', port, path: '/metrics', timeout: 2000 }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => { body += d; });
      r.on('end', () => res(r.statusCode === 200 ? body : undefined));
    });
    req.on('error', () => res(undefined));
    req.on('timeout', () => { req.destroy(); res(undefined); });
  });
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
  try {
    let listenAt: number | undefined;
    for (;;) {
      if (exited) throw new Error(`serve exited early: ${stderr}`);
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error('serve did not catch up in time');
      const text = await scrape(port);
      const now = performance.now();
      if (text !== undefined) {
        listenAt ??= now;
        if (metricValue(text, 'k8s_anon_audit_lag_bytes') === 0 && metricValue(text, 'k8s_anon_audit_bytes_read_total') === size) {
          const cpu = cpuSeconds(child.pid as number);
          return {
            wallS: (now - t0) / 1000, fromListenS: (now - listenAt) / 1000, ...cpu, maxRssKB: vmHwmKB(child.pid as number),
            requestsTotal: metricValue(text, 'k8s_anon_audit_requests_total') ?? NaN, load1,
          };
        }
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
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
