// Row 1: is the exporter seeing? Every blind state of the exporter, first thing on the page.
local p = import '../lib/panels.libsonnet';
function(c, sel)
  local doc = 'alerting.md#blind-states';
  local per = 'max by (%s)' % c.instanceLabel;
  [
    p.row('Is the exporter seeing?'),
    [
      p.stat(c, 'Audit log readable', 'Whether every selected node can read its audit log (k8s_anon_audit_up; the lowest node shown). NO means that node sees nothing.',
             doc, 'min(k8s_anon_audit_up%s)' % sel(), 'none', p.upSteps, p.upMappings, 3, 4),
      p.stat(c, 'Audit silence', 'Seconds since the newest audit event on the quietest selected node (k8s_anon_audit_silence_seconds). Yellow from 60 s, red from 300 s, as the alerts.',
             'tailing.md#audit-log-health', 'max(k8s_anon_audit_silence_seconds%s)' % sel(), 's', p.steps(c.silenceWarningSeconds, c.silenceCriticalSeconds), [], 3, 4),
      p.stat(c, 'Read lag', 'Bytes written to the audit log but not yet read, on the worst selected node (k8s_anon_audit_lag_bytes).',
             'tailing.md#audit-log-health', 'max(k8s_anon_audit_lag_bytes%s)' % sel(), 'bytes', p.steps(c.lagBytes, null), [], 3, 4),
      p.stat(c, 'Audit read errors', 'Failed attempts to open or read the audit log in the selected time range, all reasons (k8s_anon_audit_read_errors_total).',
             doc, 'sum(increase(k8s_anon_audit_read_errors_total%s[$__range]))' % sel(), 'none', p.steps(null, 1), [], 3, 4),
      p.stat(c, 'Checkpoint write errors', 'Failed checkpoint writes in the selected time range (k8s_anon_checkpoint_write_errors_total): a restart would replay or lose counts.',
             doc, 'sum(increase(k8s_anon_checkpoint_write_errors_total%s[$__range]))' % sel(), 'none', p.steps(null, 1), [], 3, 4),
      p.stat(c, 'Collectors failing', 'Side-input collectors (rbac, inspector, probe, canary, apiserver_metrics) whose last run failed, on all selected nodes (k8s_anon_collector_success).',
             doc, 'sum(1 - k8s_anon_collector_success%s)' % sel(), 'none', p.steps(null, 1), [], 3, 4),
      p.stat(c, 'RBAC watch up', 'Whether the RBAC watch of every selected node is up (k8s_anon_rbac_up). When it is down, the bindings shown are stale.',
             'rbac.md#how-the-watch-works-and-what-happens-when-it-fails', 'min(k8s_anon_rbac_up%s)' % sel(), 'none', p.upSteps, p.upMappings, 3, 4),
      p.stat(c, 'Probes unanswered', 'Unauthenticated probes that got no answer (k8s_anon_probe_up 0): for those paths, exposure is unknown, not "not exposed".',
             'posture.md#the-lockdown-probe', 'sum(1 - k8s_anon_probe_up%s)' % sel(), 'none', p.steps(null, 1), [], 3, 4),
    ],
    [
      p.table(c, 'Is each node seeing?', 'One line per node: audit log readable, seconds since its newest event, unread bytes, RBAC watch, unanswered probes and failing collectors.',
              doc, [
                p.q('%s (k8s_anon_audit_up%s)' % [per, sel()], '', 'A', p.tableFmt),
                p.q('%s (k8s_anon_audit_silence_seconds%s)' % [per, sel()], '', 'B', p.tableFmt),
                p.q('%s (k8s_anon_audit_lag_bytes%s)' % [per, sel()], '', 'C', p.tableFmt),
                p.q('%s (k8s_anon_rbac_up%s)' % [per, sel()], '', 'D', p.tableFmt),
                p.q('sum by (%s) (1 - k8s_anon_probe_up%s)' % [c.instanceLabel, sel()], '', 'E', p.tableFmt),
                p.q('sum by (%s) (1 - k8s_anon_collector_success%s)' % [c.instanceLabel, sel()], '', 'F', p.tableFmt),
              ], {
                [c.instanceLabel]: 'Node',
                'Value #A': 'Audit log readable',
                'Value #B': 'Silence',
                'Value #C': 'Unread',
                'Value #D': 'RBAC watch',
                'Value #E': 'Probes unanswered',
                'Value #F': 'Collectors failing',
              }, {
                'Audit log readable': [p.upSteps, p.upMappings, 'none'],
                Silence: [p.steps(c.silenceWarningSeconds, c.silenceCriticalSeconds), [], 's'],
                Unread: [p.steps(c.lagBytes, null), [], 'bytes'],
                'RBAC watch': [p.upSteps, p.upMappings, 'none'],
                'Probes unanswered': [p.steps(null, 1), [], 'none'],
                'Collectors failing': [p.steps(null, 1), [], 'none'],
              }, 24, 6),
    ],
  ]
