import assert from 'node:assert/strict';
import { CHARTS } from '../../src/netdata/charts.js';
import { benign, incident } from './auditgen.js';
import { requireBinary, waitFor } from './helpers.js';
import { alarms, chartLatest, chartNewest, chartSums, charts, startNetdata, type Netdata } from './netdata.js';
import { startWorld, type World } from './world.js';

const ALARMS = ['k8s_anon_sensitive_allowed', 'k8s_anon_non_public_requests', 'k8s_anon_unexpected_rbac_bindings', 'k8s_anon_rbac_binding_changes',
  'k8s_anon_audit_silence', 'k8s_anon_audit_files_lost', 'k8s_anon_canary_missing', 'k8s_anon_unauthorized_spike', 'k8s_anon_auth_enabled',
  'k8s_anon_probe_exposed', 'k8s_anon_exporter_down',
  // Blind states (health.d/k8s_anon_blind.conf).
  'k8s_anon_audit_unreadable', 'k8s_anon_audit_never_read', 'k8s_anon_rbac_watch_down', 'k8s_anon_probe_failing', 'k8s_anon_checkpoint_failing', 'k8s_anon_audit_lagging',
  // Lockdown (health.d/k8s_anon_lockdown.conf).
  'k8s_anon_lockdown_ineffective'];
const CANARY = ['--canary.enabled=true', '--canary.intervalSeconds=1', '--canary.timeoutSeconds=1'];
/** Charts without data in this scenario, and why (checked to stay absent, so the list stays true). */
const EXPECTED_ABSENT: Record<string, string> = {
  'k8s_anon.canary_latency': 'the fake API server writes no audit events, so no canary is ever seen',
  'k8s_anon.webhook_events': 'the webhook input is off (its metrics exist only when it is enabled)',
  'k8s_anon.webhook_requests': 'the webhook input is off',
  'k8s_anon.webhook_ack_latency': 'the webhook input is off',
  'k8s_anon.apiserver_unauthorized': 'apiserver.metrics.enabled is off here (test/integration/lockdown.test.ts and test/posture/apiserver-metrics.test.ts cover it)',
  'k8s_anon.apiserver_latency': 'apiserver.metrics.enabled is off here',
};
const ALL_CHARTS = CHARTS.map((c) => `k8s_anon.${c.id}`).filter((c) => !(c in EXPECTED_ABSENT));

async function states(nd: Netdata): Promise<Record<string, string>> {
  return Object.fromEntries([...await alarms(nd)].map(([n, a]) => [n, a.status]));
}

