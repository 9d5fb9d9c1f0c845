/** RBAC watcher failure modes and the audit-stream link: 403, unreachable, recovery, forced re-list. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RbacWatcher } from '../../src/rbac/watcher.js';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { applyFixture, ManualTimers, matchGolden, rbacExposition, testContext, until, type TestContext } from './support.js';

const RESOURCES = ['clusterrolebindings', 'rolebindings', 'clusterroles', 'roles'] as const;

describe('rbac watcher failure modes', () => {
  let kube: FakeKube;
  let dir: string;
  let ctx: TestContext;
  let timers: ManualTimers;
  let watcher: RbacWatcher | undefined;

  const errors = (): Record<string, unknown>[] => ctx.lines.filter((l) => l.level === 'error');
  const make = (kubeconfig: string): RbacWatcher =>
    (watcher = new RbacWatcher(ctx, { kind: 'file', path: kubeconfig }, { now: () => 0, timers, backoffInitialMs: 1000, backoffMaxMs: 4000 }));

  beforeEach(async () => {
    kube = new FakeKube();
    await kube.start();
    applyFixture(kube, 'kubeadm-defaults.yaml');
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-rbac-'));
    ctx = testContext();
    timers = new ManualTimers();
    watcher = undefined;
  });

  afterEach(async () => {
    await watcher?.stop();
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('403: start resolves, up is 0, one error line names the missing permissions, then recovers', async () => {
    for (const r of RESOURCES) kube.forbidden.add(r);
    const w = make(writeKubeconfig(dir, kube.url));
    await w.start();
    assert.equal(w.up(), false);
    assert.equal(errors().length, 1, JSON.stringify(ctx.lines));
    assert.match(String(errors()[0]?.error), /^forbidden: missing permission list clusterrolebindings\.rbac\.authorization\.k8s\.io, list rolebindings\.rbac\.authorization\.k8s\.io, list clusterroles\.rbac\.authorization\.k8s\.io, list roles\.rbac\.authorization\.k8s\.io/);
    matchGolden('05-forbidden.prom', await rbacExposition(ctx.registry));
    assert.match(await ctx.registry.metrics(), /k8s_anon_collector_success\{collector="rbac"\} 0/);

    assert.deepEqual(timers.delays, [1000]);
    timers.fire(); // still forbidden: backoff doubles, the identical error line is rate-limited
    await until(() => timers.delays.length === 1, 5000, 'second retry');
    assert.deepEqual(timers.delays, [2000]);
    assert.equal(errors().length, 1);

    kube.forbidden.clear();
    timers.fire();
    await until(() => w.up(), 5000, 'recovery');
    assert.equal(w.summary().bindings.length, 2);
    assert.match(await ctx.registry.metrics(), /k8s_anon_collector_success\{collector="rbac"\} 1/);
  });

  it('403 on one resource names only that permission', async () => {
    kube.forbidden.add('roles');
    const w = make(writeKubeconfig(dir, kube.url));
    await w.start();
    assert.equal(w.up(), false);
    assert.equal(errors().length, 1);
    assert.match(String(errors()[0]?.error), /^forbidden: missing permission list roles\.rbac\.authorization\.k8s\.io \(/);
  });

  it('unreachable: start resolves, up is 0, one error line, backoff is capped', async () => {
    const url = kube.url;
    await kube.stop();
    const w = make(writeKubeconfig(dir, url));
    await w.start();
    assert.equal(w.up(), false);
    assert.equal(errors().length, 1);
    assert.match(String(errors()[0]?.error), /^API server unreachable at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/);
    for (const want of [1000, 2000, 4000, 4000]) {
      await until(() => timers.delays.length === 1, 5000, 'retry scheduled');
      assert.deepEqual(timers.delays, [want]);
      timers.fire();
    }
  });

  it('a black-holed API server does not hold up start() beyond its cap', async () => {
    kube.blackhole = true;
    const w = new RbacWatcher(ctx, { kind: 'file', path: writeKubeconfig(dir, kube.url) }, { timers, startTimeoutMs: 10_000 });
    watcher = w;
    let resolved = false;
    const started = w.start().then(() => { resolved = true; });
    await until(() => kube.requests.length === 4, 5000, 'four pending lists');
    assert.deepEqual(timers.delays, [10_000]);
    assert.equal(resolved, false);
    timers.fire();
    await started;
    assert.equal(w.up(), false);
  });

  it('an unusable kubeconfig disables the watch with one error line and never throws', async () => {
    writeFileSync(join(dir, 'broken'), 'clusters: [');
    const w = make(join(dir, 'broken'));
    await w.start();
    assert.equal(w.up(), false);
    assert.equal(errors().length, 1);
    assert.match(String(errors()[0]?.error), /^cannot load kubeconfig /);
    assert.match(await rbacExposition(ctx.registry), /^k8s_anon_rbac_up 0$/m);
  });
});

describe('rbac watcher link to the audit stream', () => {
  let kube: FakeKube;
  let dir: string;
  let ctx: TestContext;
  let timers: ManualTimers;
  let clock: number;
  let watcher: RbacWatcher;

  beforeEach(async () => {
    kube = new FakeKube();
    await kube.start();
    applyFixture(kube, 'kubeadm-defaults.yaml');
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-rbac-'));
    ctx = testContext();
    timers = new ManualTimers();
    clock = 1_000_000;
    watcher = new RbacWatcher(ctx, { kind: 'file', path: writeKubeconfig(dir, kube.url) }, { now: () => clock, timers, confirmWindowMs: 2000 });
    await watcher.start();
    clock += 60_000; // the initial list is a minute old when the audit log shows a write
  });

  afterEach(async () => {
    await watcher.stop();
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const listCount = (r: string): number => kube.requests.filter((q) => q === `list ${r}`).length;
  const observer = (): NonNullable<TestContext['observers'][number]['bindingWrite']> => {
    const o = ctx.observers.find((x) => x.bindingWrite);
    assert.ok(o?.bindingWrite, 'the watcher registers a bindingWrite observer');
    return o.bindingWrite.bind(o);
  };

  it('re-lists when the log shows a binding write that the (stalled) watch did not deliver', async () => {
    kube.hold = true;
    applyFixture(kube, 'view-binding.yaml');
    observer()('ClusterRoleBinding', 'create');
    observer()('ClusterRoleBinding', 'patch'); // debounced: one timer, one re-list
    assert.deepEqual(timers.delays, [2000]);
    clock += 2000;
    timers.fire();
    await until(() => watcher.summary().bindings.some((b) => b.name === 'anonymous-view'), 5000, 'forced re-list');
    assert.equal(listCount('clusterrolebindings'), 2);
    assert.equal(listCount('rolebindings'), 1, 'only the written kind is re-listed');
  });

  it('does not re-list when the watch delivered the change', async () => {
    applyFixture(kube, 'view-binding.yaml');
    await until(() => watcher.summary().bindings.some((b) => b.name === 'anonymous-view'), 5000, 'watch event');
    clock += 500;
    observer()('ClusterRoleBinding', 'create');
    clock += 2000;
    timers.fire();
    await new Promise((r) => setImmediate(r));
    assert.equal(listCount('clusterrolebindings'), 1);
  });

  it('re-lists RoleBindings for a RoleBinding write, also when the write removed the anonymous subject', async () => {
    kube.hold = true;
    kube.remove('rolebindings', 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo');
    observer()('RoleBinding', 'delete');
    clock += 2000;
    timers.fire();
    await until(() => watcher.summary().bindings.length === 1, 5000, 'deleted binding gone');
    assert.equal(listCount('rolebindings'), 2);
  });
});
