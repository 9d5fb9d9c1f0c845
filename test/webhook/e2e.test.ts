/**
 * Acceptance: a stand-in for kube-apiserver's batch webhook backend sends 100,000 events in
 * batches of 400 over mutual TLS, retrying with backoff, to a real `serve` child process that is
 * SIGKILLed three times mid-stream. /metrics must equal the ground truth exactly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../src/audit/analyzer.js';
import { createRegistry } from '../../src/metrics/registry.js';
import { registerAuditMetrics } from '../../src/metrics/audit.js';
import { generateTraffic } from '../../bench/traffic.js';
import { Daemon, freePort, parseMetrics } from '../tail/daemon.js';
import { makePki, type Pki } from '../../bench/pki.js';
import { agentFor, eventList, post, type Target } from '../../bench/webhook-client.js';

const EVENTS = 100_000;
const BATCH = 400;
const SENDERS = 3;
const KILL_AFTER = [50, 110, 170];
/** Every LOSE_EVERYth batch has its 200 "lost" once and is sent again (a retry after a lost answer). */
const LOSE_EVERY = 41;

function groundTruthLines(): string[] {
  const lines: string[] = [];
  generateTraffic(80_000, 7, (l) => { if (lines.length < EVENTS && l.startsWith('{"kind":"Event"')) lines.push(l); });
  assert.equal(lines.length, EVENTS);
  return lines;
}

/** Families whose values do not depend on the order batches arrive in. */
const EXACT = /^k8s_anon_(requests_total|sensitive_requests_total|impersonated_requests_total|unauthorized_requests_total|rbac_binding_changes_total|rbac_binding_writes_unverified_total|audit_events_total|audit_requests_total|audit_lines_skipped_total|audit_last_event_timestamp_seconds)\b/;

async function truthMetrics(lines: string[]): Promise<Map<string, number>> {
  const a = new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 30 });
  for (const l of lines) { const b = Buffer.from(l); a.line(b, 0, b.length); }
  const r = createRegistry();
  registerAuditMetrics(r, a);
  return parseMetrics(await r.metrics());
}

const pick = (m: Map<string, number>): Map<string, number> => new Map([...m].filter(([k, v]) => EXACT.test(k) && v !== 0));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('webhook input end to end (mutual TLS, SIGKILL x3)', function () {
  this.timeout(300_000);
  let pki: Pki;
  let dir: string;
  before(() => { pki = makePki(); dir = mkdtempSync(join(tmpdir(), 'webhook-e2e-')); });
  let stopDaemon: () => Promise<unknown> = async () => undefined;
  // A failed assertion must not leave the child running (it would keep mocha alive).
  afterEach(() => stopDaemon());
  after(() => { pki.cleanup(); rmSync(dir, { recursive: true, force: true }); });

  it('counts every event exactly once across crashes and retries', async () => {
    const lines = groundTruthLines();
    const batches: Buffer[] = [];
    for (let i = 0; i < lines.length; i += BATCH) batches.push(eventList(lines.slice(i, i + BATCH).map((l) => JSON.parse(l) as unknown)));
    const [hookPort, webPort] = [await freePort(), await freePort()];
    const args = [
      '--audit.path=', `--state.dir=${dir}`, `--web.listen=127.0.0.1:${webPort}`, `--webhook.listen=127.0.0.1:${hookPort}`,
      `--webhook.tls.certFile=${pki.server.certFile}`, `--webhook.tls.keyFile=${pki.server.keyFile}`, `--webhook.tls.clientCAFile=${pki.ca.certFile}`,
      '--probe.enabled=false', '--rbac.enabled=false', '--log.level=warn',
    ];
    let daemon = await Daemon.start(args);
    stopDaemon = () => daemon.kill('SIGKILL');
    await daemon.ready();
    const target: Target = { url: `https://127.0.0.1:${hookPort}/audit/webhook`, caFile: pki.ca.certFile, certFile: pki.client.certFile, keyFile: pki.client.keyFile };
    let acked = 0, retries = 0, lost = 0, kills = 0;
    let restarting: Promise<void> | null = null;
    const maybeKill = async (): Promise<void> => {
      if (kills >= KILL_AFTER.length || acked < (KILL_AFTER[kills] as number) || restarting) return;
      kills++;
      restarting = (async () => {
        await daemon.kill('SIGKILL');
        daemon = await Daemon.start(args);
        await daemon.ready();
      })();
      await restarting;
      restarting = null;
    };
    // Like the API server: send, and on any failure retry the same batch with exponential backoff.
    const sendOne = async (i: number): Promise<void> => {
      let backoff = 20;
      let loseOnce = i % LOSE_EVERY === 0;
      for (;;) {
        const agent = agentFor(target);
        try {
          const r = await post({ ...target, agent }, batches[i] as Buffer);
          if (r.status === 200 && loseOnce) { loseOnce = false; lost++; continue; }
          if (r.status === 200) { acked++; return; }
        } catch { /* connection refused or reset while the daemon restarts */ } finally { agent.destroy(); }
        retries++;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 500);
      }
    };
    let next = 0;
    await Promise.all(Array.from({ length: SENDERS }, async () => {
      while (next < batches.length) {
        const i = next++;
        const sending = sendOne(i);
        // Kill while this sender's batch (and the others') are in flight.
        if (i % 7 === 3) void maybeKill();
        await sending;
      }
    }));
    while (restarting) await restarting;
    assert.equal(kills, 3, 'three SIGKILLs happened mid-stream');
    const got = await daemon.metrics();
    assert.ok(got);
    const want = await truthMetrics(lines);
    assert.equal(got.get('k8s_anon_webhook_events_total'), EVENTS);
    assert.ok((got.get('k8s_anon_webhook_duplicate_batches_total') ?? 0) >= lost, `duplicates ${got.get('k8s_anon_webhook_duplicate_batches_total')} >= lost answers ${lost}`);
    assert.deepEqual(pick(got), pick(want));
    const sumBy = (m: Map<string, number>, outcome: string): number => [...m].filter(([k]) => k.startsWith('k8s_anon_source_requests_total{') && k.includes(`outcome="${outcome}"`)).reduce((s, [, v]) => s + v, 0);
    for (const o of ['allowed', 'forbidden', 'unauthorized']) assert.equal(sumBy(got, o), sumBy(want, o), o);
    process.stderr.write(`      ${batches.length} batches, ${retries} retries, ${lost} lost answers, duplicates ${got.get('k8s_anon_webhook_duplicate_batches_total')}\n`);
    await daemon.kill('SIGTERM');
  });
});
