/**
 * Crash torture under CPU contention (two busy loops): a lumberjack-style writer at ~5,000 events/s
 * rotating every ~4 MB, every second backup gzipped 300 ms later (the `.gz` written non-atomically,
 * then the plain file unlinked), one copytruncate, three SIGKILLs and a SIGTERM with restarts
 * 0.5-2 s later. At the end every audit counter in /metrics must equal the ground truth, exactly.
 * Timings are seeded (TORTURE_SEED); `npm run torture -- --runs 20` repeats it.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { Analyzer } from '../../src/audit/analyzer.js';
import { registerAuditMetrics } from '../../src/metrics/audit.js';
import { EventGenerator, LumberjackWriter, rng, seedExisting } from './writer.js';
import { Daemon, freePort, parseMetrics } from './daemon.js';

const RATE = 5000; // events per second
const WRITE_MS = Number(process.env.TORTURE_WRITE_MS ?? 10_000);
const ROTATE_BYTES = 4 * 1024 * 1024;
const SEED = Number(process.env.TORTURE_SEED ?? 0);

/** Two busy loops keeping both cores loaded for the test's duration. */
function busyLoops(): () => void {
  // Each loop exits by itself once its parent is gone (a killed test run must not leave them spinning).
  const loop = `for (let i = 0; ; i++) if ((i & 0xffffff) === 0 && process.ppid !== ${process.pid}) process.exit(0);`;
  const kids = [0, 1].map(() => spawn(process.execPath, ['-e', loop], { stdio: 'ignore' }));
  return () => { for (const k of kids) k.kill('SIGKILL'); };
}
const VOLATILE = new Set(['k8s_anon_audit_silence_seconds']);

async function groundTruth(written: Buffer[]): Promise<Map<string, number>> {
  const analyzer = new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30 });
  for (const b of written) analyzer.line(b, 0, b.length);
  const registry = new Registry();
  registerAuditMetrics(registry, analyzer);
  return parseMetrics(await registry.metrics());
}

