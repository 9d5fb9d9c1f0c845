// States in which the exporter sees nothing, or not everything (SPEC §7 "blind states").
local a = import '../lib/alert.libsonnet';
{
  blindAlerts::
    local c = $._config;
    local ci = '%(clusterLabel)s, %(instanceLabel)s' % c;
    local cc = c { ci: ci };
    [
      a.alert(c, 'k8s_anon_audit_silence', 'warning', '2m',  // 2m: one slow flush or batch must not page
              'max by (%(ci)s) (k8s_anon_audit_silence_seconds{%(jobSelector)s}) > %(silenceWarningSeconds)s\n' % cc,
              'The API server audit log is silent',
              |||
                No audit event for {{ $value | humanizeDuration }} on {{ $labels.%(instanceLabel)s }}. Check that
                kube-apiserver runs, that --audit-log-path is the followed file and that the disk is not full.
              ||| % c),

      a.alert(c, 'k8s_anon_audit_silence', 'critical', '1m',
              'max by (%(ci)s) (k8s_anon_audit_silence_seconds{%(jobSelector)s}) > %(silenceCriticalSeconds)s\n' % cc,
              'The API server audit log has been silent for over %d minutes' % (c.silenceCriticalSeconds / 60),
              |||
                No audit event for {{ $value | humanizeDuration }} on {{ $labels.%(instanceLabel)s }}: anonymous
                access on this node is not being seen. Check kube-apiserver and its audit backend.
              ||| % c),

      // for: 0s: files already lost stay lost; the 1h window keeps it raised.
      a.alert(c, 'k8s_anon_audit_files_lost', 'critical', '0s',
              'sum by (%(ci)s) (increase(k8s_anon_audit_files_lost_total{%(jobSelector)s}[%(filesLostWindow)s])) > 0\n' % cc,
              'Rotated audit log files were removed before they were read',
              |||
                {{ $value | humanize }} rotated audit files on {{ $labels.%(instanceLabel)s }} were deleted before
                they were fully read, so events are missing. Raise --audit-log-maxbackup or --audit-log-maxsize on
                kube-apiserver.
              ||| % c),

      // for: 0s: a canary is "missing" only after canary.timeoutSeconds, so the wait is already built in.
      a.alert(c, 'k8s_anon_canary_missing', 'critical', '0s',
              'sum by (%(ci)s) (increase(k8s_anon_canary_missing_total{%(jobSelector)s}[%(canaryWindow)s])) > 0\n' % cc,
              'Audit canary requests did not reach the audit log',
              |||
                Canary requests sent to the API server on {{ $labels.%(instanceLabel)s }} never appeared in its
                audit log: the audit policy or the audit backend is dropping events.
              ||| % c),

      // Down in service discovery as well as failing scrapes: absent() fires when no target is left.
      a.alert(c, 'k8s_anon_exporter_down', 'critical', c.exporterDownFor,
              'up{%(jobSelector)s} == 0\n  or\nabsent(up{%(jobSelector)s})\n' % c,
              'k8s-anon-exporter is down',
              |||
                Prometheus cannot scrape k8s-anon-exporter on {{ $labels.%(instanceLabel)s }} (empty when no target is
                left in service discovery), so anonymous access there is not being watched.
                `systemctl status k8s-anon-exporter`.
              ||| % c),

      a.alert(c, 'k8s_anon_audit_unreadable', 'critical', '5m',  // 5m rides out a rotation or a restart
              'max by (%(ci)s) (k8s_anon_audit_up{%(jobSelector)s}) == 0\n' % cc,
              'The audit log cannot be read',
              |||
                The audit log on {{ $labels.%(instanceLabel)s }} is missing, unreadable or not a regular file, so
                nothing on that node is being seen. Check audit.path against --audit-log-path and the file's
                permissions (`k8s-anon-exporter check`, the daemon's log).
              ||| % c),

      // for: 0s: the threshold (no event neverReadSeconds after start) is already a duration. The silence gauge
      // counts from the daemon's start until the first event, and the timestamp is absent until then.
      a.alert(c, 'k8s_anon_audit_never_read', 'warning', '0s',
              |||
                max by (%(ci)s) (k8s_anon_audit_silence_seconds{%(jobSelector)s}) > %(neverReadSeconds)s
                unless on (%(ci)s)
                k8s_anon_audit_last_event_timestamp_seconds{%(jobSelector)s}
              ||| % cc,
              'No audit event has been read since the exporter started',
              |||
                k8s-anon-exporter on {{ $labels.%(instanceLabel)s }} has read no audit event in {{ $value | humanizeDuration }}
                since it started: audit.path names a file kube-apiserver does not write, or the audit policy logs
                nothing.
              ||| % c),

      a.alert(c, 'k8s_anon_rbac_watch_down', 'warning', '10m',  // the watcher retries with backoff first
              'max by (%(ci)s) (k8s_anon_rbac_up{%(jobSelector)s}) == 0\n' % cc,
              'The RBAC watch is down',
              |||
                The RBAC watch of {{ $labels.%(instanceLabel)s }} has been down for 10 minutes: bindings shown are stale
                and new ones granting anything to anonymous identities go unseen. Check the kubeconfig and
                `k8s-anon-exporter rbac`.
              ||| % c),

      a.alert(c, 'k8s_anon_probe_failing', 'warning', '10m',  // ten probe rounds at the default interval
              |||
                count by (%(ci)s) (k8s_anon_probe_up{%(jobSelector)s} == 0)
                  or
                count by (%(ci)s) (k8s_anon_collector_success{%(jobSelector)s, collector=~"probe|inspector|canary|apiserver_metrics"} == 0)
              ||| % cc,
              'Posture probes or collectors are failing',
              |||
                On {{ $labels.%(instanceLabel)s }}, unauthenticated probes get no answer or a posture collector fails,
                so whether anonymous access is possible is unknown. Check apiserver.url and `k8s-anon-exporter check`.
              ||| % c),

      a.alert(c, 'k8s_anon_checkpoint_failing', 'warning', '10m',  // errors in every window for 10m, not one
              'sum by (%(ci)s) (increase(k8s_anon_checkpoint_write_errors_total{%(jobSelector)s}[%(checkpointErrorWindow)s])) > 0\n' % cc,
              'Checkpoint writes are failing',
              |||
                k8s-anon-exporter on {{ $labels.%(instanceLabel)s }} cannot write its checkpoint: a restart would
                replay or lose counts. Check that state.dir is writable and its file system not full.
              ||| % c),

      a.alert(c, 'k8s_anon_audit_lagging', 'warning', '15m',
              |||
                (max by (%(ci)s) (k8s_anon_audit_lag_bytes{%(jobSelector)s}) > %(lagBytes)s)
                and on (%(ci)s)
                (max by (%(ci)s) (deriv(k8s_anon_audit_lag_bytes{%(jobSelector)s}[%(lagWindow)s])) > 0)
              ||| % cc,
              'The exporter falls behind the audit log',
              |||
                {{ $value | humanize1024 }}B of the audit log on {{ $labels.%(instanceLabel)s }} are unread and the lag
                has grown for 15 minutes: the numbers trail reality. See the performance docs.
              ||| % c),

      // Webhook metrics exist only where the webhook input is enabled, so file-only nodes never match.
      a.alert(c, 'k8s_anon_webhook_silent', 'warning', '5m',
              'sum by (%(ci)s) (increase(k8s_anon_webhook_events_total{%(jobSelector)s}[%(webhookSilentWindow)s])) == 0\n' % cc,
              'The audit webhook receives nothing',
              |||
                The webhook input of {{ $labels.%(instanceLabel)s }} has received no audit event batch in
                %(webhookSilentWindow)s although it is enabled: check --audit-webhook-config-file on kube-apiserver,
                the certificates and apiserver_audit_error_total.
              ||| % c),
    ],
}
