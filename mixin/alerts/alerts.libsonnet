// Alerting rules: SPEC §7 names, CamelCased. `critical` is kept for "a human must act now":
// an anonymous request got something sensitive, RBAC opens a door, the API server answers
// unauthenticated requests, audit data is being lost, or the node is not watched at all.
// Everything that degrades visibility without evidence of access is `warning`.
local a = import '../lib/alert.libsonnet';
(import 'traffic.libsonnet') +
(import 'blind.libsonnet') +
(import 'posture.libsonnet') +
{
  prometheusAlerts+:: {
    groups+: [{
      name: 'k8s-anon.alerts',
      rules: $.trafficAlerts + $.postureAlerts + $.blindAlerts,
    }],
  },
}
