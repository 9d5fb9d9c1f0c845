import assert from 'node:assert/strict';
import { freePort } from '../helpers/net.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls.js';
import { startFakeApi, type FakeApi, type Seen } from './fakeapi.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ANON = '{"username":"system:anonymous","groups":["system:unauthenticated"]}';

const stamp = (): string => new Date().toISOString().replace(/(\.\d{3})Z$/, '$1000Z');

/** The audit line kube-apiserver writes for a request without credentials that fails authentication. */
function line401(s: Seen): string {
  const uri = JSON.stringify(s.path);
  return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":${JSON.stringify(String(s.headers['audit-id']))},"stage":"ResponseStarted","requestURI":${uri},"verb":"get","user":{},"sourceIPs":["127.0.0.1"],"userAgent":${JSON.stringify(String(s.headers['user-agent']))},"objectRef":{"resource":"configmaps","namespace":"default","name":"x","apiVersion":"v1"},"responseStatus":{"metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401},"requestReceivedTimestamp":"${stamp()}","stageTimestamp":"${stamp()}"}\n`;
}

/** RequestReceived + anonymous 403 ResponseComplete, as logged when anonymous auth is on. */
function lines403(s: Seen): string {
  const head = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":${JSON.stringify(String(s.headers['audit-id']))},"stage":"%STAGE%","requestURI":${JSON.stringify(s.path)},"verb":"get","user":${ANON},"sourceIPs":["127.0.0.1"],"userAgent":"k8s-anon-exporter","objectRef":{"resource":"configmaps","namespace":"default","name":"x","apiVersion":"v1"}`;
  const t = stamp();
  return `${head.replace('%STAGE%', 'RequestReceived')},"requestReceivedTimestamp":"${t}","stageTimestamp":"${t}"}\n`
    + `${head.replace('%STAGE%', 'ResponseComplete')},"responseStatus":{"metadata":{},"status":"Failure","message":"configmaps is forbidden: User \\"system:anonymous\\" cannot get resource \\"configmaps\\" in API group \\"\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"kind":"configmaps"},"code":403},"requestReceivedTimestamp":"${t}","stageTimestamp":"${stamp()}","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}\n`;
}

const READYZ = () => `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"8c78a368-f65c-4a78-ac41-0b26b7042ade","stage":"ResponseComplete","requestURI":"/readyz","verb":"get","user":${ANON},"sourceIPs":["10.0.0.186"],"userAgent":"kube-probe/1.34","responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"${stamp()}","stageTimestamp":"${stamp()}","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \\"system:public-info-viewer\\" of ClusterRole \\"system:public-info-viewer\\" to Group \\"system:unauthenticated\\""}}\n`;


/** Sum of every sample of `name` in an exposition text (undefined when the family has none). */
function total(text: string, name: string): number | undefined {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  let sum: number | undefined;
  for (const m of text.matchAll(re)) sum = (sum ?? 0) + Number(m[1]);
  return sum;
}

interface Run { dir: string; log: string; api: FakeApi; child: ChildProcess; metricsUrl: string; stderr: string[] }

async function startRun(cert: TestCert, record: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'canary-e2e-'));
  const log = join(dir, 'audit.log');
  writeFileSync(log, READYZ());
  mkdirSync(join(dir, 'state'));
  mkdirSync(join(dir, 'proc'));
  const api = await startFakeApi(cert, { mode: 'rbac' }, (s) => {
    if (!record || !s.path.includes('k8s-anon-exporter-canary-')) return;
    appendFileSync(log, /-[0-9]*[02468]$/.test(s.path) ? lines403(s) : line401(s));
  });
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve',
    `--audit.path=${log}`, '--audit.startAt=beginning', `--state.dir=${join(dir, 'state')}`, `--web.listen=127.0.0.1:${port}`,
    '--audit.pollIntervalMs=50', '--rbac.enabled=false', '--probe.enabled=false', '--canary.enabled=true',
    '--canary.intervalSeconds=1', '--canary.timeoutSeconds=2', `--apiserver.url=${api.url}`,
    `--apiserver.manifest=${join(dir, 'none.yaml')}`, `--apiserver.procRoot=${join(dir, 'proc')}`,
  ], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  return { dir, log, api, child, metricsUrl: `http://127.0.0.1:${port}/metrics`, stderr };
}

async function scrape(r: Run): Promise<string> {
  try { return await (await fetch(r.metricsUrl)).text(); } catch { return ''; }
}

/** Scrapes until `ok` holds (the child runs in real time; this is its only clock). */
async function until(r: Run, ok: (text: string) => boolean, ms = 15_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const text = await scrape(r);
    if (ok(text)) return text;
    if (Date.now() > end || r.child.exitCode !== null) assert.fail(`condition not met; last scrape:\n${text}\nstderr:\n${r.stderr.join('')}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function stopRun(r: Run): Promise<void> {
  if (r.child.exitCode === null) {
    const exited = new Promise((res) => r.child.once('exit', res));
    r.child.kill('SIGTERM');
    await exited;
  }
  await r.api.close();
  rmSync(r.dir, { recursive: true, force: true });
}

describe('audit canary end to end (serve + real tailer + fake API server)', function () {
  this.timeout(40_000);
  let cert: TestCert;
  before(() => { cert = makeSelfSignedCert(); });
  after(() => cert.cleanup());

  it('recorded canaries are seen with latency, and never count as anonymous or 401 traffic', async () => {
    const r = await startRun(cert, true);
    try {
      const text = await until(r, (t) => (total(t, 'k8s_anon_canary_seen_total') ?? 0) >= 3);
      assert.equal(total(text, 'k8s_anon_canary_missing_total'), 0);
      assert.ok((total(text, 'k8s_anon_canary_latency_seconds_count') ?? 0) >= 3);
      assert.ok((total(text, 'k8s_anon_canary_latency_seconds_sum') ?? -1) >= 0);
      assert.equal(total(text, 'k8s_anon_requests_total'), 1, 'only the /readyz probe is anonymous traffic');
      assert.match(text, /k8s_anon_requests_total\{[^}]*endpoint_class="health"[^}]*\} 1/);
      assert.equal(total(text, 'k8s_anon_unauthorized_requests_total') ?? 0, 0);
      assert.equal(total(text, 'k8s_anon_sensitive_requests_total') ?? 0, 0);
      assert.match(text, /k8s_anon_collector_success\{collector="canary"\} 1/);
    } finally { await stopRun(r); }
  });

  it('a dropped canary is missing within the timeout and the alarm condition (missing_total increased) holds', async () => {
    const r = await startRun(cert, false);
    try {
      const first = await until(r, (t) => (total(t, 'k8s_anon_canary_sent_total') ?? 0) >= 1);
      const before = total(first, 'k8s_anon_canary_missing_total') ?? 0;
      const t0 = Date.now();
      const text = await until(r, (t) => (total(t, 'k8s_anon_canary_missing_total') ?? 0) > before, 8_000);
      assert.ok(Date.now() - t0 < 2_000 + 1_500, 'missing reported about canary.timeoutSeconds after sending');
      assert.equal(total(text, 'k8s_anon_canary_seen_total'), 0);
      assert.equal(total(text, 'k8s_anon_requests_total'), 1);
      assert.ok(r.api.seen.some((s) => s.path.includes('k8s-anon-exporter-canary-')));
      assert.match(r.stderr.join(''), /audit canary not seen/);
    } finally { await stopRun(r); }
  });
});
