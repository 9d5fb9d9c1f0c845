/** Contracts between the daemon and its side inputs, below both so inputs never import the daemon. */
import type { Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics/registry.js';
import type { AuditObserver } from '../audit/observer.js';

export type { AuditObserver } from '../audit/observer.js';

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
