// Recording rules. Traffic is summed per cluster (each API server logs its own requests).
{
  prometheusRules+:: {
    local c = $._config,
    groups+: [
      {
        name: 'k8s-anon.recording',
        rules: [
          {
            record: 'cluster:k8s_anon_requests:rate5m',
            expr: 'sum by (%(clusterLabel)s, endpoint_class, code) (rate(k8s_anon_requests_total{%(jobSelector)s}[5m]))' % c,
          },
          {
            record: 'cluster:k8s_anon_unauthorized_requests:rate5m',
            expr: 'sum by (%(clusterLabel)s, endpoint_class, source_class) (rate(k8s_anon_unauthorized_requests_total{%(jobSelector)s}[5m]))' % c,
          },
          {
            record: 'cluster:k8s_anon_anonymous_request_ratio:rate5m',
            expr: |||
              sum by (%(clusterLabel)s) (rate(k8s_anon_requests_total{%(jobSelector)s}[5m]))
              / sum by (%(clusterLabel)s) (rate(k8s_anon_audit_requests_total{%(jobSelector)s}[5m]))
            ||| % c,
          },
          {
            record: 'cluster:k8s_anon_rbac_unexpected_bindings:max',
            expr: 'max by (%(clusterLabel)s) (k8s_anon_rbac_unexpected_bindings{%(jobSelector)s})' % c,
          },
        ],
      },
      {
        // From the API server's own metrics, when Prometheus scrapes it (apiserverSelector).
        name: 'k8s-anon.apiserver',
        rules: [
          {
            record: 'cluster:apiserver_request_unauthorized:rate5m',
            expr: 'sum by (%(clusterLabel)s) (rate(apiserver_request_total{%(apiserverSelector)s, code="401"}[5m]))' % c,
          },
          {
            record: 'cluster:apiserver_request_duration_seconds:p99_5m',
            expr: |||
              histogram_quantile(0.99, sum by (%(clusterLabel)s, le) (
                rate(apiserver_request_duration_seconds_bucket{%(apiserverSelector)s, verb!~"WATCH|CONNECT"}[5m])
              ))
            ||| % c,
          },
        ],
      },
    ],
  },
}
