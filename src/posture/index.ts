/** Posture side inputs factory: inspector, probe, canary (stub until they land). */
import type { DaemonContext, SideInput } from '../serve/types.js';

/** Creates the anonymous-auth inspector, lockdown probe and audit canary side inputs. */
export function createPostureInputs(_ctx: DaemonContext): SideInput[] {
  return [];
}
