// k8s-anon-exporter monitoring mixin (kubernetes-mixin layout).
// Render with `npm run mixin`; override `_config` to match your scrape configuration, e.g.
//   (import 'mixin.libsonnet') + { _config+:: { jobSelector: 'job="node-agents"', clusterLabel: 'k8s_cluster' } }
(import 'config.libsonnet') +
(import 'rules/rules.libsonnet') +
(import 'alerts/alerts.libsonnet') +
(import 'dashboards/dashboards.libsonnet')
