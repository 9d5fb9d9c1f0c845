/** Real Netdata: the audit-unreadable alarm goes CRITICAL for a daemon that cannot read its log, and stays CLEAR on a healthy one. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServeChild } from '../serve/child.js';
import { benign } from './auditgen.js';
import { requireBinary, waitFor } from './helpers.js';
import { alarms, chartNewest, startNetdata, type Netdata } from './netdata.js';

const BLIND = ['k8s_anon_audit_unreadable', 'k8s_anon_audit_never_read', 'k8s_anon_rbac_watch_down', 'k8s_anon_probe_failing',
  'k8s_anon_checkpoint_failing', 'k8s_anon_audit_lagging'];

describe('integration: real Netdata raises the blind-state alarm for an unreadable audit log', function () {
  this.timeout(240_000);
  let bin: string | undefined;
  const daemons: ServeChild[] = [];
  const agents: Netdata[] = [];
  let dir: string;
  let keepAlive: NodeJS.Timeout | undefined;

  before(function () { bin = requireBinary(this, 'netdata'); dir = mkdtempSync(join(tmpdir(), 'k8s-anon-nd-blind-')); });
  after(async () => {
    clearInterval(keepAlive);
    await Promise.all([...agents.map((a) => a.stop()), ...daemons.map((d) => d.kill('SIGKILL'))]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('CRITICAL for a wrong audit.path from the first start, CLEAR for a healthy log', async () => {
    const healthyLog = join(dir, 'audit.log');
    writeFileSync(healthyLog, benign(new Date()));
    const common = ['--rbac.enabled=false', '--probe.enabled=false', `--apiserver.manifest=${join(dir, 'none.yaml')}`, `--apiserver.procRoot=${dir}`, '--audit.startAt=beginning'];
    const [blind, healthy] = await Promise.all([
      ServeChild.start([`--audit.path=${join(dir, 'missing', 'audit.log')}`, `--state.dir=${join(dir, 'state-blind')}`, ...common]),
      ServeChild.start([`--audit.path=${healthyLog}`, `--state.dir=${join(dir, 'state-healthy')}`, ...common]),
    ]);
    daemons.push(blind, healthy);
    keepAlive = setInterval(() => appendFileSync(healthyLog, benign(new Date())), 5000);
    const [nd, ndHealthy] = await Promise.all([startNetdata(bin as string, blind.listen), startNetdata(bin as string, healthy.listen)]);
    agents.push(nd, ndHealthy);

    await waitFor('blind chart collected', async () => (await chartNewest(nd, 'k8s_anon.blind')).audit_unreadable === 1, 60_000, 1000);
    assert.equal((await chartNewest(ndHealthy, 'k8s_anon.blind')).audit_unreadable, 0);
    const status = async (a: Netdata) => (await alarms(a)).get('k8s_anon_audit_unreadable')?.status;
    await waitFor('k8s_anon_audit_unreadable CRITICAL', async () => (await status(nd)) === 'CRITICAL', 120_000, 1000).catch(async (e: Error) => {
      assert.fail(`${e.message}: ${await status(nd)}\n${nd.errorLog().split('\n').filter((l) => /health|k8s_anon/i.test(l)).slice(-20).join('\n')}`);
    });
    // Each agent evaluates its alarms on its own schedule: the healthy one's may not have run yet.
    await waitFor('healthy agent evaluated k8s_anon_audit_unreadable', async () => !['UNINITIALIZED', undefined].includes(await status(ndHealthy)), 120_000, 1000);
    assert.equal(await status(ndHealthy), 'CLEAR', 'a healthy log keeps the alarm CLEAR');
    const known = [...(await alarms(nd)).keys()];
    assert.deepEqual(BLIND.filter((a) => !known.includes(a)), [], 'every blind-state alarm attached to its chart');
    assert.doesNotMatch(nd.errorLog(), /Health configuration at line/, 'health files parse cleanly');
  });
});
