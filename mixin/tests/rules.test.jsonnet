// promtool unit tests of the generated rules: every alert firing and not firing, on synthetic series.
local t = import 'lib.libsonnet';
local s = t.series;
local f = t.fires;
local at(min, name, alerts=[]) = { eval_time: '%dm' % min, alertname: name } + (if alerts == [] then {} else { exp_alerts: alerts });
local case(name, series, checks) = { name: name, interval: '1m', input_series: series, alert_rule_test: checks };
local req(labels, values) = s('k8s_anon_requests_total', { verb: 'list', source_class: 'public' } + labels, values);
{
  rule_files: ['k8s-anon-rules.yaml'],
  evaluation_interval: '1m',
  tests: [
    case('sensitive allowed fires for a new or growing allowed series, never for 403s', [
      s('k8s_anon_sensitive_requests_total', t.n1 { resource: 'secrets', verb: 'list', code: '200' }, '_x4 1x20 2x10'),
      s('k8s_anon_sensitive_requests_total', t.n3 { resource: 'secrets', verb: 'get', code: '403' }, '0+1x34'),
    ], [
      at(3, 'K8sAnonSensitiveAllowed'),
      at(8, 'K8sAnonSensitiveAllowed', [f('K8sAnonSensitiveAllowed', 'critical', { cluster: 'c1' }, '1')]),
      at(20, 'K8sAnonSensitiveAllowed'),
      at(28, 'K8sAnonSensitiveAllowed', [f('K8sAnonSensitiveAllowed', 'critical', { cluster: 'c1' }, '1')]),
    ]),

    case('non-public requests warn for sensitive, resource and other classes only', [
      req(t.n1 { endpoint_class: 'other', verb: 'head', code: '403' }, '_x4 1x30'),
      req(t.n1 { endpoint_class: 'health', code: '200' }, '0+5x34'),
      req(t.n3 { endpoint_class: 'discovery', code: '403' }, '0+5x34'),
    ], [
      at(8, 'K8sAnonNonPublicRequests', [f('K8sAnonNonPublicRequests', 'warning', { cluster: 'c1' }, '1')]),
      at(20, 'K8sAnonNonPublicRequests'),
    ]),

    case('unexpected RBAC bindings are one alert per cluster however many nodes report them', [
      s('k8s_anon_rbac_unexpected_bindings', t.n1, '0x5 1x20'),
      s('k8s_anon_rbac_unexpected_bindings', t.n2, '0x5 1x20'),
      s('k8s_anon_rbac_unexpected_bindings', t.n3, '0x25'),
    ], [
      at(3, 'K8sAnonUnexpectedRbacBindings'),
      at(10, 'K8sAnonUnexpectedRbacBindings', [f('K8sAnonUnexpectedRbacBindings', 'critical', { cluster: 'c1' }, '1')]),
    ]),

    case('binding changes fire for an hour after the write', [
      s('k8s_anon_rbac_binding_changes_total', t.n1 { kind: 'ClusterRoleBinding', verb: 'create', subject: 'system:unauthenticated' }, '_x4 1x90'),
    ], [
      at(2, 'K8sAnonRbacBindingChanges'),
      at(10, 'K8sAnonRbacBindingChanges', [f('K8sAnonRbacBindingChanges', 'critical', { cluster: 'c1', kind: 'ClusterRoleBinding', subject: 'system:unauthenticated' }, '1')]),
      at(70, 'K8sAnonRbacBindingChanges'),
    ]),

    case('audit silence warns after 60 s held 2m and is critical after 300 s held 1m, per node', [
      s('k8s_anon_audit_silence_seconds', t.n1, '0+30x20'),
      s('k8s_anon_audit_silence_seconds', t.n2, '1x20'),
    ], [
      at(4, 'K8sAnonAuditSilence'),
      at(6, 'K8sAnonAuditSilence', [f('K8sAnonAuditSilence', 'warning', t.n1, '3m 0s')]),
      at(13, 'K8sAnonAuditSilence', [f('K8sAnonAuditSilence', 'critical', t.n1, '6m 30s'), f('K8sAnonAuditSilence', 'warning', t.n1, '6m 30s')]),
    ]),

    case('lost audit files fire for an hour', [
      s('k8s_anon_audit_files_lost_total', t.n1, '0x10 1x70'),
      s('k8s_anon_audit_files_lost_total', t.n2, '0x80'),
    ], [
      at(5, 'K8sAnonAuditFilesLost'),
      at(15, 'K8sAnonAuditFilesLost', [f('K8sAnonAuditFilesLost', 'critical', t.n1, '1')]),
      at(80, 'K8sAnonAuditFilesLost'),
    ]),

    case('a missing canary fires for 30 minutes', [
      s('k8s_anon_canary_missing_total', t.n1, '0x10 1x40'),
      s('k8s_anon_canary_missing_total', t.n2, '0x50'),
    ], [
      at(5, 'K8sAnonCanaryMissing'),
      at(12, 'K8sAnonCanaryMissing', [f('K8sAnonCanaryMissing', 'critical', t.n1, '1')]),
      at(45, 'K8sAnonCanaryMissing'),
    ]),

    case('a 401 surge fires only when it lasts, summed across nodes', [
      s('k8s_anon_unauthorized_requests_total', t.n1 { endpoint_class: 'resource', source_class: 'public' }, '0+60x40'),
      s('k8s_anon_unauthorized_requests_total', t.n2 { endpoint_class: 'resource', source_class: 'public' }, '0+60x40'),
      s('k8s_anon_unauthorized_requests_total', t.n3 { endpoint_class: 'resource', source_class: 'public' }, '0+30x40'),
    ], [
      at(10, 'K8sAnonUnauthorizedSpike'),
      at(30, 'K8sAnonUnauthorizedSpike', [f('K8sAnonUnauthorizedSpike', 'warning', { cluster: 'c1' }, '2')]),
    ]),

    case('anonymous auth enabled warns per node after 5 minutes, unless conditions limit it to health paths', [
      s('k8s_anon_auth_enabled', t.n1 { source: 'manifest' }, '1x20'),
      s('k8s_anon_auth_enabled', t.n1 { source: 'process' }, '1x20'),
      s('k8s_anon_auth_enabled', t.n2 { source: 'manifest' }, '0x20'),
      s('k8s_anon_auth_enabled', { cluster: 'c1', instance: 'n3:19100', source: 'authentication_config' }, '1x20'),
      s('k8s_anon_auth_allowed_paths', { cluster: 'c1', instance: 'n3:19100', path: '/livez' }, '1x20'),
      s('k8s_anon_auth_allowed_paths', { cluster: 'c1', instance: 'n3:19100', path: '/readyz' }, '1x20'),
      s('k8s_anon_auth_enabled', { cluster: 'c1', instance: 'n4:19100', source: 'authentication_config' }, '1x20'),
      s('k8s_anon_auth_allowed_paths', { cluster: 'c1', instance: 'n4:19100', path: '/livez' }, '1x20'),
      s('k8s_anon_auth_allowed_paths', { cluster: 'c1', instance: 'n4:19100', path: '/api' }, '1x20'),
    ], [
      at(3, 'K8sAnonAuthEnabled'),
      at(6, 'K8sAnonAuthEnabled', [f('K8sAnonAuthEnabled', 'warning', t.n1, '1'), f('K8sAnonAuthEnabled', 'warning', { cluster: 'c1', instance: 'n4:19100' }, '1')]),
    ]),

    case('an exposed probe path is critical', [
      s('k8s_anon_probe_exposed', t.n1 { path: '/api/v1/secrets?limit=1' }, '0x3 1x10'),
      s('k8s_anon_probe_exposed', t.n1 { path: '/version' }, '0x13'),
    ], [
      at(3, 'K8sAnonProbeExposed'),
      at(6, 'K8sAnonProbeExposed', [f('K8sAnonProbeExposed', 'critical', t.n1 { path: '/api/v1/secrets?limit=1' }, '1')]),
    ]),

    case('the exporter down for 5 minutes is critical; other jobs do not count', [
      s('up', t.n1, '1x3 0x10'),
      s('up', t.n2, '1x13'),
      s('up', { cluster: 'c1', instance: 'other:9100', job: 'node' }, '0x13'),
    ], [
      at(6, 'K8sAnonExporterDown'),
      at(10, 'K8sAnonExporterDown', [f('K8sAnonExporterDown', 'critical', t.n1 { job: 'k8s-anon-exporter' }, '0')]),
    ]),

    case('the exporter gone from service discovery fires through absent()', [
      s('up', { cluster: 'c1', instance: 'other:9100', job: 'node' }, '1x13'),
    ], [
      at(3, 'K8sAnonExporterDown'),
      at(10, 'K8sAnonExporterDown', [f('K8sAnonExporterDown', 'critical', { job: 'k8s-anon-exporter' }, '1')]),
    ]),

    case('a 401 surge with rising API server latency fires; a surge at steady latency does not', [
      s('apiserver_request_total', { job: 'apiserver', cluster: 'c1', code: '401', verb: 'GET' }, '0x70 300+300x40'),
      s('apiserver_request_duration_seconds_bucket', { job: 'apiserver', cluster: 'c1', verb: 'GET', le: '0.1' }, '0+600x70 42300+300x40'),
      s('apiserver_request_duration_seconds_bucket', { job: 'apiserver', cluster: 'c1', verb: 'GET', le: '1' }, '0+600x110'),
      s('apiserver_request_duration_seconds_bucket', { job: 'apiserver', cluster: 'c1', verb: 'GET', le: '+Inf' }, '0+600x110'),
      s('apiserver_request_total', { job: 'apiserver', cluster: 'c2', code: '401', verb: 'GET' }, '0x70 300+300x40'),
      s('apiserver_request_duration_seconds_bucket', { job: 'apiserver', cluster: 'c2', verb: 'GET', le: '0.1' }, '0+600x110'),
      s('apiserver_request_duration_seconds_bucket', { job: 'apiserver', cluster: 'c2', verb: 'GET', le: '1' }, '0+600x110'),
      s('apiserver_request_duration_seconds_bucket', { job: 'apiserver', cluster: 'c2', verb: 'GET', le: '+Inf' }, '0+600x110'),
    ], [
      at(60, 'K8sAnonUnauthorizedLatency'),
      at(78, 'K8sAnonUnauthorizedLatency'),
      at(95, 'K8sAnonUnauthorizedLatency', [f('K8sAnonUnauthorizedLatency', 'warning', { cluster: 'c1' }, '5')]),
    ]),

    case('a lockdown that did not take: posture locked while anonymous 2xx beyond health keep arriving', [
      // n1: every source says off, resource reads keep succeeding.
      s('k8s_anon_auth_enabled', t.n1 { source: 'manifest' }, '0x40'),
      s('k8s_anon_auth_enabled', t.n1 { source: 'process' }, '0x40'),
      req(t.n1 { endpoint_class: 'resource', code: '200' }, '0+1x40'),
      // n2: locked at 10m; the 2xx stop then (and 401s and health 200s go on): quiet.
      s('k8s_anon_auth_enabled', t.n2 { source: 'process' }, '1x10 0x30'),
      req(t.n2 { endpoint_class: 'resource', code: '200' }, '0+1x10 10x30'),
      req(t.n2 { endpoint_class: 'resource', code: '401' }, '0x10 1+1x30'),
      req(t.n2 { endpoint_class: 'health', code: '200' }, '0+1x40'),
      // n4: limited to health paths by AuthenticationConfiguration, discovery still answers 200.
      s('k8s_anon_auth_enabled', { cluster: 'c1', instance: 'n4:19100', source: 'authentication_config' }, '1x40'),
      s('k8s_anon_auth_allowed_paths', { cluster: 'c1', instance: 'n4:19100', path: '/readyz' }, '1x40'),
      req({ cluster: 'c1', instance: 'n4:19100', endpoint_class: 'discovery', code: '200' }, '0+1x40'),
      // n5: the inspector reads nothing, but every non-health probe gets 401.
      s('k8s_anon_probe_status_code', { cluster: 'c1', instance: 'n5:19100', path: '/api' }, '401x40'),
      s('k8s_anon_probe_status_code', { cluster: 'c1', instance: 'n5:19100', path: '/healthz' }, '200x40'),
      req({ cluster: 'c1', instance: 'n5:19100', endpoint_class: 'sensitive', code: '200' }, '0+1x40'),
      // n3: anonymous auth on and 2xx: that is K8sAnonAuthEnabled, not this.
      s('k8s_anon_auth_enabled', t.n3 { source: 'process' }, '1x40'),
      req(t.n3 { endpoint_class: 'resource', code: '200' }, '0+1x40'),
    ], [
      at(5, 'K8sAnonLockdownIneffective'),
      at(25, 'K8sAnonLockdownIneffective', [
        f('K8sAnonLockdownIneffective', 'critical', t.n1, '1'),
        f('K8sAnonLockdownIneffective', 'critical', { cluster: 'c1', instance: 'n4:19100' }, '1'),
        f('K8sAnonLockdownIneffective', 'critical', { cluster: 'c1', instance: 'n5:19100' }, '1'),
      ]),
    ]),

    case('an unreadable audit log is critical after 5 minutes, per node', [
      s('k8s_anon_audit_up', t.n1, '1x3 0x20'),
      s('k8s_anon_audit_up', t.n2, '1x23'),
    ], [
      at(6, 'K8sAnonAuditUnreadable'),
      at(10, 'K8sAnonAuditUnreadable', [f('K8sAnonAuditUnreadable', 'critical', t.n1, '0')]),
    ]),

    case('no event ever read 10 minutes after start warns; a node that read one does not', [
      s('k8s_anon_audit_silence_seconds', t.n1, '0+60x20'),
      s('k8s_anon_audit_silence_seconds', t.n2, '0+60x20'),
      s('k8s_anon_audit_last_event_timestamp_seconds', t.n2, '1000x20'),
    ], [
      at(8, 'K8sAnonAuditNeverRead'),
      at(12, 'K8sAnonAuditNeverRead', [f('K8sAnonAuditNeverRead', 'warning', t.n1, '12m 0s')]),
    ]),

    case('the RBAC watch down for 10 minutes warns', [
      s('k8s_anon_rbac_up', t.n1, '1x5 0x20'),
      s('k8s_anon_rbac_up', t.n2, '1x25'),
    ], [
      at(10, 'K8sAnonRbacWatchDown'),
      at(16, 'K8sAnonRbacWatchDown', [f('K8sAnonRbacWatchDown', 'warning', t.n1, '0')]),
    ]),

    case('unanswered probes and failing posture collectors warn; the RBAC collector has its own alert', [
      s('k8s_anon_probe_up', t.n1 { path: '/api' }, '1x2 0x20'),
      s('k8s_anon_probe_up', t.n1 { path: '/version' }, '1x22'),
      s('k8s_anon_collector_success', t.n2 { collector: 'rbac' }, '0x22'),
      s('k8s_anon_collector_success', t.n2 { collector: 'probe' }, '1x22'),
      s('k8s_anon_collector_success', t.n3 { collector: 'inspector' }, '0x22'),
    ], [
      at(5, 'K8sAnonProbeFailing'),
      at(14, 'K8sAnonProbeFailing', [f('K8sAnonProbeFailing', 'warning', t.n1, '1'), f('K8sAnonProbeFailing', 'warning', t.n3, '1')]),
    ]),

    case('checkpoint writes failing for 10 minutes warn; one failed write does not', [
      s('k8s_anon_checkpoint_write_errors_total', t.n1, '0x3 1+1x20'),
      s('k8s_anon_checkpoint_write_errors_total', t.n2, '0x3 1x20'),
    ], [
      at(8, 'K8sAnonCheckpointFailing'),
      at(16, 'K8sAnonCheckpointFailing', [f('K8sAnonCheckpointFailing', 'warning', t.n1, '6.25')]),
    ]),

    case('lag above 8 MiB that keeps growing for 15 minutes warns; a large steady lag does not', [
      s('k8s_anon_audit_lag_bytes', t.n1, '0+1048576x40'),
      s('k8s_anon_audit_lag_bytes', t.n2, '20971520x40'),
    ], [
      at(20, 'K8sAnonAuditLagging'),
      at(30, 'K8sAnonAuditLagging', [f('K8sAnonAuditLagging', 'warning', t.n1, '30Mi')]),
    ]),

    case('an enabled webhook input without batches for 10 minutes warns; file-only nodes have no series', [
      s('k8s_anon_webhook_events_total', t.n1, '0+100x10 1000x30'),
      s('k8s_anon_webhook_events_total', t.n2, '0+100x40'),
      s('k8s_anon_audit_requests_total', t.n3, '0+100x40'),
    ], [
      at(15, 'K8sAnonWebhookSilent'),
      at(30, 'K8sAnonWebhookSilent', [f('K8sAnonWebhookSilent', 'warning', t.n1, '0')]),
    ]),
  ],
}
