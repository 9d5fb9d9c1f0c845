/** What the analyzer tells interested parties while it reads the audit stream. */

/** Something the analyzer tells interested parties while it reads the audit stream. */
export interface AuditObserver {
  /** A write (any verb but get/list/watch) to a RoleBinding or ClusterRoleBinding was logged. */
  bindingWrite?(kind: 'RoleBinding' | 'ClusterRoleBinding', verb: string): void;
  /** An audit canary request (marker in requestURI or auditID) was logged at `stageTimeMs`. */
  canarySeen?(marker: string, stageTimeMs: number): void;
  /** True when an anonymous or 401 request with this Audit-ID was sent by the daemon itself (the probe). */
  ownRequest?(auditID: string): boolean;
}
