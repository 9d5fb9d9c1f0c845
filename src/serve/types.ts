/** Contracts between the daemon and its parts: side inputs and audit-stream observers. */
import type { Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics/registry.js';

/** Something the analyzer tells interested parties while it reads the audit stream. */
export interface AuditObserver {
  /** A write (any verb but get/list/watch) to a RoleBinding or ClusterRoleBinding was logged. */
  bindingWrite?(kind: 'RoleBinding' | 'ClusterRoleBinding', verb: string): void;
  /** An audit canary request (marker in requestURI or auditID) was logged at `stageTimeMs`. */
  canarySeen?(marker: string, stageTimeMs: number): void;
  /** True when an anonymous or 401 request with this Audit-ID was sent by the daemon itself (the probe). */
  ownRequest?(auditID: string): boolean;
}

/** Everything a side input needs from the daemon. */
export interface DaemonContext {
  config: Config;
  registry: Registry;
  log: Logger;
  collectors: CollectorMetrics;
  /** Registers an observer of the audit stream (RBAC re-list trigger, canary). */
  observe(observer: AuditObserver): void;
}

/** An independent collector the daemon runs beside the audit tailer (RBAC watcher, inspector, probe, canary). */
export interface SideInput {
  readonly name: string;
  /** Starts the input; must not throw for runtime failures (it reports them through metrics and logs). */
  start(): Promise<void>;
  /** Stops timers and connections. */
  stop(): Promise<void>;
}
