/**
 * Every blind state reached with the real daemon: the metric that shows it and /readyz answering
 * 503 with the reason. (The alerts on these metrics are tested with promtool in the mixin.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../helpers/fake-kube.js';
import { freePort } from '../helpers/net.js';
import { event } from '../integration/auditgen.js';
import { REPO, requireBinary, waitFor } from '../integration/helpers.js';
import { ServeChild } from './child.js';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const isRoot = process.getuid?.() === 0;

describe('blind states with the real daemon: metric and /readyz 503 with the reason', function () {
  this.timeout(120_000);
  let dir: string;
  const children: ServeChild[] = [];

  /** Inputs off except the inspector, which reads a locked-down manifest (so it succeeds). */
  const base = (extra: string[]): string[] => [
    `--state.dir=${join(dir, 'state')}`, '--audit.startAt=beginning', '--audit.pollIntervalMs=100', '--rbac.enabled=false', '--probe.enabled=false',
    `--apiserver.manifest=${join(REPO, 'test', 'fixtures', 'integration', 'kube-apiserver-locked.yaml')}`, `--apiserver.procRoot=${join(dir, 'proc')}`, ...extra,
  ];
  const serve = async (extra: string[], as: { uid?: number; gid?: number } = {}): Promise<ServeChild> => {
    const c = await ServeChild.start(base(extra), as);
    children.push(c);
    return c;
  };
  const log = (): string => {
    const p = join(dir, 'audit.log');
    writeFileSync(p, event({ at: new Date(), user: ANON, verb: 'get', uri: '/healthz', code: 200, ip: '10.0.0.9' }), { mode: 0o644 });
    return p;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-blind-'));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'proc'));
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
    spawnSync('umount', [join(dir, 'state')], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('healthy: a readable log answers /readyz 200 and exports no blind-state signal', async () => {
    const c = await serve([`--audit.path=${log()}`]);
    await c.logged('"msg":"serving"');
    // The tailer opens the log on its first poll after start-up: wait for that, then nothing may say blind.
    const m = await waitFor('audit_up 1 after the first poll', async () => { const t = await c.metrics(); return /^k8s_anon_audit_up 1$/m.test(t) && t; }, 30_000, 50);
    const r = await c.ready();
    assert.deepEqual(r, { status: 200, body: { ready: true, reasons: [] } }, c.stderr().slice(-2000));
    assert.match(m, /^k8s_anon_audit_last_event_timestamp_seconds \d/m);
    assert.match(m, /^k8s_anon_checkpoint_write_errors_total 0$/m);
    assert.match(m, /^k8s_anon_collector_success\{collector="inspector"\} 1$/m);
  });

  it('wrong audit.path at first start: audit_up 0, read errors (enoent), silence counting from start, no last-event sample', async () => {
    const c = await serve([`--audit.path=${join(dir, 'missing', 'audit.log')}`]);
    const body = await c.notReadyFor('audit_unreadable');
    assert.match(body.reasons.find((x) => x.reason === 'audit_unreadable')?.message ?? '', /ENOENT/);
    const m = await c.metrics();
    assert.match(m, /^k8s_anon_audit_up 0$/m);
    assert.match(m, /^k8s_anon_audit_read_errors_total\{reason="enoent"\} [1-9]/m);
    assert.match(m, /^k8s_anon_audit_silence_seconds \d/m);
    assert.doesNotMatch(m, /^k8s_anon_audit_last_event_timestamp_seconds /m, 'unknown is not 0');
    assert.equal((await fetch(`http://${c.listen}/healthz`)).status, 200, '/healthz is liveness only');
    // The file appears: readable again, ready again.
    mkdirSync(join(dir, 'missing'));
    writeFileSync(join(dir, 'missing', 'audit.log'), event({ at: new Date(), user: ANON, verb: 'get', uri: '/healthz', code: 200, ip: '10.0.0.9' }));
    await waitFor('/readyz 200 once the log exists', async () => (await c.ready()).status === 200, 30_000, 100);
    assert.match(await c.metrics(), /^k8s_anon_audit_up 1$/m);
  });

  it('the audit path is a directory: not_regular_file, audit_up 0, /readyz 503', async () => {
    mkdirSync(join(dir, 'audit.log'));
    const c = await serve([`--audit.path=${join(dir, 'audit.log')}`]);
    await c.notReadyFor('audit_unreadable');
    const m = await c.metrics();
    assert.match(m, /^k8s_anon_audit_up 0$/m);
    assert.match(m, /^k8s_anon_audit_read_errors_total\{reason="not_regular_file"\} [1-9]/m);
  });

  it('an audit log the daemon may not read (mode 000, daemon as an unprivileged uid): eacces, /readyz 503', async function () {
    // Root reads any file whatever its mode, so the daemon drops to uid 65534 as a packaged service user would be.
    const p = log();
    chmodSync(p, 0o000);
    mkdirSync(join(dir, 'state'), { mode: 0o777 });
    chmodSync(join(dir, 'state'), 0o777);
    const c = await serve([`--audit.path=${p}`], isRoot ? { uid: 65534, gid: 65534 } : {});
    const body = await c.notReadyFor('audit_unreadable');
    assert.match(JSON.stringify(body), /EACCES|permission denied/);
    const m = await c.metrics();
    assert.match(m, /^k8s_anon_audit_up 0$/m);
    assert.match(m, /^k8s_anon_audit_read_errors_total\{reason="eacces"\} [1-9]/m);
  });

  it('RBAC API server down: rbac_up 0, collector_success{rbac} 0, /readyz names the input', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const c = await serve([`--audit.path=${log()}`, '--rbac.enabled=true', `--rbac.kubeconfig=${writeKubeconfig(dir, dead)}`]);
    const body = await c.notReadyFor('input_never_succeeded');
    assert.ok(body.reasons.some((x) => x.input === 'rbac'), JSON.stringify(body));
    const m = await c.metrics();
    assert.match(m, /^k8s_anon_rbac_up 0$/m);
    assert.match(m, /^k8s_anon_collector_success\{collector="rbac"\} 0$/m);
  });

  it('probe target refusing connections: probe_up 0 per path, no probe_exposed or status sample, /readyz names the input', async () => {
    const refused = `https://127.0.0.1:${await freePort()}`;
    const c = await serve([`--audit.path=${log()}`, '--probe.enabled=true', '--probe.intervalSeconds=1', `--apiserver.url=${refused}`, '--probe.paths=/version,/api/v1/secrets?limit=1']);
    const body = await c.notReadyFor('input_never_succeeded');
    assert.ok(body.reasons.some((x) => x.input === 'probe'), JSON.stringify(body));
    const m = await c.metrics();
    assert.match(m, /^k8s_anon_probe_up\{path="\/api\/v1\/secrets\?limit=1"\} 0$/m);
    assert.match(m, /^k8s_anon_probe_up\{path="\/version"\} 0$/m);
    assert.doesNotMatch(m, /^k8s_anon_probe_exposed\{/m, 'no answer is not "not exposed"');
    assert.doesNotMatch(m, /^k8s_anon_probe_status_code\{/m);
    assert.match(m, /^k8s_anon_collector_success\{collector="probe"\} 0$/m);
  });

  it('state.dir unwritable (beneath a regular file: fails even as root): checkpoint write errors, /readyz 503', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const c = await serve([`--audit.path=${log()}`, `--state.dir=${join(dir, 'file', 'state')}`]);
    const body = await c.notReadyFor('checkpoint_failing');
    assert.match(body.reasons.find((x) => x.reason === 'checkpoint_failing')?.message ?? '', /ENOTDIR|not a directory/);
    assert.match(await c.metrics(), /^k8s_anon_checkpoint_write_errors_total [1-9]/m);
  });

  it('state.dir full (a 16 KiB tmpfs filled up): checkpoint write errors, /readyz 503', async function () {
    const state = join(dir, 'state');
    mkdirSync(state);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', state]).status !== 0) this.skip(); // needs CAP_SYS_ADMIN
    spawnSync('dd', ['if=/dev/zero', `of=${join(state, 'fill')}`, 'bs=4k', 'count=64'], { stdio: 'ignore' });
    const c = await serve([`--audit.path=${log()}`]);
    const body = await c.notReadyFor('checkpoint_failing');
    assert.match(body.reasons.find((x) => x.reason === 'checkpoint_failing')?.message ?? '', /ENOSPC|no space/i);
    assert.match(await c.metrics(), /^k8s_anon_checkpoint_write_errors_total [1-9]/m);
    rmSync(join(state, 'fill'));
    // Space is back: the next write succeeds and readiness recovers.
    await waitFor('/readyz 200 after space is freed', async () => (await c.ready()).status === 200, 30_000, 100);
  });
});

