/** RBAC side input factory for the daemon. */
import type { DaemonContext, SideInput } from '../serve/types.js';
import { findKubeSource } from './kube.js';
import { RbacWatcher, type WatcherOptions } from './watcher.js';

/** Environment seams for kubeconfig discovery. */
export interface RbacInputDeps {
  env?: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
  options?: WatcherOptions;
}

/** Creates the RBAC watcher side input, or none when RBAC watching is disabled or unavailable. */
export function createRbacInputs(ctx: DaemonContext, deps: RbacInputDeps = {}): SideInput[] {
  const { enabled, kubeconfig } = ctx.config.rbac;
  if (enabled === 'false') return [];
  const source = findKubeSource(kubeconfig, deps.env, deps.exists);
  if (enabled === 'auto' && !source) {
    ctx.log.info('rbac watch off: not in-cluster and no kubeconfig (set rbac.kubeconfig or rbac.enabled=true)');
    return [];
  }
  return [new RbacWatcher(ctx, source, deps.options)];
}

export { RbacWatcher } from './watcher.js';
