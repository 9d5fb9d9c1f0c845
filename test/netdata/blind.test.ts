/** Blind states in the Netdata plugin: unknown values are gaps, never 0. */
import assert from 'node:assert/strict';
import { NetdataPlugin } from '../../src/netdata/plugin.js';
import { MetricIndex, parseExposition } from '../../src/netdata/promtext.js';
import { silentLogger } from '../../src/log.js';

const NOW = 1_764_352_100_000;
const io = { fetchMetrics: async () => '', write: () => undefined, now: () => NOW, sleep: async () => undefined, log: silentLogger };
const index = (text: string) => new MetricIndex(parseExposition(text), NOW);
/** The BEGIN..END block of one chart. */
const block = (out: string, chart: string): string => new RegExp(`^BEGIN k8s_anon\\.${chart}\\n((?:SET .*\\n)*)END$`, 'm').exec(out)?.[1] ?? 'absent';

const ANSWERED = `# TYPE k8s_anon_probe_up gauge
k8s_anon_probe_up{path="/api"} 1
# TYPE k8s_anon_probe_exposed gauge
k8s_anon_probe_exposed{path="/api"} 0
# TYPE k8s_anon_auth_enabled gauge
k8s_anon_auth_enabled{source="manifest"} 1
# TYPE k8s_anon_audit_up gauge
k8s_anon_audit_up 1
# TYPE k8s_anon_audit_last_event_timestamp_seconds gauge
k8s_anon_audit_last_event_timestamp_seconds 1764352000
`;
const UNANSWERED = `# TYPE k8s_anon_probe_up gauge
k8s_anon_probe_up{path="/api"} 0
# TYPE k8s_anon_probe_exposed gauge
# TYPE k8s_anon_auth_enabled gauge
# TYPE k8s_anon_audit_up gauge
k8s_anon_audit_up 0
# TYPE process_start_time_seconds gauge
process_start_time_seconds ${NOW / 1000 - 700}
# TYPE k8s_anon_audit_read_errors_total counter
k8s_anon_audit_read_errors_total{reason="enoent"} 3
k8s_anon_audit_read_errors_total{reason="eacces"} 0
k8s_anon_audit_read_errors_total{reason="not_regular_file"} 0
k8s_anon_audit_read_errors_total{reason="other"} 0
# TYPE k8s_anon_checkpoint_write_errors_total counter
k8s_anon_checkpoint_write_errors_total 0
`;

describe('netdata: blind states', () => {
  it('an unanswered probe and unread posture sources leave gaps; the blind chart counts them', () => {
    const p = new NetdataPlugin(1, io);
    const first = p.render(index(ANSWERED));
    assert.equal(block(first, 'probe_exposed'), 'SET _api = 0\n');
    assert.match(block(first, 'auth_enabled'), /^SET manifest = 1\nSET unrestricted = 1\n$/, 'process and authentication_config were not read: no SET');
    assert.equal(block(first, 'blind'), 'SET audit_unreadable = 0\nSET probe_unanswered = 0\n');
    assert.equal(block(first, 'audit_never_read'), 'SET never_read = 0\n');
    const second = p.render(index(UNANSWERED));
    assert.equal(block(second, 'probe_exposed'), '', 'no answer is a gap, not "not exposed"');
    assert.equal(block(second, 'auth_enabled'), '', 'no source read: every dimension is a gap');
    assert.equal(block(second, 'blind'), 'SET audit_unreadable = 1\nSET probe_unanswered = 1\n');
    assert.equal(block(second, 'audit_never_read'), 'SET never_read = 700\n');
    assert.match(block(second, 'self_errors'), /^SET enoent = 0\n(?:SET \w+ = 0\n){4}$/, 'counters that appear after the first scrape start from 0');
  });
});
