/** Posture side inputs factory: inspector, probe, canary. */
import type { DaemonContext, SideInput } from '../inputs/types.js';
import { ApiserverMetricsInput } from './apiserver-input.js';
import type { MetricsFetch } from './apiserver-fetch.js';
import { ApiserverMirror } from './apiserver-mirror.js';
import { Canary } from './canary.js';
import { kubeDiscover } from './discover.js';
import { realInspectDeps, type InspectDeps } from './inspect.js';
import { InspectorInput, ProbeInput } from './inputs.js';
import { PostureMetrics } from './metrics.js';
import { realScheduler, type Scheduler } from './scheduler.js';
import type { Discover } from './targets.js';

/** Test seams: stepped time and a fake filesystem. */
export interface PostureSeams {
  scheduler?: Scheduler;
  inspectDeps?: InspectDeps;
  discover?: Discover;
  metricsFetch?: MetricsFetch;
}

/** Creates the anonymous-auth inspector (always), the lockdown probe (`probe.enabled`), the API server /metrics reader (`apiserver.metrics.enabled`) and the audit canary (`canary.enabled`, registered as an audit observer). */
export function createPostureInputs(ctx: DaemonContext, seams: PostureSeams = {}): SideInput[] {
  const deps = {
    config: ctx.config,
    metrics: new PostureMetrics(ctx.registry),
    collectors: ctx.collectors,
    log: ctx.log.child({ component: 'posture' }),
    scheduler: seams.scheduler ?? realScheduler,
    discover: seams.discover ?? kubeDiscover(ctx.config),
  };
  const inputs: SideInput[] = [new InspectorInput(deps, seams.inspectDeps ?? realInspectDeps)];
  if (ctx.config.probe.enabled) {
    const probe = new ProbeInput(deps);
    ctx.observe(probe);
    inputs.push(probe);
  }
  if (ctx.config.apiserver.metrics.enabled) {
    const mirror = new ApiserverMirror(ctx.registry);
    inputs.push(new ApiserverMetricsInput({ ...deps, mirror, ...(seams.metricsFetch ? { fetch: seams.metricsFetch } : {}) }));
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
