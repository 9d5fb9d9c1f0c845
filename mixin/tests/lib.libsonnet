// Builds promtool test expectations from the rendered alerts, so annotations are checked as rendered.
local m = import '../mixin.libsonnet';
local rules = [r for g in m.prometheusAlerts.groups for r in g.rules];
local templLabels = ['cluster', 'instance', 'kind', 'subject', 'path', 'job'];
local valueForms = ['{{ $value | humanize }}', '{{ $value | humanizeDuration }}', '{{ $value | humanize1024 }}', '{{ $value }}'];
local render(text, labels, value) =
  local v = std.foldl(function(acc, p) std.strReplace(acc, p, value), valueForms, text);
  std.foldl(function(acc, k) std.strReplace(acc, '{{ $labels.' + k + ' }}', if std.objectHas(labels, k) then labels[k] else ''), templLabels, v);
{
  // One alert expected to fire with these labels; `value` is $value as its template renders it.
  fires(name, severity, labels, value)::
    local r = [x for x in rules if x.alert == name && x.labels.severity == severity][0];
    {
      exp_labels: labels { severity: severity },
      exp_annotations: { [k]: render(r.annotations[k], labels, value) for k in std.objectFields(r.annotations) },
    },
  // One input series of the default job.
  series(metric, labels, values):: {
    local all = { job: 'k8s-anon-exporter' } + labels,
    series: metric + '{' + std.join(',', ['%s="%s"' % [k, all[k]] for k in std.objectFields(all)]) + '}',
    values: values,
  },
  n1:: { cluster: 'c1', instance: 'n1:19100' },
  n2:: { cluster: 'c1', instance: 'n2:19100' },
  n3:: { cluster: 'c2', instance: 'n3:19100' },
}
