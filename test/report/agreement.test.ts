import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricIndex, parseExposition } from '../../src/netdata/promtext.js';
import { runCli, PUBLIC_FIXTURES, ROOT } from '../helpers/cli.js';
import { Daemon, freePort } from '../tail/daemon.js';

interface Doc {
  events: number; requests: number; linesSkipped: Record<string, number>; timeRange: { last: string };
  anonymous: { requests: number; byEndpointClass: Record<string, number>; byCode: Record<string, number> };
  unauthorized: { requests: number }; rbac: { bindingChangesCount: number; unverifiedWritesCount: number };
  gaps: { count: number };
}

const toObj = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].filter(([, v]) => v > 0));

describe('report and serve agree', function () {
  this.timeout(60_000);
  it('gives identical numbers on the same log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-agree-'));
    const log = join(dir, 'audit.log');
    const parts = [
      readFileSync(join(ROOT, 'test/fixtures/audit/stages.jsonl')),
      readFileSync(join(PUBLIC_FIXTURES, 'audit2rbac-2017-raw/demo.log')),
      readFileSync(join(PUBLIC_FIXTURES, 'upstream-examples/examples.jsonl')),
      Buffer.from('not json\n[1]\n{"kind":"Event","stage":"ResponseComplete","sourceIPs":"x"}\n'),
    ];
    writeFileSync(log, Buffer.concat(parts));
    const r = await runCli(['report', '--format', 'json', log]);
    assert.ok(r.code === 0 || r.code === 2, r.stderr);
    const d = JSON.parse(r.stdout) as Doc;

    const port = await freePort();
    const daemon = await Daemon.start([`--audit.path=${log}`, '--audit.startAt=beginning', `--state.dir=${join(dir, 'state')}`,
      `--web.listen=127.0.0.1:${port}`, '--rbac.enabled=false', '--probe.enabled=false']);
    try {
      await daemon.ready();
      await daemon.waitCaughtUp(statSync(log).size, 30_000);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const m = new MetricIndex(parseExposition(text));
      assert.equal(m.sum('k8s_anon_audit_requests_total'), d.requests);
      assert.equal(m.sum('k8s_anon_audit_events_total'), d.events);
      assert.deepEqual(toObj(m.groupBy('k8s_anon_audit_lines_skipped_total', 'reason')), d.linesSkipped);
      assert.equal(m.sum('k8s_anon_requests_total'), d.anonymous.requests);
      assert.deepEqual(toObj(m.groupBy('k8s_anon_requests_total', 'endpoint_class')), d.anonymous.byEndpointClass);
      assert.deepEqual(toObj(m.groupBy('k8s_anon_requests_total', 'code')), d.anonymous.byCode);
      assert.equal(m.sum('k8s_anon_sensitive_requests_total'), d.anonymous.byEndpointClass.sensitive);
      assert.equal(m.sum('k8s_anon_unauthorized_requests_total'), d.unauthorized.requests);
      assert.equal(m.sum('k8s_anon_rbac_binding_changes_total'), d.rbac.bindingChangesCount);
      assert.equal(m.sum('k8s_anon_rbac_binding_writes_unverified_total'), d.rbac.unverifiedWritesCount);
      assert.equal(m.sum('k8s_anon_audit_gaps_total'), d.gaps.count);
      assert.ok(Math.abs((m.sum('k8s_anon_audit_last_event_timestamp_seconds') ?? 0) - Date.parse(d.timeRange.last) / 1000) < 0.001);
      assert.ok((d.anonymous.requests) > 5 && d.requests > 400, 'the log exercises the counters');
    } finally {
      assert.equal(await daemon.kill('SIGTERM'), 0);
    }
  });
});
