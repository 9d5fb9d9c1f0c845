/**
 * Webhook input benchmark: the same events through the file tailer and through the webhook
 * (batches of 400 over mutual TLS), each against a fresh `serve` child process.
 * `npm run bench:webhook` (BENCH_WEBHOOK_EVENTS=N, BENCH_WEBHOOK_RATE=events/s for the paced run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../src/audit/analyzer.js';
import { feedItems, parseEventList } from '../src/webhook/eventlist.js';
import { repoRoot } from './generate.js';
import { cpuSeconds, vmHwmKB } from './measure.js';
import { makePki, type Pki } from './pki.js';
import { timeServe } from './serve.js';
import { generateTraffic } from './traffic.js';
import { agentFor, eventList, post, type Target } from './webhook-client.js';

const BATCH = 400;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number; };

/** One measured phase. */
interface Phase { name: string; events: number; wallS: number; cpuS: number; p50ms?: number; p99ms?: number; serverP99?: string; rssMB: number }

/** The upper bound of the histogram bucket holding the 99th percentile, from exposition text. */
function bucketP99(text: string, name: string): string {
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [m[1] as string, Number(m[2])] as const);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  const hit = buckets.find(([, c]) => c >= total * 0.99);
  return hit ? `≤ ${hit[0] === '+Inf' ? '∞' : Number(hit[0]) * 1000}` : '-';
}

const connects = (port: number): Promise<boolean> => new Promise((res) => {
  const s = connect(port, '127.0.0.1', () => { s.destroy(); res(true); });
  s.on('error', () => res(false));
});

