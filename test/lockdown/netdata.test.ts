import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS } from '../../src/netdata/charts.js';
import { MetricIndex, parseExposition } from '../../src/netdata/promtext.js';
import { ROOT } from '../helpers/cli.js';

const lockdown = CHARTS.find((c) => c.id === 'lockdown')!;
const values = (text: string): Record<string, number | undefined> => Object.fromEntries(lockdown.values(new MetricIndex(parseExposition(text), 0)));
const REQ = [
  '# TYPE k8s_anon_requests_total counter',
  'k8s_anon_requests_total{endpoint_class="health",verb="get",code="200",source_class="private"} 50',
  'k8s_anon_requests_total{endpoint_class="resource",verb="list",code="200",source_class="private"} 3',
  'k8s_anon_requests_total{endpoint_class="other",verb="get",code="101",source_class="public"} 1',
  'k8s_anon_requests_total{endpoint_class="sensitive",verb="get",code="403",source_class="public"} 9',
  '# TYPE k8s_anon_auth_enabled gauge',
  '# TYPE k8s_anon_auth_allowed_paths gauge',
].join('\n');

describe('netdata: the k8s_anon.lockdown chart and the k8s_anon_lockdown_ineffective alarm', () => {
  it('locked: 1 when every source read says off or anonymous is limited to health paths, 0 when open, a gap when unknown', () => {
    assert.deepEqual(values(REQ), { locked: undefined, non_health_allowed: 4 }, 'no source read: unknown, never locked');
    assert.equal(values(`${REQ}\nk8s_anon_auth_enabled{source="manifest"} 0\nk8s_anon_auth_enabled{source="process"} 0`).locked, 1);
    assert.equal(values(`${REQ}\nk8s_anon_auth_enabled{source="manifest"} 0\nk8s_anon_auth_enabled{source="process"} 1`).locked, 0);
    assert.equal(values(`${REQ}\nk8s_anon_auth_enabled{source="process"} 1\nk8s_anon_auth_allowed_paths{path="/readyz"} 1\nk8s_anon_auth_allowed_paths{path="/livez"} 1`).locked, 1);
    assert.equal(values(`${REQ}\nk8s_anon_auth_enabled{source="process"} 1\nk8s_anon_auth_allowed_paths{path="/readyz"} 1\nk8s_anon_auth_allowed_paths{path="/api"} 1`).locked, 0);
    assert.deepEqual(lockdown.algorithms, { locked: 'absolute' });
    assert.equal(lockdown.algorithm, 'incremental');
  });

  it('the alarm file: on the lockdown chart, existing dimensions, the runbook in info', () => {
    const text = readFileSync(join(ROOT, 'netdata-config', 'health.d', 'k8s_anon_lockdown.conf'), 'utf8');
    assert.match(text, /^ template: k8s_anon_lockdown_ineffective$/m);
    assert.match(text, /^ {7}on: k8s_anon\.lockdown$/m);
    assert.match(text, /^ {3}lookup: sum -1m unaligned of non_health_allowed$/m);
    assert.match(text, /^ {5}calc: \$this \* \$update_every \* \(\$locked == 1\)$/m);
    assert.match(text, /^ {5}info: .*Runbook: docs\/runbooks\/k8s_anon_lockdown_ineffective\.md$/m);
    for (const d of ['locked', 'non_health_allowed']) assert.ok(lockdown.dims?.includes(d));
  });
});
