// The Grafana dashboard: five rows, top to bottom from "can we trust this page" to the details.
local p = import '../lib/panels.libsonnet';
{
  grafanaDashboards+:: {
    local c = $._config,
    // Selector for the exporter's series on the selected clusters and nodes, plus `extra` matchers.
    local sel(extra='') = '{%s, %s=~"$cluster", %s=~"$instance"%s}' % [c.jobSelector, c.clusterLabel, c.instanceLabel, if extra == '' then '' else ', ' + extra],
    local variable(name, label, query) = {
      name: name,
      label: label,
      type: 'query',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      query: { query: query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
      definition: query,
      refresh: 2,
      includeAll: true,
      multi: true,
      allValue: '.*',
      current: { selected: true, text: ['All'], value: ['$__all'] },
      sort: 1,
      hide: 0,
      options: [],
      regex: '',
    },

    'k8s-anon.json': {
      uid: c.dashboardUID,
      title: c.dashboardTitle,
      description: 'Anonymous and unauthenticated access to the Kubernetes API, RBAC and anonymous-auth posture, and the health of the audit log (k8s-anon-exporter).',
      tags: c.dashboardTags,
      timezone: 'browser',
      editable: true,
      graphTooltip: 1,
      time: { from: 'now-6h', to: 'now' },
      refresh: c.grafanaRefresh,
      schemaVersion: 39,
      version: 1,
      fiscalYearStartMonth: 0,
      liveNow: false,
      links: [],
      annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
      templating: { list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, includeAll: false, multi: false, options: [], refresh: 1, regex: '' },
        variable('cluster', 'Cluster', 'label_values(k8s_anon_build_info{%s}, %s)' % [c.jobSelector, c.clusterLabel]),
        variable('instance', 'Node', 'label_values(k8s_anon_build_info{%s, %s=~"$cluster"}, %s)' % [c.jobSelector, c.clusterLabel, c.instanceLabel]),
      ] },
      panels: p.layout(
        (import 'seeing.libsonnet')(c, sel)
        + (import 'traffic.libsonnet')(c, sel)
        + (import 'apiserver.libsonnet')(c, sel)
        + (import 'posture.libsonnet')(c, sel)
        + (import 'auditlog.libsonnet')(c, sel)
      ),
    },
  },
}
