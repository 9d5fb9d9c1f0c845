/** RBAC side input factory (stub until the RBAC watcher lands). */
import type { DaemonContext, SideInput } from '../serve/types.js';

/** Creates the RBAC watcher side input, or none when RBAC watching is disabled or unavailable. */
export function createRbacInputs(_ctx: DaemonContext): SideInput[] {
  return [];
}