async function torture(startAt: 'end' | 'beginning', seed: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-torture-'));
  const logDir = join(dir, 'log');
  const rand = rng(seed);
  const gen = new EventGenerator(seed);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(logDir);
  let daemon: Daemon | null = null;
  const logs: string[] = [];
  try {
    if (startAt === 'beginning') seedExisting(logDir, gen, 3, 2000);
    const lumberjack = { compressEvery: 2, gzipDelayMs: 300 };
    const writer = startAt === 'beginning' ? new LumberjackWriter(logDir, ROTATE_BYTES, true, lumberjack) : null;
    if (writer) writer.write(Array.from({ length: 3000 }, () => gen.next()));
    const args = (port: number): string[] => [`--audit.path=${join(logDir, 'audit.log')}`, `--state.dir=${join(dir, 'state')}`,
      `--web.listen=127.0.0.1:${port}`, `--audit.startAt=${startAt}`, '--rbac.enabled=false', '--probe.enabled=false', '--log.level=debug'];
    daemon = await Daemon.start(args(await freePort()));
    await daemon.serving();
    await daemon.checkpointExists(join(dir, 'state'));
    const w = writer ?? new LumberjackWriter(logDir, ROTATE_BYTES, true, lumberjack);
    const kills = [0.15, 0.35, 0.55, 0.75].map((f) => (f + (rand() - 0.5) * 0.1) * WRITE_MS);
    const signals: NodeJS.Signals[] = ['SIGKILL', 'SIGKILL', 'SIGTERM', 'SIGKILL'];
    const t0 = Date.now();
    let copyTruncated = false;
    let copyTruncateNow = false;
    let sent = 0;
    const timer = setInterval(() => {
      const t = Date.now() - t0;
      const due = Math.min(RATE * t / 1000, RATE * WRITE_MS / 1000) - sent;
      if (due >= 1) { w.write(Array.from({ length: Math.floor(due) }, () => gen.next())); sent += Math.floor(due); }
      if (!copyTruncated && copyTruncateNow) { w.copyTruncate(); copyTruncated = true; }
    }, 10);
    try {
      for (const at of kills) {
        await new Promise((r) => setTimeout(r, Math.max(0, at - (Date.now() - t0))));
        const sig = signals.shift()!;
        // serve installs its SIGTERM handler once started; a SIGKILL may land anywhere.
        if (sig === 'SIGTERM') await daemon.serving();
        const code = await daemon.kill(sig);
        logs.push(`--- ${sig}\n${daemon.stderr()}`);
        if (sig === 'SIGTERM') assert.equal(code, 0, `SIGTERM exit code\n${daemon.stderr()}`);
        await new Promise((r) => setTimeout(r, 500 + rand() * 1500));
        daemon = await Daemon.start(args(await freePort()));
        if (signals.length === 2) { await daemon.logged('following live file'); copyTruncateNow = true; } // while it follows
      }
      await new Promise((r) => setTimeout(r, Math.max(0, WRITE_MS + 50 - (Date.now() - t0))));
    } finally {
      clearInterval(timer);
    }
    await w.settle();
    w.close();
    await daemon.serving();
    const m = await daemon.waitCaughtUp(w.bytes, 60_000);
    const truth = await groundTruth(w.written);
    const names = new Set([...truth.keys()].map((k) => k.replace(/[{ ].*$/, '')));
    for (const [key, value] of truth) {
      const name = key.replace(/[{ ].*$/, '');
      if (VOLATILE.has(name) || name.endsWith('_created')) continue;
      assert.equal(m.get(key), value, `${key}: daemon ${m.get(key)} != truth ${value}`);
    }
    for (const key of m.keys()) {
      const name = key.replace(/[{ ].*$/, '');
      if (names.has(name) && !VOLATILE.has(name)) assert.ok(truth.has(key), `extra series ${key}`);
    }
    if (process.env.TORTURE_VERBOSE) console.error(logs.join('') + daemon.stderr(), { tr: m.get('k8s_anon_audit_truncations_total'), rot: m.get('k8s_anon_audit_rotations_total'),  events: w.written.length, bytes: w.bytes, rotations: w.rotations, requests: truth.get('k8s_anon_audit_requests_total') });
    assert.ok(w.written.length > 35_000, `events written: ${w.written.length}`);
    assert.equal(m.get('k8s_anon_audit_bytes_read_total'), w.bytes);
    // A copytruncate while the daemon is down, with the truncated inode rotated and gzipped away
    // before the restart, cannot be told from a rename: generation transitions are exact, their kind is not.
    assert.equal((m.get('k8s_anon_audit_rotations_total') ?? 0) + (m.get('k8s_anon_audit_truncations_total') ?? 0), w.rotations + w.copytruncates);
    assert.equal(m.get('k8s_anon_audit_files_lost_total') ?? 0, 0);
    assert.equal(m.get('k8s_anon_audit_up'), 1);
    assert.ok(w.rotations >= 5, `rotations: ${w.rotations}`);
    assert.equal(w.copytruncates, 1);
    assert.equal(await daemon.kill('SIGTERM'), 0);
    assert.match(daemon.stderr(), /resumed from checkpoint/);
    daemon = null;
  } finally {
    if (daemon) await daemon.kill('SIGKILL');
    if (process.env.TORTURE_KEEP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'daemon.log'), logs.join('') + (daemon?.stderr() ?? ''));
      console.error(`torture dir kept: ${dir}`);
    }
    else rmSync(dir, { recursive: true, force: true });
  }
}

describe('tail: crash torture (serve as a child process, both cores busy)', function () {
  this.timeout(180_000);
  let stopBusy: () => void = () => undefined;
  before(() => { stopBusy = busyLoops(); });
  after(() => stopBusy());
  it('every audit counter equals the ground truth after SIGKILLs, a SIGTERM, rotations, gzip and copytruncate', async () => {
    await torture('end', 7 + SEED);
  });
  it('the same from audit.startAt beginning with existing backups', async () => {
    await torture('beginning', 11 + SEED);
  });
});
