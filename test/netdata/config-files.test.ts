import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHARTS } from '../../src/netdata/charts.js';
import { REPO } from './golden.js';

const read = (...p: string[]) => readFileSync(join(REPO, ...p), 'utf8');
/** SPEC §7, in order. */
const SPEC_ALARMS = ['k8s_anon_sensitive_allowed', 'k8s_anon_non_public_requests', 'k8s_anon_unexpected_rbac_bindings', 'k8s_anon_rbac_binding_changes',
  'k8s_anon_audit_silence', 'k8s_anon_audit_files_lost', 'k8s_anon_canary_missing', 'k8s_anon_unauthorized_spike', 'k8s_anon_auth_enabled',
  'k8s_anon_probe_exposed', 'k8s_anon_exporter_down'];
/** SPEC §7 blind states (the webhook's lives in its own file). */
const BLIND_ALARMS = ['k8s_anon_audit_unreadable', 'k8s_anon_audit_never_read', 'k8s_anon_rbac_watch_down', 'k8s_anon_probe_failing',
  'k8s_anon_checkpoint_failing', 'k8s_anon_audit_lagging'];
const PORTABLE = new Set(['alarm', 'template', 'on', 'class', 'type', 'component', 'lookup', 'calc', 'every', 'units', 'warn', 'crit', 'delay', 'repeat', 'info', 'to']);

/** Health entries as key/value maps (an entry starts at `alarm:` or `template:`). */
function entries(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([a-z ]+):\s*(.*)$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    if (m[1] === 'alarm' || m[1] === 'template') out.push({});
    const cur = out[out.length - 1];
    assert.ok(cur, `key before the first entry: ${line}`);
    cur[m[1] as string] = m[2] as string;
  }
  return out;
}

describe('netdata: shipped configuration files', () => {
  it('health.d has every SPEC alarm, on an existing chart, with portable keys, delay, repeat and info', () => {
    assert.deepEqual(entries(read('netdata-config', 'health.d', 'k8s_anon.conf')).map((e) => e.template ?? e.alarm), SPEC_ALARMS);
    const blind = entries(read('netdata-config', 'health.d', 'k8s_anon_blind.conf'));
    assert.deepEqual(blind.map((e) => e.template ?? e.alarm), BLIND_ALARMS);
    for (const e of blind) assert.match(e.info ?? '', new RegExp(`Runbook: docs/runbooks/${e.template}\\.md$`));
    const list = readdirSync(join(REPO, 'netdata-config', 'health.d')).filter((f) => f.endsWith('.conf')).flatMap((f) => entries(read('netdata-config', 'health.d', f)));
    const contexts = new Set(CHARTS.map((c) => `k8s_anon.${c.id}`));
    for (const e of list) {
      const name = e.template ?? e.alarm;
      for (const k of Object.keys(e)) assert.ok(PORTABLE.has(k), `${name}: non-portable key ${k}`);
      assert.ok(contexts.has(e.on as string), `${name}: on ${e.on} is a chart the plugin declares`);
      for (const k of ['delay', 'repeat', 'info', 'every']) assert.ok(e[k], `${name}: has ${k}`);
      assert.ok(e.warn ?? e.crit, `${name}: warn or crit`);
      const chart = CHARTS.find((c) => `k8s_anon.${c.id}` === e.on);
      for (const dim of /\bof (\S+)/.exec(e.lookup ?? '')?.[1]?.split(',') ?? []) {
        assert.ok(chart?.dims?.includes(dim), `${name}: dimension ${dim} exists on ${e.on}`);
      }
    }
  });

  it('the netdata.conf snippet enables the plugin by its file name', () => {
    const snippet = read('netdata-config', 'netdata.conf.d', 'k8s_anon.conf');
    assert.match(snippet, /^\[plugins\]\n\s+k8s_anon = yes$/m);
    assert.match(snippet, /^\[plugin:k8s_anon\]$/m);
    assert.match(read('netdata-config', 'custom-plugins.d', 'k8s_anon.plugin'), /^#!\/bin\/sh\n/);
  });

  it('the go.d job scrapes the default listen address and keeps only k8s_anon_* series', () => {
    const doc = parse(read('netdata-config', 'go.d', 'prometheus.conf')) as { jobs: Array<{ name: string; url: string; selector: { allow: string[] } }> };
    assert.equal(doc.jobs.length, 1);
    assert.equal(doc.jobs[0]?.url, 'http://127.0.0.1:19100/metrics');
    assert.deepEqual(doc.jobs[0]?.selector.allow, ['k8s_anon_*']);
  });
});
