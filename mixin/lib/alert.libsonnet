// Helpers shared by the alerts: names, runbook links and the "new or increased" counter test.
{
  // 'k8s_anon_audit_silence' -> 'K8sAnonAuditSilence' (SPEC §7: same names, CamelCased).
  camel(name):: std.join('', [std.asciiUpper(w[0]) + w[1:] for w in std.split(name, '_')]),

  // One alerting rule; `forDuration` is explicit on every alert ('0s' only where a comment says why).
  alert(c, name, severity, forDuration, expr, summary, description):: {
    alert: $.camel(name),
    expr: expr,
    'for': forDuration,
    labels: { severity: severity },
    annotations: {
      summary: summary,
      // One line: readable in notifications, and exact in the promtool tests.
      description: std.join(' ', std.split(std.rstripChars(description, '\n'), '\n')),
      runbook_url: c.runbookBaseURL + name + '.md',
    },
  },

  // Counts that rose within `window`, including series born inside it (a new counter series starts
  // at its first value, which increase() alone cannot see).
  newOrIncreased(series, window)::
    '(increase(%(s)s[%(w)s]) > 0)\n  or\n(%(s)s unless %(s)s offset %(w)s)' % { s: series, w: window },
}
