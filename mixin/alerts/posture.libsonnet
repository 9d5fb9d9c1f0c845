// Whether anonymous access is possible: RBAC, the API server's flags and real unauthenticated probes.
local a = import '../lib/alert.libsonnet';
{
  postureAlerts::
    local c = $._config;
    local ci = '%(clusterLabel)s, %(instanceLabel)s' % c;
    // Nodes whose anonymous authentication is limited to health paths by AuthenticationConfiguration conditions.
    local limitedToHealth = |||
      (
          count by (%(ci)s) (k8s_anon_auth_allowed_paths{%(jobSelector)s})
        unless on (%(ci)s)
          count by (%(ci)s) (k8s_anon_auth_allowed_paths{%(jobSelector)s, path!~"%(healthPathRegex)s"})
      )
    ||| % (c { ci: ci });
    [
      a.alert(c, 'k8s_anon_unexpected_rbac_bindings', 'critical', '1m',  // 1m rides out a re-list
              'max by (%(clusterLabel)s) (k8s_anon_rbac_unexpected_bindings{%(jobSelector)s}) > 0\n' % c,
              'RBAC grants permissions to anonymous identities',
              |||
                {{ $value }} unexpected RoleBindings/ClusterRoleBindings in cluster {{ $labels.%(clusterLabel)s }}
                name system:anonymous or system:unauthenticated. Run `k8s-anon-exporter rbac` to list them with
                the kubectl delete commands.
              ||| % c),

      a.alert(c, 'k8s_anon_auth_enabled', 'warning', '5m',
              '(max by (%(ci)s) (k8s_anon_auth_enabled{%(jobSelector)s}) > 0)\nunless on (%(ci)s)\n' % (c { ci: ci }) + limitedToHealth,
              'kube-apiserver accepts anonymous requests',
              |||
                Anonymous authentication is enabled beyond health paths on {{ $labels.%(instanceLabel)s }}. Set
                --anonymous-auth=false or restrict it to health paths with an AuthenticationConfiguration, then run
                `k8s-anon-exporter check`.
              ||| % c),

      a.alert(c, 'k8s_anon_probe_exposed', 'critical', '1m',  // two probe rounds at the default 60 s interval
              'max by (%(ci)s, path) (k8s_anon_probe_exposed{%(jobSelector)s}) > 0\n' % (c { ci: ci }),
              'An unauthenticated request to a non-health path succeeded',
              |||
                An unauthenticated GET {{ $labels.path }} answered 2xx on {{ $labels.%(instanceLabel)s }}. Run
                `k8s-anon-exporter check` and `k8s-anon-exporter rbac`, then lock the API server down.
              ||| % c),

      // Posture says locked (every source read says off, or anonymous is limited to health paths, or every
      // non-health probe gets 401) while the same node's log shows anonymous 2xx beyond health paths.
      // for 10m over a 5m window: the 2xx must keep arriving, so requests served before the lockdown
      // (still inside the window when the posture flips) never fire it.
      a.alert(c, 'k8s_anon_lockdown_ineffective', 'critical', '10m',
              |||
                (
                  sum by (%(ci)s) (
                %(traffic)s
                  ) > 0
                )
                and on (%(ci)s)
                (
                    (max by (%(ci)s) (k8s_anon_auth_enabled{%(jobSelector)s}) == 0)
                  or
                %(limited)s
                  or
                    (
                        min by (%(ci)s) (k8s_anon_probe_status_code{%(jobSelector)s, path!~"%(healthPathRegex)s"}) == 401
                      and on (%(ci)s)
                        max by (%(ci)s) (k8s_anon_probe_status_code{%(jobSelector)s, path!~"%(healthPathRegex)s"}) == 401
                    )
                )
              ||| % (c {
                ci: ci,
                limited: limitedToHealth,
                traffic: a.newOrIncreased('k8s_anon_requests_total{%(jobSelector)s, endpoint_class!="health", code=~"2..|101"}' % c, c.lockdownWindow),
              }),
              'Anonymous requests still succeed after a lockdown',
              |||
                The anonymous-auth posture of {{ $labels.%(instanceLabel)s }} says anonymous access is off or limited to
                health paths, yet its audit log shows anonymous requests beyond health paths answered 2xx in the last
                %(lockdownWindow)s: another API server instance, a stale process or a managed endpoint still allows them.
                Run `k8s-anon-exporter check` against every instance.
              ||| % c),
    ],
}