describe('integration: real Netdata with the plugin, the health file and the daemon', function () {
  this.timeout(240_000);
  let bin: string | undefined;
  const worlds: World[] = [];
  const agents: Netdata[] = [];
  let keepAlive: NodeJS.Timeout | undefined;

  before(function () { bin = requireBinary(this, 'netdata'); });
  after(async () => {
    clearInterval(keepAlive);
    await Promise.all([...agents.map((a) => a.stop()), ...worlds.map((w) => w.stop())]);
  });

  it('charts every metric, collects the expected values and raises the alarms; a clean log leaves them CLEAR', async () => {
    const old = new Date(Date.now() - 400_000);
    const [dirty, clean] = await Promise.all([startWorld(benign(old), true, CANARY), startWorld(benign(new Date()), false)]);
    worlds.push(dirty, clean);
    const [nd, ndClean] = await Promise.all([startNetdata(bin as string, dirty.listen), startNetdata(bin as string, clean.listen)]);
    agents.push(nd, ndClean);
    keepAlive = setInterval(() => clean.append(benign(new Date())), 5000);

    // Netdata evaluates a 1-minute lookup once the chart holds a minute of data: wait for the
    // alarms to be CLEAR, then write the incident to the log and watch them go CRITICAL.
    await waitFor('alarms evaluated before the incident', async () => {
      const s = await states(nd);
      return s.k8s_anon_sensitive_allowed === 'CLEAR' && s.k8s_anon_rbac_binding_changes === 'CLEAR';
    }, 120_000, 1000);
    dirty.append(incident(old));

    const missingCharts = async () => { const have = new Set(await charts(nd)); return ALL_CHARTS.filter((c) => !have.has(c)); };
    await waitFor('every chart', async () => (await missingCharts()).length === 0, 30_000).catch(() => undefined);
    const missing = await missingCharts();
    assert.deepEqual(missing, []);
    const have = await charts(nd);
    assert.deepEqual(Object.keys(EXPECTED_ABSENT).filter((c) => have.includes(c)), [], 'expected-absent charts are absent');

    // Static dimensions count at once; a new source dimension counts one collection later.
    await waitFor('incident values', async () => (await chartSums(nd, 'k8s_anon.sensitive_requests', 120)).allowed! > 0.9 &&
      (await chartSums(nd, 'k8s_anon.sources', 120))['203.0.113.7']! > 1.9, 30_000).catch(() => undefined);
    const near = (v: number | null | undefined, want: number, what: string) => assert.ok(v !== null && v !== undefined && Math.abs(v - want) < 0.05, `${what}: ${v} != ${want}`);
    const sens = await chartSums(nd, 'k8s_anon.sensitive_requests', 120);
    near(sens.allowed, 1, 'sensitive allowed');
    const byClass = await chartSums(nd, 'k8s_anon.requests_by_class', 120);
    near(byClass.sensitive, 1, 'sensitive class');
    near(byClass.other, 1, 'other class (HEAD /)');
    near((await chartSums(nd, 'k8s_anon.rbac_binding_changes', 120)).changes, 1, 'binding changes');
    const sources = await chartSums(nd, 'k8s_anon.sources', 120);
    near(sources['203.0.113.7'], 2, `scanner source in ${JSON.stringify(sources)}`);
    const latest = async (c: string) => chartLatest(nd, c);
    assert.ok(((await latest('k8s_anon.audit_silence')).silence ?? 0) > 300, 'silence over 300 s');
    assert.equal((await latest('k8s_anon.rbac_bindings')).unexpected, 1);
    assert.equal((await latest('k8s_anon.rbac_bindings')).expected, 1);
    assert.equal((await latest('k8s_anon.rbac_capabilities')).read_secrets, 1);
    assert.equal((await latest('k8s_anon.auth_enabled')).manifest, 1);
    assert.equal((await latest('k8s_anon.probe_exposed'))['/api/v1/secrets?limit=1'], 1);
    assert.equal((await latest('k8s_anon.probe_status'))['/api/v1/secrets?limit=1'], 200);
    assert.deepEqual(await chartNewest(nd, 'k8s_anon.exporter'), { exporter_up: 1, audit_up: 1, rbac_up: 1 });
    assert.ok(((await latest('k8s_anon.ages')).rbac_sync ?? -1) >= 0, 'rbac sync age');
    assert.ok(((await chartSums(nd, 'k8s_anon.canary', 120)).missing ?? 0) > 0, 'canaries missing');
    const uncollected: string[] = [];
    for (const c of ALL_CHARTS) if (Object.values(await chartLatest(nd, c)).every((v) => v === null)) uncollected.push(c);
    assert.deepEqual(uncollected, [], 'every chart has collected values');

    const want: Record<string, string> = {
      k8s_anon_sensitive_allowed: 'CRITICAL', k8s_anon_rbac_binding_changes: 'CRITICAL', k8s_anon_audit_silence: 'CRITICAL',
      k8s_anon_unexpected_rbac_bindings: 'CRITICAL', k8s_anon_probe_exposed: 'CRITICAL', k8s_anon_auth_enabled: 'WARNING',
      k8s_anon_non_public_requests: 'WARNING', k8s_anon_canary_missing: 'CRITICAL', k8s_anon_exporter_down: 'CLEAR', k8s_anon_audit_files_lost: 'CLEAR',
      k8s_anon_audit_unreadable: 'CLEAR', k8s_anon_checkpoint_failing: 'CLEAR',
    };
    const cleanWant = Object.fromEntries(Object.keys(want).map((k) => [k, 'CLEAR']));
    delete cleanWant.k8s_anon_canary_missing;
    await waitFor('alarm states', async () => {
      const [s, c] = await Promise.all([states(nd), states(ndClean)]);
      return Object.entries(want).every(([k, v]) => s[k] === v) && Object.entries(cleanWant).every(([k, v]) => c[k] === v);
    }, 120_000, 1000).catch(async (e: Error) => {
      assert.fail(`${e.message}\nincident: ${JSON.stringify(await states(nd))}\nclean: ${JSON.stringify(await states(ndClean))}`);
    });
    assert.deepEqual(Object.keys(await states(nd)).sort(), [...ALARMS].sort(), 'every alarm attached to its chart');
    assert.doesNotMatch(nd.errorLog(), /Health configuration at line/, 'health file parses cleanly');
    assert.doesNotMatch(nd.errorLog(), /k8s_anon.*(Disabling it|disabled)/i);
  });

  it('keeps the plugin running when the daemon stops: exporter_up drops to 0', async () => {
    clearInterval(keepAlive);
    const [world] = worlds.splice(1, 1);
    const nd = agents[1] as Netdata;
    await world?.stop();
    await waitFor('exporter_up 0', async () => (await chartLatest(nd, 'k8s_anon.exporter')).exporter_up === 0, 20_000).catch((e: Error) => {
      const st = nd.status();
      assert.fail(`${e.message}\nnetdata exit ${st.exitCode}\n${st.output.slice(-1500)}\n${nd.errorLog().split('\n').slice(-30).join('\n')}`);
    });
    await waitFor('a gap in the other charts', async () => (await chartNewest(nd, 'k8s_anon.audit_silence')).silence === null, 10_000);
    assert.equal(agents[1]?.errorLog().match(/k8s_anon.plugin.*exited/), null, 'plugin still running');
  });
});
