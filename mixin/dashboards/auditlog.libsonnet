// Row 5: is the audit log trustworthy? Gaps, loss, throughput, the canary and the exporters themselves.
local p = import '../lib/panels.libsonnet';
function(c, sel)
  local i = c.instanceLabel;
  local doc = 'tailing.md#audit-log-health';
  local by(what) = 'sum by (%s) (%s)' % [i, what];
  [
    p.row('Is the audit log trustworthy?'),
    [
      p.ts(c, 'Audit silence per node', 'Seconds since the newest audit event on each node. The alerts warn above %ds and are critical above %ds.' % [c.silenceWarningSeconds, c.silenceCriticalSeconds],
           doc, [p.q('max by (%s) (k8s_anon_audit_silence_seconds%s)' % [i, sel()], '{{%s}}' % i)], 's'),
      p.ts(c, 'Audit log readable', 'Whether each node can read its audit log (1 yes, 0 no).',
           'alerting.md#blind-states', [p.q('min by (%s) (k8s_anon_audit_up%s)' % [i, sel()], '{{%s}}' % i)], 'bool_yes_no'),
    ],
    [
      p.ts(c, 'Gaps above the threshold', 'Gaps between consecutive audit events longer than gaps.thresholdSeconds, per node.',
           doc, [p.q(by('increase(k8s_anon_audit_gaps_total%s[$__rate_interval])' % sel()), '{{%s}}' % i)], 'none', 'orange'),
      p.ts(c, 'p99 time between audit events', 'p99 of the time between consecutive audit events, per node (k8s_anon_audit_gap_seconds).',
           doc, [p.q('histogram_quantile(0.99, sum by (le, %s) (rate(k8s_anon_audit_gap_seconds_bucket%s[$__rate_interval])))' % [i, sel()], '{{%s}}' % i)], 's'),
    ],
    [
      p.ts(c, 'Lost files', 'Rotated audit files removed before they were fully read, since install. Any increase means missing events.',
           doc, [p.q(by('k8s_anon_audit_files_lost_total%s' % sel()), '{{%s}}' % i)], 'none', 'red'),
      p.ts(c, 'Rotations and truncations', 'Audit log rotations (rename or replace) and in-place truncations (copytruncate) followed, since install.',
           doc, [p.q(by('k8s_anon_audit_rotations_total%s' % sel()), 'rotations {{%s}}' % i), p.q(by('k8s_anon_audit_truncations_total%s' % sel()), 'truncations {{%s}}' % i, 'B')], 'none'),
    ],
    [
      p.ts(c, 'Read lag', 'Bytes written to the audit log but not yet read, per node.',
           doc, [p.q('max by (%s) (k8s_anon_audit_lag_bytes%s)' % [i, sel()], '{{%s}}' % i)], 'bytes'),
      p.ts(c, 'Read throughput', 'Bytes of audit log read per second, per node.',
           doc, [p.q(by('rate(k8s_anon_audit_bytes_read_total%s[$__rate_interval])' % sel()), '{{%s}}' % i)], 'Bps'),
    ],
    [
      p.ts(c, 'Lines skipped by reason', 'Audit log lines skipped, by reason (invalid_json, not_audit_event, too_long, invalid_field).',
           'counting.md#what-counts', [p.q('sum by (reason) (rate(k8s_anon_audit_lines_skipped_total%s[$__rate_interval]))' % sel(), '{{reason}}')], 'ops', 'orange'),
      p.ts(c, 'Events and counted requests', 'Audit events read per second by stage, and requests counted per second (the denominator of every anonymous ratio).',
           'counting.md#what-counts', [
             p.q('sum by (stage) (rate(k8s_anon_audit_events_total%s[$__rate_interval]))' % sel(), '{{stage}}'),
             p.q('sum(rate(k8s_anon_audit_requests_total%s[$__rate_interval]))' % sel(), 'requests', 'B'),
           ], 'ops'),
    ],
    [
      p.ts(c, 'Audit canary', 'Canary requests sent, seen in the audit log, and missing (not seen within canary.timeoutSeconds), since install.',
           'posture.md#the-audit-canary', [
             p.q('sum(k8s_anon_canary_sent_total%s)' % sel(), 'sent'),
             p.q('sum(k8s_anon_canary_seen_total%s)' % sel(), 'seen', 'B'),
             p.q('sum(k8s_anon_canary_missing_total%s)' % sel(), 'missing', 'C'),
           ], 'none'),
      p.ts(c, 'Canary latency p95', 'p95 of the time from sending a canary request to reading it in the audit log.',
           'posture.md#the-audit-canary', [p.q('histogram_quantile(0.95, sum by (le) (rate(k8s_anon_canary_latency_seconds_bucket%s[$__rate_interval])))' % sel(), 'p95')], 's'),
    ],
    [
      p.ts(c, 'Webhook events received', 'Audit events received through the webhook input per second, and webhook requests by answer code (only where webhook.listen is set).',
           'integrations.md#webhook-input', [
             p.q('sum(rate(k8s_anon_webhook_events_total%s[$__rate_interval]))' % sel(), 'events'),
             p.q('sum by (code) (rate(k8s_anon_webhook_requests_total%s[$__rate_interval]))' % sel(), 'requests {{code}}', 'B'),
           ], 'ops'),
      p.ts(c, 'Webhook acknowledgement latency p99', 'p99 of the time from receiving a webhook batch to answering it once its counts are durable.',
           'integrations.md#webhook-input', [p.q('histogram_quantile(0.99, sum by (le) (rate(k8s_anon_webhook_ack_latency_seconds_bucket%s[$__rate_interval])))' % sel(), 'p99')], 's'),
    ],
    p.table(c, 'Exporters', 'Every exporter: scrape up, version, seconds since its newest audit event and since its last checkpoint.',
            'integrations.md#grafana', [
              p.q('up%s' % sel(), '', 'A', p.tableFmt),
              p.q('max by (%s, version) (k8s_anon_build_info%s)' % [i, sel()], '', 'B', p.tableFmt),
              p.q('time() - max by (%s) (k8s_anon_audit_last_event_timestamp_seconds%s)' % [i, sel()], '', 'C', p.tableFmt),
              p.q('time() - max by (%s) (k8s_anon_audit_checkpoint_timestamp_seconds%s)' % [i, sel()], '', 'D', p.tableFmt),
            ], {
              [i]: 'Node',
              version: 'Version',
              'Value #A': 'Up',
              'Value #B': 'Build info',
              'Value #C': 'Since newest event',
              'Value #D': 'Since checkpoint',
              job: 'Job',
              [c.clusterLabel]: 'Cluster',
            }, {
              Up: [p.upSteps, p.upMappings, 'none'],
              'Since newest event': [p.steps(c.silenceWarningSeconds, c.silenceCriticalSeconds), [], 's'],
              'Since checkpoint': [p.steps(60, 600), [], 's'],
            }, 24),
  ]
