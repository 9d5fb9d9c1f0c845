// The Prometheus rule file (recording rules, then alerts). `config` overrides `_config`.
function(config={})
  local m = (import '../mixin.libsonnet') + { _config+:: config };
  { groups: m.prometheusRules.groups + m.prometheusAlerts.groups }