describe('promtool check metrics on a live scrape', function () {
  this.timeout(120_000);
  let promtool: string | undefined;
  before(function () { promtool = requireBinary(this, 'promtool'); });

  it('is clean, with process_* and nodejs_* series present', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-promtool-'));
    const p = join(dir, 'audit.log');
    writeFileSync(p, event({ at: new Date(), user: ANON, verb: 'get', uri: '/api', code: 403, ip: '203.0.113.9' }));
    const c = await ServeChild.start([`--audit.path=${p}`, `--state.dir=${join(dir, 'state')}`, '--audit.startAt=beginning', '--rbac.enabled=false', '--probe.enabled=false',
      `--apiserver.manifest=${join(dir, 'none.yaml')}`, `--apiserver.procRoot=${dir}`]);
    try {
      // The tailer reads the log on its first poll after start-up: scrape once that line is counted.
      const text = await waitFor('the source series after the first poll', async () => {
        const t = await c.metrics();
        return /^k8s_anon_source_requests_total\{source="203\.0\.113\.9"/m.test(t) && t;
      }, 30_000, 50);
      assert.match(text, /^process_resident_memory_bytes \d/m);
      assert.match(text, /^process_start_time_seconds \d/m);
      assert.match(text, /^nodejs_heap_size_used_bytes \d/m);
      assert.match(text, /^k8s_anon_source_requests_total\{source="203\.0\.113\.9"/m);
      const r = spawnSync(promtool as string, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'promtool findings');
      assert.equal(r.status, 0);
    } finally {
      await c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
