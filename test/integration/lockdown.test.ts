import assert from 'node:assert/strict';
import { benign, event } from './auditgen.js';
import { requireBinary, waitFor } from './helpers.js';
import { alarms, chartLatest, startNetdata, type Netdata } from './netdata.js';
import { startWorld, type World } from './world.js';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const NAME = 'k8s_anon_lockdown_ineffective';

/** Anonymous 2xx on a resource path: what a forgotten API server instance keeps answering. */
function leak(at: Date): string {
  return event({ at, user: ANON, verb: 'list', uri: '/api/v1/namespaces/default/pods', code: 200, ip: '10.0.0.99', objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' } });
}

describe('integration: k8s_anon_lockdown_ineffective on a real Netdata agent', function () {
  this.timeout(240_000);
  let bin: string | undefined;
  const worlds: World[] = [];
  const agents: Netdata[] = [];
  let feed: NodeJS.Timeout | undefined;

  before(function () { bin = requireBinary(this, 'netdata'); });
  after(async () => {
    clearInterval(feed);
    await Promise.all([...agents.map((a) => a.stop()), ...worlds.map((w) => w.stop())]);
  });

  it('fires when the posture says locked while anonymous 2xx to a resource path keep arriving; quiet on a locked log', async () => {
    // Both nodes run the locked manifest (--anonymous-auth=false) and a fake API server answering 401.
    const [leaky, locked] = await Promise.all([startWorld(benign(new Date()), false), startWorld(benign(new Date()), false)]);
    worlds.push(leaky, locked);
    const [nd, ndLocked] = await Promise.all([startNetdata(bin as string, leaky.listen), startNetdata(bin as string, locked.listen)]);
    agents.push(nd, ndLocked);
    feed = setInterval(() => {
      const now = new Date();
      leaky.append(benign(now) + leak(now));
      locked.append(benign(now));
    }, 2000);
    await waitFor('posture read as locked on both', async () => (await chartLatest(nd, 'k8s_anon.lockdown')).locked === 1 && (await chartLatest(ndLocked, 'k8s_anon.lockdown')).locked === 1, 60_000, 1000);
    const state = async (a: Netdata): Promise<string | undefined> => (await alarms(a)).get(NAME)?.status;
    await waitFor('CRITICAL on the leaky node, CLEAR on the locked one', async () => (await state(nd)) === 'CRITICAL' && (await state(ndLocked)) === 'CLEAR', 150_000, 1000)
      .catch(async (e: Error) => assert.fail(`${e.message}: leaky ${await state(nd)}, locked ${await state(ndLocked)}`));
    assert.ok(((await alarms(nd)).get(NAME)?.value ?? 0) > 0);
    assert.doesNotMatch(nd.errorLog(), /Health configuration at line/, 'health file parses cleanly');
  });
});
