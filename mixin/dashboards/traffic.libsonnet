// Row 2: is anyone anonymous getting in? Anonymous and unauthenticated traffic from the audit log.
local p = import '../lib/panels.libsonnet';
function(c, sel)
  local nonPublic = 'endpoint_class=~"sensitive|resource|other"';
  local classes = 'counting.md#endpoint-classes';
  [
    p.row('Is anyone anonymous getting in?'),
    [
      p.stat(c, 'Sensitive anonymous requests allowed', 'Anonymous requests to secrets, tokens, RBAC, exec, proxy and other sensitive endpoints that the API server allowed (2xx or 101), counted since the exporter was installed (counters survive restarts). Anything above 0 is an incident: run `k8s-anon-exporter report` on the audit log.',
             classes, 'sum(k8s_anon_sensitive_requests_total%s)' % sel('code=~"2..|101"')),
      p.stat(c, 'Binding writes naming anonymous identities', 'RoleBinding and ClusterRoleBinding writes whose subjects name system:anonymous or system:unauthenticated, since install. Each one needs an explanation.',
             'rbac.md#metrics', 'sum(k8s_anon_rbac_binding_changes_total%s)' % sel()),
      p.stat(c, 'Non-public anonymous requests (range)', 'Anonymous requests beyond health, discovery and bootstrap endpoints in the selected time range: scanners and misconfigured clients.',
             classes, 'sum(k8s_anon_requests_total%(s)s) - (sum(k8s_anon_requests_total%(s)s offset $__range) or vector(0))' % { s: sel(nonPublic) }, 'none', p.steps(1, null)),
      p.stat(c, 'Anonymous share of all requests', 'Anonymous requests as a share of every request the API servers logged (5-minute rate, recorded per cluster).',
             classes, 'max(cluster:k8s_anon_anonymous_request_ratio:rate5m{%s=~"$cluster"})' % c.clusterLabel, 'percentunit', p.steps(0.01, 0.1)),
    ],
    [
      p.ts(c, 'Anonymous requests by endpoint class', 'Rate of anonymous requests by endpoint class (health, discovery, bootstrap, sensitive, resource, other), summed over the selected nodes.',
           classes, [p.q('sum by (endpoint_class) (rate(k8s_anon_requests_total%s[$__rate_interval]))' % sel(), '{{endpoint_class}}')], 'reqps'),
      p.ts(c, 'Non-public anonymous requests by status code', 'Anonymous requests beyond health, discovery and bootstrap, by status code: 2xx means they got something.',
           classes, [p.q('sum by (code) (rate(k8s_anon_requests_total%s[$__rate_interval]))' % sel(nonPublic), '{{code}}')], 'reqps', 'orange'),
    ],
    [
      p.ts(c, 'Sensitive anonymous requests by resource, verb and code', 'Anonymous requests to sensitive endpoints by resource, verb and status code.',
           classes, [p.q('sum by (resource, verb, code) (rate(k8s_anon_sensitive_requests_total%s[$__rate_interval]))' % sel(), '{{resource}} {{verb}} {{code}}')], 'reqps', 'red'),
      p.ts(c, 'Anonymous requests per cluster (recorded)', 'Anonymous request rate per cluster and endpoint class, from the recording rule cluster:k8s_anon_requests:rate5m.',
           classes, [p.q('sum by (%(l)s, endpoint_class) (cluster:k8s_anon_requests:rate5m{%(l)s=~"$cluster"})' % { l: c.clusterLabel }, '{{%s}} {{endpoint_class}}' % c.clusterLabel)], 'reqps'),
    ],
    [
      p.table(c, 'Top anonymous and unauthenticated sources', "Source addresses (last sourceIPs entry) of anonymous and 401 requests since install, by outcome. Addresses beyond sources.maxSeries are counted as 'other'.",
              'counting.md#sources', [p.q('topk(20, sum by (source, source_class, outcome) (k8s_anon_source_requests_total%s))' % sel(), '', 'A', p.tableFmt)],
              { source: 'Source', source_class: 'Source class', outcome: 'Outcome', Value: 'Requests' }),
      p.ts(c, '401 rejections by source class', 'Requests rejected with 401 (failed authentication), by source class.',
           'counting.md#unauthorized-requests', [p.q('sum by (source_class) (rate(k8s_anon_unauthorized_requests_total%s[$__rate_interval]))' % sel(), '{{source_class}}')], 'reqps'),
    ],
    [
      p.ts(c, 'Requests impersonating system:anonymous', 'Requests by authenticated users impersonating system:anonymous, by endpoint class and code (also counted as anonymous everywhere).',
           'counting.md#identities', [p.q('sum by (endpoint_class, code) (rate(k8s_anon_impersonated_requests_total%s[$__rate_interval]))' % sel(), '{{endpoint_class}} {{code}}')], 'reqps'),
    ],
  ]
