/** Signals with the real daemon: SIGHUP reloads, SIGUSR1 opens nothing, SIGUSR2 ends with a log line and a final checkpoint. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { event } from '../integration/auditgen.js';
import { waitFor } from '../integration/helpers.js';
import { ServeChild } from './child.js';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const line = (ip: string): string => event({ at: new Date(), user: ANON, verb: 'get', uri: '/api', code: 403, ip });

/** Local ports of TCP sockets in LISTEN state owned by `pid` (from /proc/net/tcp{,6} and the process's fds). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1] as string);
    } catch { /* fd closed meanwhile */ }
  }
  const ports: number[] = [];
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const c = row.trim().split(/\s+/);
      if (c[3] === '0A' && inodes.has(c[9] as string)) ports.push(parseInt((c[1] as string).split(':')[1] as string, 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

describe('signals with the real daemon', function () {
  this.timeout(120_000);
  let dir: string;
  let c: ServeChild | undefined;
  const cfg = (classes: string): void => writeFileSync(join(dir, 'config.yaml'), `sources:\n  classes: ${classes}\n`);

  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k8s-anon-signals-')); });
  afterEach(async () => { await c?.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });

  const start = async (): Promise<ServeChild> => {
    writeFileSync(join(dir, 'audit.log'), line('10.1.2.3'));
    c = await ServeChild.start([`--config=${join(dir, 'config.yaml')}`, `--audit.path=${join(dir, 'audit.log')}`, `--state.dir=${join(dir, 'state')}`,
      '--audit.startAt=beginning', '--audit.pollIntervalMs=100', '--rbac.enabled=false', '--probe.enabled=false',
      `--apiserver.manifest=${join(dir, 'none.yaml')}`, `--apiserver.procRoot=${dir}`]);
    return c;
  };
  const series = (cls: string) => `k8s_anon_requests_total{endpoint_class="discovery",verb="get",code="403",source_class="${cls}"}`;

  it('SIGHUP applies a changed sources.classes to the next events; an invalid file keeps the running configuration', async () => {
    cfg('{}');
    const d = await start();
    await waitFor('first event', async () => (await d.sample(series('private'))) === 1);
    cfg('{ lb: [10.1.2.0/24] }\naudit:\n  maxLineBytes: 1000000');
    d.child.kill('SIGHUP');
    await d.logged('"msg":"configuration reloaded"');
    assert.match(d.stderr(), /"msg":"configuration changes that need a restart were not applied","keys":\["audit.maxLineBytes"\]/);
    appendFileSync(join(dir, 'audit.log'), line('10.1.2.4'));
    await waitFor('event under the new class', async () => (await d.sample(series('lb'))) === 1, 30_000);
    assert.equal(await d.sample(series('private')), 1, 'counted events keep their class');

    cfg('{ lb: [not-a-cidr] }');
    d.child.kill('SIGHUP');
    await d.logged('"msg":"configuration reload failed; keeping the running configuration"');
    appendFileSync(join(dir, 'audit.log'), line('10.1.2.5'));
    await waitFor('old configuration still in force', async () => (await d.sample(series('lb'))) === 2, 30_000);
    assert.equal(d.child.exitCode, null, 'still running');
  });

  it('SIGUSR1 opens no listening socket (the inspector stays closed)', async () => {
    cfg('{}');
    const d = await start();
    const pid = d.child.pid as number;
    const port = Number(d.listen.split(':')[1]);
    assert.deepEqual(listeningPorts(pid), [port]);
    d.child.kill('SIGUSR1');
    await d.logged('SIGUSR1 ignored');
    // The inspector would listen before Node returns to the event loop; a scrape proves the loop turned.
    assert.match(await d.metrics(), /k8s_anon_audit_up 1/);
    assert.deepEqual(listeningPorts(pid), [port], 'only /metrics listens');
    assert.equal(d.child.exitCode, null);
  });

  it('SIGUSR2 is logged and the daemon exits 140 after a final checkpoint', async () => {
    cfg('{}');
    const d = await start();
    await waitFor('first event', async () => (await d.sample(series('private'))) === 1);
    appendFileSync(join(dir, 'audit.log'), line('10.1.2.6'));
    await waitFor('second event', async () => (await d.sample(series('private'))) === 2);
    const sentAt = Date.now();
    const exit = await d.kill('SIGUSR2');
    assert.deepEqual(exit, { code: 128 + 12, signal: null });
    assert.match(d.stderr(), /"level":"warn","msg":"terminating on an unexpected signal; writing a final checkpoint","signal":"SIGUSR2"/);
    const cp = JSON.parse(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')) as { writtenAtMs: number; current: { offset: number } };
    assert.ok(cp.writtenAtMs >= sentAt, 'checkpoint written after the signal');
    assert.equal(cp.current.offset, readFileSync(join(dir, 'audit.log')).length, 'every line read is checkpointed');
  });
});
