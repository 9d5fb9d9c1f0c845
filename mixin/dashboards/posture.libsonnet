// Row 4: are we locked down? RBAC state from the API, the API server's flags and real probes.
local p = import '../lib/panels.libsonnet';
function(c, sel)
  local i = c.instanceLabel;
  local exposed = [{ type: 'value', options: { '0': { text: 'no', color: 'green', index: 0 }, '1': { text: 'EXPOSED', color: 'red', index: 1 } } }];
  local enabled = [{ type: 'value', options: { '0': { text: 'off', color: 'green', index: 0 }, '1': { text: 'ON', color: 'red', index: 1 } } }];
  [
    p.row('Are we locked down?'),
    [
      p.stat(c, 'Unexpected RBAC bindings', 'Bindings that grant anything to system:anonymous or system:unauthenticated and are not in rbac.expected. Run `k8s-anon-exporter rbac` for the kubectl delete commands.',
             'rbac.md#expected-bindings', 'max(k8s_anon_rbac_unexpected_bindings%s)' % sel(), 'none', p.steps(null, 1), [], 8),
      p.stat(c, 'Nodes with anonymous auth enabled', 'Nodes whose API server accepts anonymous requests, by any source read (manifest, process, authentication_config). Empty, not 0, when no source could be read.',
             'posture.md#where-the-inspector-looks', 'sum(max by (%s) (k8s_anon_auth_enabled%s))' % [i, sel()], 'none', p.steps(1, null), [], 8),
      p.stat(c, 'Exposed probe paths', 'Non-health paths where an unauthenticated probe got 2xx. Anything above 0 means anyone can read that path.',
             'posture.md#the-lockdown-probe', 'sum(max by (%s, path) (k8s_anon_probe_exposed%s))' % [i, sel()], 'none', p.steps(null, 1), [], 8),
    ],
    p.table(c, 'Bindings naming anonymous identities', 'Every binding whose subjects include system:anonymous or system:unauthenticated, the role it grants and whether it is expected.',
            'rbac.md#expected-bindings', [p.q('max by (kind, namespace, name, role_kind, role, subject, expected) (k8s_anon_rbac_bindings%s)' % sel(), '', 'A', p.tableFmt)],
            { kind: 'Kind', namespace: 'Namespace', name: 'Name', role_kind: 'Role kind', role: 'Role', subject: 'Subject', expected: 'Expected', Value: 'Bindings' },
            {}, 24),
    [
      p.table(c, 'Capabilities granted to anonymous identities', 'What the bindings above let an anonymous client do, capability by capability (1 granted).',
              'rbac.md#capabilities', [p.q('max by (capability) (k8s_anon_rbac_capability%s)' % sel(), '', 'A', p.tableFmt)],
              { capability: 'Capability', Value: 'Granted' },
              { Granted: [p.steps(null, 1), [{ type: 'value', options: { '0': { text: 'no', color: 'green', index: 0 }, '1': { text: 'GRANTED', color: 'red', index: 1 } } }], 'none'] }),
      p.table(c, 'Binding writes naming anonymous identities', 'Binding writes naming anonymous identities since install, and binding writes logged without objects (Metadata level), which need a re-check with `k8s-anon-exporter rbac`.',
              'rbac.md#metrics', [
                p.q('sum by (kind, verb, subject) (k8s_anon_rbac_binding_changes_total%s)' % sel(), '', 'A', p.tableFmt),
                p.q('sum by (kind, verb) (k8s_anon_rbac_binding_writes_unverified_total%s)' % sel(), '', 'B', p.tableFmt),
              ], { kind: 'Kind', verb: 'Verb', subject: 'Subject', 'Value #A': 'Writes naming anonymous', 'Value #B': 'Writes unverified' },
              { 'Writes naming anonymous': [p.steps(null, 1), [], 'none'], 'Writes unverified': [p.steps(1, null), [], 'none'] }),
    ],
    [
      p.table(c, 'Anonymous authentication per node', 'Whether anonymous authentication is enabled on each node, by where it was read: manifest, process or authentication_config. No line: that source could not be read.',
              'posture.md#where-the-inspector-looks', [p.q('max by (%s, source) (k8s_anon_auth_enabled%s)' % [i, sel()], '', 'A', p.tableFmt)],
              { [i]: 'Node', source: 'Read from', Value: 'Anonymous auth' }, { 'Anonymous auth': [p.steps(null, 1), enabled, 'none'] }),
      p.table(c, 'Paths anonymous authentication is limited to', 'Paths that AuthenticationConfiguration anonymous conditions allow (KEP-4633). Empty when anonymous access is not limited by conditions.',
              'posture.md#where-the-inspector-looks', [p.q('max by (%s, path) (k8s_anon_auth_allowed_paths%s)' % [i, sel()], '', 'A', p.tableFmt)],
              { [i]: 'Node', path: 'Path', Value: 'Allowed' }),
    ],
    [
      p.table(c, 'Unauthenticated probes', 'The status code each probe path got without credentials, and whether that exposes a non-health path. A path without a line got no answer (see "Probes unanswered").',
              'posture.md#the-lockdown-probe', [
                p.q('max by (%s, path) (k8s_anon_probe_status_code%s)' % [i, sel()], '', 'A', p.tableFmt),
                p.q('max by (%s, path) (k8s_anon_probe_exposed%s)' % [i, sel()], '', 'B', p.tableFmt),
              ], { [i]: 'Node', path: 'Path', 'Value #A': 'Status code', 'Value #B': 'Exposed' },
              { Exposed: [p.steps(null, 1), exposed, 'none'] }),
      p.ts(c, 'Side-input collectors', 'Whether each side-input collector (rbac, inspector, probe, canary) succeeded on its last run, per node: 1 ok, 0 failed.',
           'alerting.md#blind-states', [p.q('min by (%s, collector) (k8s_anon_collector_success%s)' % [i, sel()], '{{%s}} {{collector}}' % i)], 'bool_yes_no'),
    ],
    [
      p.table(c, 'RBAC list age', 'Seconds since each node last listed or received a watch event for RBAC bindings; large values mean stale bindings.',
              'rbac.md#how-the-watch-works-and-what-happens-when-it-fails', [p.q('time() - max by (%s) (k8s_anon_rbac_last_sync_timestamp_seconds%s)' % [i, sel()], '', 'A', p.tableFmt)],
              { [i]: 'Node', Value: 'Since last sync' }, { 'Since last sync': [p.steps(600, 3600), [], 's'] }),
      p.table(c, 'What a lockdown would break', 'Sources whose anonymous requests would start failing with 401 after a lockdown, by group (health probes, bootstrap, other allowed clients). Run `k8s-anon-exporter lockdown-preview` for the addresses.',
              'posture.md#before-a-lockdown-what-it-would-break', [p.q('max by (group) (k8s_anon_lockdown_breaking_sources%s)' % sel(), '', 'A', p.tableFmt)],
              { group: 'Group', Value: 'Sources' }, { Sources: [p.steps(1, null), [], 'none'] }),
    ],
  ]
