// What anonymous and unauthenticated clients did, from the audit log.
local a = import '../lib/alert.libsonnet';
{
  trafficAlerts::
    local c = $._config;
    [
    // for: 0s: one allowed anonymous secret read is an incident; the increase window keeps it raised.
    a.alert(c, 'k8s_anon_sensitive_allowed', 'critical', '0s',
            'sum by (%s) (\n' % c.clusterLabel
            + a.newOrIncreased('k8s_anon_sensitive_requests_total{%(jobSelector)s, code=~"2..|101"}' % c, c.sensitiveWindow)
            + '\n) > 0\n',
            'Anonymous requests to sensitive endpoints were allowed',
            |||
              {{ $value | humanize }} anonymous requests to secrets, tokens, RBAC, exec or other sensitive
              endpoints succeeded in cluster {{ $labels.%(clusterLabel)s }} in the last %(sensitiveWindow)s.
              Run `k8s-anon-exporter report` on the audit log to see them, then remove the RBAC binding
              (`k8s-anon-exporter rbac`) or disable anonymous authentication.
            ||| % c),

    // for: 0s: a scanner's pass is short and each request is the signal; the window holds it raised.
    a.alert(c, 'k8s_anon_non_public_requests', 'warning', '0s',
            'sum by (%s) (\n' % c.clusterLabel
            + a.newOrIncreased('k8s_anon_requests_total{%(jobSelector)s, endpoint_class=~"sensitive|resource|other"}' % c, c.nonPublicWindow)
            + '\n) > 0\n',
            'Anonymous requests beyond health, discovery and bootstrap endpoints',
            |||
              {{ $value | humanize }} anonymous requests in cluster {{ $labels.%(clusterLabel)s }} reached endpoints
              other than health, discovery and bootstrap in the last %(nonPublicWindow)s (scanners or
              misconfigured clients). Check the sources panel and `k8s-anon-exporter report`.
            ||| % c),

    // for: 0s: a binding write is a discrete event that already happened; the 1h window holds it.
    a.alert(c, 'k8s_anon_rbac_binding_changes', 'critical', '0s',
            'sum by (%s, kind, subject) (\n' % c.clusterLabel
            + a.newOrIncreased('k8s_anon_rbac_binding_changes_total{%(jobSelector)s}' % c, c.bindingChangesWindow)
            + '\n) > 0\n',
            'A binding naming an anonymous identity was written',
            |||
              A {{ $labels.kind }} naming {{ $labels.subject }} was written in cluster
              {{ $labels.%(clusterLabel)s }} in the last %(bindingChangesWindow)s. Find who did it in the audit log
              (`k8s-anon-exporter report`) and review it with `k8s-anon-exporter rbac`.
            ||| % c),

    a.alert(c, 'k8s_anon_unauthorized_spike', 'warning', '15m',
            'sum by (%(clusterLabel)s) (rate(k8s_anon_unauthorized_requests_total{%(jobSelector)s}[10m])) > %(unauthorizedRatePerSecond)s\n' % c,
            'A surge of 401 rejections that does not settle',
            |||
              The API servers of cluster {{ $labels.%(clusterLabel)s }} have rejected {{ $value | humanize }}
              requests per second with 401 for over 15 minutes (credential stuffing, expired tokens, clients
              that lost anonymous access). Check the 401 panels and `k8s-anon-exporter report`.
            ||| % c),

    a.alert(c, 'k8s_anon_unauthorized_latency', 'warning', '10m',
            |||
              (
                  cluster:apiserver_request_unauthorized:rate5m > %(apiserverUnauthorizedRatePerSecond)s
                and
                  cluster:apiserver_request_unauthorized:rate5m
                  > %(surgeFactor)s * (cluster:apiserver_request_unauthorized:rate5m offset 1h or cluster:apiserver_request_unauthorized:rate5m * 0)
              )
              and on (%(clusterLabel)s)
              (
                cluster:apiserver_request_duration_seconds:p99_5m
                > %(latencyFactor)s * (cluster:apiserver_request_duration_seconds:p99_5m offset 1h)
              )
            ||| % c,
            'A 401 surge with rising API server latency',
            |||
              The API servers of cluster {{ $labels.%(clusterLabel)s }} answer {{ $value | humanize }} requests per
              second with 401, over %(surgeFactor)sx the rate of an hour ago, while their p99 request latency rose
              over %(latencyFactor)sx: clients are retrying aggressively after losing anonymous access. Find them
              with the "401s by source" panel and `k8s-anon-exporter report`.
            ||| % c),
  ],
}
