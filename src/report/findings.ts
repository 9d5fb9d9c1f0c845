/** Findings with a severity, derived from the finished report. */

/** One finding; `critical` makes `report` exit 2. */
export interface Finding { severity: 'critical' | 'warning' | 'info'; code: string; message: string }

/** The report numbers findings are derived from. */
export interface FindingInputs {
  requests: number;
  responseStartedEvents: number;
  sensitiveAllowed: number;
  anonymousNonPublic: number;
  anonymousNonPublicAllowed: number;
  bindingChanges: number;
  unverifiedBindingWrites: number;
  unauthorized: number;
  gaps: number;
  maxGapSeconds: number;
  thresholdSeconds: number;
  skipped: number;
  canary: number;
}

/** Derives the findings, most severe first. */
export function deriveFindings(i: FindingInputs): Finding[] {
  const out: Finding[] = [];
  const add = (cond: boolean, severity: Finding['severity'], code: string, message: string): void => {
    if (cond) out.push({ severity, code, message });
  };
  add(i.sensitiveAllowed > 0, 'critical', 'anonymous_sensitive_allowed',
    `${i.sensitiveAllowed} anonymous request(s) to sensitive endpoints succeeded: find the binding that allows them (k8s-anon-exporter rbac) and remove it`);
  add(i.bindingChanges > 0, 'critical', 'anonymous_binding_change',
    `${i.bindingChanges} RoleBinding/ClusterRoleBinding write(s) named system:anonymous or system:unauthenticated`);
  add(i.anonymousNonPublicAllowed > 0, 'warning', 'anonymous_non_public_allowed',
    `${i.anonymousNonPublicAllowed} anonymous request(s) beyond health, discovery and bootstrap were allowed`);
  add(i.anonymousNonPublic > 0, 'warning', 'anonymous_non_public',
    `${i.anonymousNonPublic} anonymous request(s) went beyond health, discovery and bootstrap (scanning or misconfigured clients)`);
  add(i.unverifiedBindingWrites > 0, 'warning', 'binding_writes_unverified',
    `${i.unverifiedBindingWrites} binding write(s) were logged without objects (Metadata level): check current RBAC with 'k8s-anon-exporter rbac'`);
  add(i.gaps > 0, 'warning', 'audit_gaps',
    `${i.gaps} gap(s) longer than ${i.thresholdSeconds} s between audit events (longest ${i.maxGapSeconds.toFixed(1)} s): events may be missing`);
  add(i.skipped > 0, 'warning', 'lines_skipped', `${i.skipped} line(s) were skipped as unreadable (see linesSkipped)`);
  add(i.unauthorized > 0, 'info', 'unauthorized_requests', `${i.unauthorized} request(s) failed authentication (401)`);
  add(i.requests > 0 && i.responseStartedEvents === 0, 'info', 'no_response_started',
    'no ResponseStarted events: if the audit policy omits that stage, 401 rejections are invisible');
  add(i.canary > 0, 'info', 'canary_requests', `${i.canary} audit canary request(s) recognised and excluded from anonymous traffic`);
  return out;
}