async function startServe(cli: string, args: string[], hookPort?: number): Promise<{ child: ChildProcess; web: number }> {
  const web = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [cli, 'serve', `--web.listen=127.0.0.1:${web}`, '--rbac.enabled=false', '--probe.enabled=false', '--log.level=warn', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${web}/healthz`)).ok && (hookPort === undefined || await connects(hookPort))) return { child, web };
    } catch { /* not yet */ }
    await sleep(25);
  }
  throw new Error('serve did not start');
}

/** Sends every batch; `rate` events/s paces batches open-loop (0: as fast as `concurrency` allows). */
async function sendAll(t: Target, batches: Buffer[], concurrency: number, rate: number): Promise<number[]> {
  const lat: number[] = [];
  const agent = agentFor(t);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < batches.length) {
      const i = next++;
      if (rate > 0) { const due = t0 + (i * BATCH * 1000) / rate; const wait = due - performance.now(); if (wait > 0) await sleep(wait); }
      const s = performance.now();
      const r = await post({ ...t, agent }, batches[i] as Buffer);
      if (r.status !== 200) throw new Error(`batch ${i}: ${r.status} ${r.body}`);
      lat.push(performance.now() - s);
    }
  }));
  agent.destroy();
  return lat;
}

async function webhookPhase(cli: string, pki: Pki, batches: Buffer[], events: number, rate: number): Promise<Phase> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-bench-webhook-'));
  const port = 40000 + Math.floor(Math.random() * 20000);
  const { child, web } = await startServe(cli, ['--audit.path=', `--state.dir=${dir}`, `--webhook.listen=127.0.0.1:${port}`,
    `--webhook.tls.certFile=${pki.server.certFile}`, `--webhook.tls.keyFile=${pki.server.keyFile}`, `--webhook.tls.clientCAFile=${pki.ca.certFile}`], port);
  const pid = child.pid as number;
  try {
    const target: Target = { url: `https://127.0.0.1:${port}/audit/webhook`, caFile: pki.ca.certFile, certFile: pki.client.certFile, keyFile: pki.client.keyFile };
    const c0 = cpuSeconds(pid);
    const t0 = performance.now();
    const lat = await sendAll(target, batches, rate > 0 ? 8 : 4, rate);
    const wallS = (performance.now() - t0) / 1000;
    const c1 = cpuSeconds(pid);
    const serverP99 = bucketP99(await (await fetch(`http://127.0.0.1:${web}/metrics`)).text(), 'k8s_anon_webhook_ack_latency_seconds');
    return { serverP99, name: rate > 0 ? `webhook, paced at ${rate} events/s` : 'webhook, as fast as acknowledged (4 senders)', events, wallS, cpuS: c1.userS + c1.sysS - c0.userS - c0.sysS, p50ms: pct(lat, 50), p99ms: pct(lat, 99), rssMB: vmHwmKB(pid) / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Counting alone, in this process, on one core: the file path's line entry against EventList parsing + the object entry. */
function inProcess(lines: string[], batches: Buffer[]): Phase[] {
  const opts = { sourceClasses: {}, sourceAddress: 'last' as const, maxSourceSeries: 50, gapThresholdSeconds: 30 };
  const bufs = lines.map((l) => Buffer.from(l));
  const run = (name: string, fn: () => void): Phase => {
    const c0 = cpuNow();
    const t0 = performance.now();
    fn();
    return { name, events: lines.length, wallS: (performance.now() - t0) / 1000, cpuS: cpuNow() - c0, rssMB: process.memoryUsage().rss / 2 ** 20 };
  };
  const file = new Analyzer(opts);
  const hook = new Analyzer(opts);
  return [
    run('in process: file lines into Analyzer.line (fast path)', () => { for (const b of bufs) file.line(b, 0, b.length); }),
    run('in process: EventList bodies parsed, items into the analyzer', () => { for (const b of batches) feedItems(parseEventList(b.toString('utf8')) as unknown[], hook); }),
  ];
}

const row = (p: Phase): string => `| ${p.name} | ${p.events} | ${p.wallS.toFixed(2)} | ${Math.round(p.events / p.wallS)} | ${(p.cpuS / p.wallS).toFixed(2)} | ${Math.round(p.events / p.cpuS)} | ${p.p50ms?.toFixed(1) ?? '-'} | ${p.p99ms?.toFixed(1) ?? '-'} | ${p.serverP99 ?? '-'} | ${p.rssMB.toFixed(0)} |`;

/** Runs the three phases and prints a Markdown table. */
export async function main(): Promise<void> {
  const events = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 200_000);
  const rate = Number(process.env.BENCH_WEBHOOK_RATE ?? 20_000);
  const root = repoRoot();
  const cli = join(root, 'dist/src/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-bench-events-'));
  const pki = makePki();
  try {
    const lines: string[] = [];
    generateTraffic(Math.ceil(events * 0.8), 20261129, (l) => { if (lines.length < events && l.startsWith('{"kind":"Event"')) lines.push(l); });
    const file = join(dir, 'audit.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const batches: Buffer[] = [];
    for (let i = 0; i < lines.length; i += BATCH) batches.push(eventList(lines.slice(i, i + BATCH).map((l) => JSON.parse(l) as unknown)));
    const load1 = loadavg()[0] as number;
    const f = await timeServe(cli, root, file, statSync(file).size);
    const phases: Phase[] = [
      ...inProcess(lines, batches),
      { name: 'file tail, catch-up from the beginning', events: lines.length, wallS: f.fromListenS, cpuS: f.userS + f.sysS, rssMB: f.maxRssKB / 1024 },
      await webhookPhase(cli, pki, batches, lines.length, 0),
      await webhookPhase(cli, pki, batches, lines.length, rate),
    ];
    process.stdout.write([
      '| input | events | wall s | events/s | daemon cores | events per CPU-second | ack p50 ms (client) | ack p99 ms (client) | ack p99 ms (daemon histogram bucket) | RSS max MB |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...phases.map(row), '',
      `node ${process.version}, load1 ${load1.toFixed(2)} at start, ${Math.round(statSync(file).size / lines.length)} bytes per event on average`, '',
    ].join('\n'));
  } finally {
    pki.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => { process.stderr.write(`${String(e)}\n`); process.exitCode = 1; });
