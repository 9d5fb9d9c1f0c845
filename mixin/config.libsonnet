// Everything a deployment may need to change. Override with `_config+:: { ... }`.
{
  _config+:: {
    // Selects the exporter's targets. prometheus-operator users: the Service name, e.g. 'job="k8s-anon-exporter"'.
    jobSelector: 'job="k8s-anon-exporter"',
    // Selects kube-apiserver targets (only for the 401 and latency correlation), as in kubernetes-mixin.
    apiserverSelector: 'job="apiserver"',
    // Target label that names the cluster (set it in the scrape config; external_labels are not visible to rules).
    clusterLabel: 'cluster',
    // Target label that names the node's daemon.
    instanceLabel: 'instance',
    // Alerts link to runbookBaseURL + '<alarm_name>.md'. Point it at your own mirror of docs/runbooks/.
    runbookBaseURL: 'https://github.com/k8s-anon-exporter/k8s-anon-exporter/blob/main/docs/runbooks/',
    // Panel descriptions link to docsBaseURL + '<file>.md#<section>'.
    docsBaseURL: 'https://github.com/k8s-anon-exporter/k8s-anon-exporter/blob/main/docs/',

    dashboardUID: 'k8s-anon-exporter',
    dashboardTitle: 'Kubernetes anonymous access',
    dashboardTags: ['kubernetes', 'security', 'k8s-anon-exporter'],
    grafanaRefresh: '1m',

    // Health paths of SPEC §4 as a PromQL regex (anonymous access limited to these is "locked").
    healthPathRegex: '/(healthz|livez|readyz)(/.*)?|/version/?',

    // Alert thresholds and windows.
    sensitiveWindow: '10m',
    nonPublicWindow: '10m',
    bindingChangesWindow: '1h',
    silenceWarningSeconds: 60,
    silenceCriticalSeconds: 300,
    filesLostWindow: '1h',
    canaryWindow: '30m',
    unauthorizedRatePerSecond: 1,
    exporterDownFor: '5m',
    neverReadSeconds: 600,
    lagBytes: 8 * 1024 * 1024,
    lagWindow: '10m',
    checkpointErrorWindow: '5m',
    webhookSilentWindow: '10m',
    lockdownWindow: '5m',
    // 401 surge after a lockdown: the API server's 401 rate above this and surgeFactor x its rate an hour ago,
    // while its p99 request latency is latencyFactor x what it was an hour ago.
    apiserverUnauthorizedRatePerSecond: 1,
    surgeFactor: 2,
    latencyFactor: 1.5,
  },
}
