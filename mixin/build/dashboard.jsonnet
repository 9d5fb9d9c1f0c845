// The Grafana dashboard. `config` overrides `_config`.
function(config={})
  local m = (import '../mixin.libsonnet') + { _config+:: config };
  m.grafanaDashboards['k8s-anon.json']
