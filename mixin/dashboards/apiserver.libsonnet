// Row 3: 401s and API server latency. Needs Prometheus to scrape kube-apiserver (apiserverSelector).
local p = import '../lib/panels.libsonnet';
function(c, sel)
  local doc = 'integrations.md#401s-and-api-server-latency';
  local api(extra) = '{%s, %s=~"$cluster"%s}' % [c.apiserverSelector, c.clusterLabel, if extra == '' then '' else ', ' + extra];
  [
    p.row('401s and API server latency'),
    [
      p.ts(c, 'API server 401 rate', "The API servers' own count of requests answered 401 (apiserver_request_total{code=\"401\"}), per cluster. A surge right after a lockdown is clients that lost anonymous access and retry.",
           doc, [p.q('sum by (%s) (rate(apiserver_request_total%s[$__rate_interval]))' % [c.clusterLabel, api('code="401"')], '{{%s}}' % c.clusterLabel)], 'reqps', 'orange', 8),
      p.ts(c, 'API server p99 request latency', "The API servers' p99 request latency (apiserver_request_duration_seconds, WATCH and CONNECT excluded), per cluster. Read it beside the 401 rate.",
           doc, [p.q('histogram_quantile(0.99, sum by (%s, le) (rate(apiserver_request_duration_seconds_bucket%s[$__rate_interval])))' % [c.clusterLabel, api('verb!~"WATCH|CONNECT"')], '{{%s}}' % c.clusterLabel)], 's', null, 8),
      p.ts(c, 'Our 401s by source', 'Requests rejected with 401 by source address, from the audit log (k8s_anon_source_requests_total{outcome="unauthorized"}): who is retrying.',
           'counting.md#sources', [p.q('topk(10, sum by (source) (rate(k8s_anon_source_requests_total%s[$__rate_interval])))' % sel('outcome="unauthorized"'), '{{source}}')], 'reqps', null, 8),
    ],
    [
      p.ts(c, '401 rate as the alert sees it (recorded)', 'The recording rule cluster:apiserver_request_unauthorized:rate5m, which K8sAnonUnauthorizedLatency compares with its value an hour earlier.',
           doc, [p.q('cluster:apiserver_request_unauthorized:rate5m{%s=~"$cluster"}' % c.clusterLabel, '{{%s}}' % c.clusterLabel)], 'reqps'),
      p.ts(c, 'p99 latency as the alert sees it (recorded)', 'The recording rule cluster:apiserver_request_duration_seconds:p99_5m, which K8sAnonUnauthorizedLatency compares with its value an hour earlier.',
           doc, [p.q('cluster:apiserver_request_duration_seconds:p99_5m{%s=~"$cluster"}' % c.clusterLabel, '{{%s}}' % c.clusterLabel)], 's'),
    ],
  ]
