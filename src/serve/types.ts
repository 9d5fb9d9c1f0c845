/** Contracts between the daemon and its parts, defined below the daemon and re-exported here. */
export type { AuditObserver } from '../audit/observer.js';
export type { DaemonContext, SideInput } from '../inputs/types.js';
