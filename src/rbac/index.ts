/** RBAC side input factory for the daemon; the Kubernetes client loads only when the watch runs. */
import type { DaemonContext, SideInput } from '../inputs/types.js';
import { findKubeSource, type KubeSource } from './source.js';
import type { WatcherOptions } from './watcher.js';

/** Environment seams for kubeconfig discovery. */
export interface RbacInputDeps {
  env?: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
  options?: WatcherOptions;
}

/** Defers loading the watcher (and @kubernetes/client-node) until `start()`. */
class LazyRbacInput implements SideInput {
  readonly name = 'rbac';
  private inner: SideInput | undefined;

  constructor(private readonly ctx: DaemonContext, private readonly source: KubeSource | undefined, private readonly options?: WatcherOptions) {}

  async start(): Promise<void> {
    const { RbacWatcher } = await import('./watcher.js');
    this.inner = new RbacWatcher(this.ctx, this.source, this.options);
    await this.inner.start();
  }

  async stop(): Promise<void> {
    await this.inner?.stop();
  }
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
  return [new LazyRbacInput(ctx, source, deps.options)];
}
