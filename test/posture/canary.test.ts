import assert from 'node:assert/strict';
import { defaultConfig } from '../../src/config/load.js';
import { Canary, CANARY_PREFIX, MAX_PENDING, canaryPath } from '../../src/posture/canary.js';
import { createPostureInputs } from '../../src/posture/index.js';
import { PostureMetrics } from '../../src/posture/metrics.js';
import type { GetOutcome } from '../../src/posture/request.js';
import { ManualScheduler } from '../../src/posture/scheduler.js';
import { sample, testContext, type TestContext } from './context.js';

const ANALYZER_RE = /k8s-anon-exporter-canary-[A-Za-z0-9-]{1,64}/;

function setup(outcome: GetOutcome = { status: 401 }): { ctx: TestContext; s: ManualScheduler; canary: Canary; sent: string[] } {
  const config = defaultConfig();
  config.canary = { enabled: true, intervalSeconds: 60, timeoutSeconds: 30 };
  const ctx = testContext(config);
  const s = new ManualScheduler();
  const sent: string[] = [];
  const canary = new Canary({
    config, metrics: new PostureMetrics(ctx.registry), collectors: ctx.collectors, log: ctx.log, scheduler: s, runId: 'r1',
    send: async (path) => { sent.push(path); return outcome; },
  });
  return { ctx, s, canary, sent };
}

describe('audit canary (observer interface, stepped time)', () => {
  it('sends a marker the analyzer regex extracts exactly, from the path and the Audit-ID', async () => {
    const { canary, sent } = setup();
    await canary.tick();
    assert.deepEqual(sent, ['/api/v1/namespaces/default/configmaps/k8s-anon-exporter-canary-r1-1']);
    assert.equal(ANALYZER_RE.exec(sent[0] ?? '')?.[0], `${CANARY_PREFIX}r1-1`);
    assert.equal(canaryPath('m'), '/api/v1/namespaces/default/configmaps/m');
    assert.match(new Canary({ ...setupOptions() }).runId, /^[0-9a-f]{8}$/);
  });

  it('seen: counts it and observes latency = read time - send time', async () => {
    const { ctx, s, canary } = setup();
    await canary.tick();
    await s.advance(1500);
    canary.canarySeen(`${CANARY_PREFIX}r1-1`, 0);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_sent_total'), 1);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_seen_total'), 1);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_latency_seconds_sum'), 1.5);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_latency_seconds_count'), 1);
    assert.equal(canary.pendingCount, 0);
    await s.advance(60_000);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_missing_total'), 0);
  });

  it('not seen within canary.timeoutSeconds: missing, and a late sighting changes nothing', async () => {
    const { ctx, s, canary } = setup();
    await canary.tick();
    await s.advance(29_999);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_missing_total'), 0);
    await s.advance(1);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_missing_total'), 1);
    canary.canarySeen(`${CANARY_PREFIX}r1-1`, 0);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_seen_total'), 0);
    assert.ok(ctx.logs.some((l) => l.level === 'warn' && /audit canary not seen/.test(String(l.msg))));
  });

  it('ignores markers of other runs', async () => {
    const { ctx, canary } = setup();
    await canary.tick();
    canary.canarySeen(`${CANARY_PREFIX}other-1`, 0);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_seen_total'), 0);
    assert.equal(canary.pendingCount, 1);
  });

  it('connection refused: not sent, not pending, never missing; the collector fails', async () => {
    const { ctx, s, canary } = setup({ error: 'connection refused' });
    await assert.rejects(canary.tick(), /connection refused/);
    assert.equal(canary.pendingCount, 0);
    await s.advance(60_000);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_sent_total'), 0);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_missing_total'), 0);
  });

  it('a timeout may have reached the server: counted as sent and still watched for', async () => {
    const { ctx, canary } = setup({ error: 'timeout after 30s' });
    await assert.rejects(canary.tick(), /timeout/);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_sent_total'), 1);
    assert.equal(canary.pendingCount, 1);
  });

  it('keeps at most MAX_PENDING markers; the oldest counts as missing', async () => {
    const { ctx, canary } = setup();
    for (let i = 0; i <= MAX_PENDING; i++) await canary.tick();
    assert.equal(canary.pendingCount, MAX_PENDING);
    assert.equal(await sample(ctx.registry, 'k8s_anon_canary_missing_total'), 1);
  });

  it('createPostureInputs: registers the canary as observer; an unreachable server fails the collector', async () => {
    const config = defaultConfig();
    config.canary.enabled = true;
    config.probe.enabled = false;
    config.apiserver.url = 'https://127.0.0.1:1';
    config.apiserver.manifest = '/nonexistent/manifest.yaml';
    const ctx = testContext(config);
    const s = new ManualScheduler();
    const inputs = createPostureInputs(ctx, { scheduler: s });
    assert.deepEqual(inputs.map((i) => i.name), ['inspector', 'canary']);
    assert.equal(ctx.observers[0], inputs[1]);
    const canary = inputs[1] as Canary;
    await canary.start();
    await canary.idle();
    assert.equal(await sample(ctx.registry, 'k8s_anon_collector_success', { collector: 'canary' }), 0);
    await canary.stop();
  });
});

function setupOptions(): ConstructorParameters<typeof Canary>[0] {
  const ctx = testContext();
  return { config: ctx.config, metrics: new PostureMetrics(ctx.registry), collectors: ctx.collectors, log: ctx.log, scheduler: new ManualScheduler() };
}
