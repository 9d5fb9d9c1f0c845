/** Netdata: the webhook charts come from a real registry's exposition; the silent alarm sits on them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { CHARTS } from '../../src/netdata/charts.js';
import { MetricIndex, parseExposition } from '../../src/netdata/promtext.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';

const chart = (id: string) => CHARTS.find((c) => c.id === id);

describe('netdata: webhook charts and alarm', () => {
  it('charts webhook events, batches, duplicates and answers; nothing when the input is off', async () => {
    const r = new Registry();
    const m = new WebhookMetrics(r);
    m.batch(400); m.batch(100); m.duplicate();
    for (const code of [200, 200, 429, 503, 401]) m.answered(code, 0.004);
    const idx = new MetricIndex(parseExposition(await r.metrics()));
    assert.deepEqual([...(chart('webhook_events')?.values(idx) ?? [])], [['events', 500], ['batches', 2], ['duplicates', 1]]);
    assert.deepEqual([...(chart('webhook_requests')?.values(idx) ?? [])], [['acknowledged', 2], ['throttled', 1], ['unavailable', 1], ['rejected', 1]]);
    const off = new MetricIndex(parseExposition(await new Registry().metrics()));
    assert.ok([...(chart('webhook_events')?.values(off).values() ?? [])].every((v) => v === undefined), 'gaps, not zeros, without the input');
  });

  it('k8s_anon_webhook_silent watches the batches dimension and names its runbook', () => {
    const text = readFileSync(new URL('../../netdata-config/health.d/k8s_anon_webhook.conf', import.meta.url), 'utf8');
    const get = (k: string): string | undefined => new RegExp(`^\\s*${k}:\\s*(.*)$`, 'm').exec(text)?.[1];
    assert.equal(get('template'), 'k8s_anon_webhook_silent');
    assert.equal(get('on'), 'k8s_anon.webhook_events');
    const dim = /\bof (\S+)/.exec(get('lookup') ?? '')?.[1];
    assert.ok(dim && chart('webhook_events')?.dims?.includes(dim));
    assert.match(get('info') ?? '', /Runbook: docs\/runbooks\/k8s_anon_webhook_silent\.md$/);
  });
});
