/** The RBAC watcher with the real client against a local list/watch server: exposition text in each state. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RbacWatcher } from '../../src/rbac/watcher.js';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { applyFixture, ManualTimers, matchGolden, rbacExposition, testContext, until, type TestContext } from './support.js';

const T0 = Date.UTC(2026, 10, 28, 14, 2, 0);

describe('rbac watcher (real client, fake API server)', () => {
  let kube: FakeKube;
  let dir: string;
  let ctx: TestContext;
  let watcher: RbacWatcher;
  let timers: ManualTimers;
  let clock: number;

  const names = (): string[] => watcher.summary().bindings.map((b) => `${b.kind}/${b.namespace}/${b.name}`);
  /** client-node reports a dropped watch as an error; the watcher restarts it after its (stepped) backoff. */
  const restartAfterError = async (): Promise<void> => {
    await until(() => timers.delays.length > 0, 5000, 'restart scheduled');
    assert.equal(watcher.up(), false);
    timers.fire();
  };
  const listCount = (r: string): number => kube.requests.filter((q) => q === `list ${r}`).length;

  beforeEach(async () => {
    kube = new FakeKube();
    await kube.start();
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-rbac-'));
    ctx = testContext();
    timers = new ManualTimers();
    clock = T0;
    applyFixture(kube, 'kubeadm-defaults.yaml');
    watcher = new RbacWatcher(ctx, { kind: 'file', path: writeKubeconfig(dir, kube.url) }, { now: () => clock, timers, confirmWindowMs: 2000 });
  });

  afterEach(async () => {
    await watcher.stop();
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports kubeadm defaults, then pre-1.14 discovery, an aggregated role and a view binding, then removals', async () => {
    await watcher.start();
    assert.equal(watcher.up(), true);
    matchGolden('01-kubeadm-defaults.prom', await rbacExposition(ctx.registry));

    clock += 1000;
    applyFixture(kube, 'pre114-discovery.yaml');
    await until(() => names().length === 4, 5000, 'pre-1.14 bindings');
    matchGolden('02-pre114.prom', await rbacExposition(ctx.registry));

    clock += 1000;
    applyFixture(kube, 'aggregated.yaml');
    applyFixture(kube, 'view-binding.yaml');
    await until(() => names().length === 6, 5000, 'aggregated and view bindings');
    matchGolden('03-aggregated-and-view.prom', await rbacExposition(ctx.registry));

    clock += 1000;
    kube.remove('clusterrolebindings', '', 'anonymous-view');
    kube.remove('rolebindings', 'ci', 'ci-artifacts-public');
    applyFixture(kube, 'kubeadm-defaults.yaml'); // system:discovery and system:basic-user lose system:unauthenticated
    await until(() => names().length === 2, 5000, 'removals');
    matchGolden('04-removed.prom', await rbacExposition(ctx.registry));
  });

  it('re-derives a binding when its role changes: an edited default role is flagged', async () => {
    await watcher.start();
    kube.apply('clusterroles', {
      metadata: { name: 'system:public-info-viewer' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/', '/metrics'] }],
    });
    await until(() => watcher.summary().unexpectedCount === 1, 5000, 'edited role flagged');
    const v = watcher.summary().bindings.find((b) => b.name === 'system:public-info-viewer');
    assert.equal(v?.expected, false);
    assert.match(v?.note ?? '', /grants more than its default rules/);
    assert.equal(watcher.summary().capabilities.nonresource_other, true);
  });

  it('resumes after a connection drop from its resourceVersion and matches the server', async () => {
    await watcher.start();
    kube.hold = true;
    applyFixture(kube, 'view-binding.yaml');
    kube.remove('rolebindings', 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo');
    kube.hold = false;
    kube.dropWatches();
    await restartAfterError();
    await until(() => names().join() === 'ClusterRoleBinding//anonymous-view,ClusterRoleBinding//system:public-info-viewer', 5000, 'state after drop');
    assert.equal(listCount('clusterrolebindings'), 1, 'a drop with a valid resourceVersion needs no re-list');
    assert.ok(kube.requests.includes('watch clusterrolebindings rv=113'), kube.requests.join('\n'));
  });

  for (const mode of ['event', 'status'] as const) {
    it(`re-lists after 410 Gone (${mode === 'event' ? 'watch ERROR event' : 'HTTP status'}) and matches the server`, async () => {
      kube.goneMode = mode;
      await watcher.start();
      kube.hold = true;
      applyFixture(kube, 'aggregated.yaml');
      kube.remove('clusterrolebindings', '', 'system:public-info-viewer');
      kube.compact();
      kube.hold = false;
      kube.dropWatches();
      await restartAfterError();
      await until(() => names().join() === 'RoleBinding/ci/ci-artifacts-public,RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo', 5000, 'state after 410');
      await until(() => ['clusterrolebindings', 'rolebindings', 'clusterroles', 'roles'].every((r) => listCount(r) === 2), 5000, 're-lists of all four');
      const caps = (): string => watcher.summary().bindings.find((b) => b.name === 'ci-artifacts-public')?.capabilities.join() ?? '';
      await until(() => caps() === 'read_secrets', 5000, 'aggregated role resolved after the re-list');
      assert.equal(watcher.up(), true);
    });
  }

  it('re-watches at once, without an error or backoff, when the server ends a watch cleanly', async () => {
    await watcher.start();
    kube.endWatches();
    await until(() => kube.requests.filter((q) => q.startsWith('watch ')).length === 8, 5000, 'four new watches');
    applyFixture(kube, 'view-binding.yaml');
    await until(() => names().includes('ClusterRoleBinding//anonymous-view'), 5000, 'event on the new watch');
    assert.deepEqual(timers.delays, []);
    assert.equal(watcher.up(), true);
    assert.equal(listCount('clusterrolebindings'), 1);
    assert.deepEqual(ctx.lines, []);
  });

  it('ignores BOOKMARK events and keeps watching', async () => {
    await watcher.start();
    kube.bookmark();
    applyFixture(kube, 'view-binding.yaml');
    await until(() => names().includes('ClusterRoleBinding//anonymous-view'), 5000, 'event after bookmark');
    assert.equal(listCount('clusterrolebindings'), 1);
  });
});
