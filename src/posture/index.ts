/** Posture side inputs factory: inspector, probe, canary. */
import type { DaemonContext, SideInput } from '../inputs/types.js';
import { Canary } from './canary.js';
import { realInspectDeps, type InspectDeps } from './inspect.js';
import { InspectorInput, ProbeInput } from './inputs.js';
import { PostureMetrics } from './metrics.js';
import { realScheduler, type Scheduler } from './scheduler.js';

/** Test seams: stepped time and a fake filesystem. */
export interface PostureSeams {
  scheduler?: Scheduler;
  inspectDeps?: InspectDeps;
}

/** Creates the anonymous-auth inspector (always), the lockdown probe (`probe.enabled`) and the audit canary (`canary.enabled`, registered as an audit observer). */
export function createPostureInputs(ctx: DaemonContext, seams: PostureSeams = {}): SideInput[] {
  const deps = {
    config: ctx.config,
    metrics: new PostureMetrics(ctx.registry),
    collectors: ctx.collectors,
    log: ctx.log.child({ component: 'posture' }),
    scheduler: seams.scheduler ?? realScheduler,
  };
  const inputs: SideInput[] = [new InspectorInput(deps, seams.inspectDeps ?? realInspectDeps)];
  if (ctx.config.probe.enabled) {
    const probe = new ProbeInput(deps);
    ctx.observe(probe);
    inputs.push(probe);
  }
  if (ctx.config.canary.enabled) {
    const canary = new Canary(deps);
    ctx.observe(canary);
    inputs.push(canary);
  }
  return inputs;
}

export { Canary } from './canary.js';
export { InspectorInput, ProbeInput } from './inputs.js';
export { ManualScheduler } from './scheduler.js';
