import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createPostureInputs, ManualScheduler, type ProbeInput } from '../../src/posture/index.js';
import { watchCheck } from '../../src/posture/watch.js';
import type { Waker } from '../../src/tail/waker.js';
import { sample, testContext } from './context.js';
import { runCli } from '../helpers/cli.js';
import { FakeKube, writeKubeconfig } from '../helpers/fake-kube.js';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls.js';
import { matchGolden } from './golden.js';
import { kubernetesSlice, startInstances, type Instances } from './instances.js';

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];

/** A waker the test releases by hand: `parked` resolves when the loop waits. */
class StepWaker implements Waker {
  private release: (() => void) | undefined;
  private onPark: (() => void) | undefined;
  readonly waits: number[] = [];
  wait(ms: number): Promise<void> {
    this.waits.push(ms);
    const p = new Promise<void>((r) => { this.release = r; });
    this.onPark?.();
    return p;
  }
  parked(): Promise<void> { return new Promise((r) => { this.onPark = r; }); }
  wake(): void { const r = this.release; this.release = undefined; r?.(); }
}

describe('HA: every discovered API server instance (three fake HTTPS servers, EndpointSlice discovery)', function () {
  this.timeout(60_000);
  let cert: TestCert;
  let kube: FakeKube;
  let inst: Instances;
  let dir: string;
  let flags: string[];

  before(async () => {
    cert = makeSelfSignedCert('127.0.0.1', 'IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3');
    inst = await startInstances(cert, [
      { host: HOSTS[0] as string, behaviour: { mode: 'off' } },
      { host: HOSTS[1] as string, behaviour: { mode: 'off' } },
      { host: HOSTS[2] as string, behaviour: { mode: 'open', paths: ['/api/v1/namespaces/default/pods'] } },
    ]);
    kube = new FakeKube();
    await kube.start();
    kube.endpointSlices.push(kubernetesSlice(HOSTS, inst.port));
    dir = mkdtempSync(join(tmpdir(), 'ha-check-'));
    flags = [
      '--apiserver.discover=true', `--rbac.kubeconfig=${writeKubeconfig(dir, kube.url)}`, `--apiserver.caFile=${cert.certFile}`,
      `--apiserver.manifest=${join(dir, 'no-manifest.yaml')}`, `--apiserver.procRoot=${dir}`,
    ];
  });
  after(async () => { await inst.close(); await kube.stop(); cert.cleanup(); rmSync(dir, { recursive: true, force: true }); });

  const norm = (s: string): string => s.split(`:${inst.port}`).join(':<port>').split(dir).join('<dir>');

  it('check exits 2 and names the one instance that still answers 200', async () => {
    const [text, json] = await Promise.all([runCli(['check', ...flags]), runCli(['check', '--format=json', ...flags])]);
    assert.equal(text.code, 2, text.stderr);
    assert.equal(json.code, 2, json.stderr);
    assert.match(text.stdout, new RegExp(`exposed on 1 of 3 instances: 127\\.0\\.0\\.3:${inst.port} answers 200 to /api/v1/namespaces/default/pods\\?limit=1`));
    const doc = JSON.parse(json.stdout) as { verdict: string; instances: { apiserver: string; verdict: string }[]; probes: { apiserver: string }[] };
    assert.equal(doc.verdict, 'exposed');
    assert.deepEqual(doc.instances.map((i) => `${i.apiserver} ${i.verdict}`), HOSTS.map((h, i) => `${h}:${inst.port} ${i === 2 ? 'exposed' : 'locked_down'}`));
    assert.equal(doc.probes.length, 21);
    assert.ok(kube.requests.includes('list endpointslices kubernetes.io/service-name=kubernetes'));
    for (const i of inst.list) assert.ok(i.seen.includes('/api/v1/namespaces/default/pods?limit=1'), `${i.host} was probed`);
    matchGolden('ha-check.txt', norm(text.stdout));
    matchGolden('ha-check.json', norm(json.stdout));
  });

  it('check --watch prints the transition of the last instance to 401 and exits 0', async () => {
    for (const i of inst.list) i.behaviour = i.host === '127.0.0.3' ? { mode: 'open', paths: ['/api/v1/namespaces/default/pods'] } : { mode: 'off' };
    const config = loadConfig(undefined, new Map(flags.map((f) => f.slice(2).split('=') as [string, string])));
    const waker = new StepWaker();
    let out = '';
    let t = Date.UTC(2026, 0, 1, 12, 0, 0);
    const parked = waker.parked();
    const done = watchCheck(config, { waker, intervalMs: 5000, write: (s) => { out += s; }, now: () => t });
    await parked;
    assert.equal(out.split('\n').filter(Boolean).length, 3, out);
    assert.match(out, /127\.0\.0\.3:\d+: anonymous 200\/403, \/readyz 200 \(EXPOSED\)/);
    inst.list[2]!.behaviour = { mode: 'off' };
    t += 5000;
    waker.wake();
    assert.equal(await done, 0);
    assert.deepEqual(waker.waits, [5000]);
    matchGolden('ha-watch.txt', norm(out));
  });

  it('the CLI: check --watch exits 0 at once when every instance is already locked down; a bad --interval exits 1', async () => {
    for (const i of inst.list) i.behaviour = { mode: 'off' };
    const r = await runCli(['check', '--watch', '--interval=1', ...flags]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /all 3 instances locked down and ready\n$/);
    assert.equal((await runCli(['check', '--watch', '--interval=0', ...flags])).code, 1);
  });

  it('check --watch keeps going while an instance is exposed (bounded rounds: exit 1)', async () => {
    inst.list[0]!.behaviour = { mode: 'rbac' };
    const config = loadConfig(undefined, new Map(flags.map((f) => f.slice(2).split('=') as [string, string])));
    const waker: Waker = { wait: () => Promise.resolve() };
    let out = '';
    assert.equal(await watchCheck(config, { waker, intervalMs: 1000, write: (s) => { out += s; }, now: () => 0, maxRounds: 3 }), 1);
    assert.equal(out.split('\n').filter(Boolean).length, 3, 'no repeated lines when nothing changes');
    inst.list[0]!.behaviour = { mode: 'off' };
  });

  it('serve: probe metrics carry the apiserver label once several instances are probed', async () => {
    const config = loadConfig(undefined, new Map(flags.map((f) => f.slice(2).split('=') as [string, string])));
    const ctx = testContext(config);
    const probe = createPostureInputs(ctx, { scheduler: new ManualScheduler() })[1] as ProbeInput;
    inst.list[2]!.behaviour = { mode: 'open', paths: ['/api/v1/namespaces/default/pods'] };
    try {
      await probe.start();
      await probe.idle();
      const path = '/api/v1/namespaces/default/pods?limit=1';
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_exposed', { path, apiserver: `127.0.0.3:${inst.port}` }), 1);
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_exposed', { path, apiserver: `127.0.0.1:${inst.port}` }), 0);
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_status_code', { path, apiserver: `127.0.0.2:${inst.port}` }), 401);
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_up', { path, apiserver: `127.0.0.2:${inst.port}` }), 1);
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_exposed', { path }), undefined, 'no unlabelled series beside labelled ones');
      assert.equal(await sample(ctx.registry, 'k8s_anon_probe_instances'), 3);
      assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'probe' }), 1);
    } finally { await probe.stop(); inst.list[2]!.behaviour = { mode: 'off' }; }
  });
});
