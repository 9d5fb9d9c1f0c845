/** The `apiserver_metrics` collector: reads every probed instance's `/metrics` into the mirror (when `apiserver.metrics.enabled`). */
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics/registry.js';
import type { Config } from '../config/types.js';
import type { SideInput } from '../inputs/types.js';
import { findKubeSource } from '../rbac/source.js';
import { kubeMetricsFetch, type MetricsFetch } from './apiserver-fetch.js';
import type { ApiserverMirror } from './apiserver-mirror.js';
import { MAX_INSTANCES } from './metrics.js';
import { Periodic, type Scheduler } from './scheduler.js';
import { resolveTargets, type Discover } from './targets.js';

/** What the collector needs. */
export interface ApiserverInputDeps {
  config: Config;
  mirror: ApiserverMirror;
  collectors: CollectorMetrics;
  log: Logger;
  scheduler: Scheduler;
  discover?: Discover;
  /** Injectable; default: the kubeconfig's credentials (rbac.kubeconfig, in-cluster, $KUBECONFIG). */
  fetch?: MetricsFetch;
}

function defaultFetch(config: Config): MetricsFetch | undefined {
  const source = findKubeSource(config.rbac.kubeconfig);
  if (!source) return undefined;
  return async (url) => {
    const { loadKubeConfig } = await import('../rbac/kube.js');
    return kubeMetricsFetch(loadKubeConfig(source), Math.max(10_000, config.probe.timeoutSeconds * 4000))(url);
  };
}

/** Reads the instances every `apiserver.metrics.intervalSeconds`; fails (collector 0) when any instance could not be read. */
export class ApiserverMetricsInput implements SideInput {
  readonly name = 'apiserver_metrics';
  private readonly periodic: Periodic;
  private readonly fetch: MetricsFetch | undefined;

  constructor(private readonly d: ApiserverInputDeps) {
    this.fetch = d.fetch ?? defaultFetch(d.config);
    this.periodic = new Periodic(d.scheduler, d.config.apiserver.metrics.intervalSeconds * 1000, () => d.collectors.run(this.name, () => this.job()).then(() => undefined));
  }

  /** Starts the first read without waiting for it. */
  async start(): Promise<void> { void this.periodic.start(); }
  /** Stops the schedule. */
  stop(): Promise<void> { return this.periodic.stop(); }
  /** Resolves when no read is in progress. */
  idle(): Promise<void> { return this.periodic.idle(); }

  private async job(): Promise<void> {
    const fetch = this.fetch;
    if (!fetch) throw this.fail('no kubeconfig: set rbac.kubeconfig (or run in-cluster) to read the API server /metrics');
    const t = await resolveTargets(this.d.config.apiserver, this.d.discover);
    if (!t.ok) throw this.fail(t.error);
    const targets = t.targets.slice(0, MAX_INSTANCES);
    const results = await Promise.all(targets.map(async (x) => {
      try { this.d.mirror.update(x.label, await fetch(x.url)); return undefined; } catch (e) { return `${x.label}: ${(e as Error).message}`; }
    }));
    this.d.mirror.retain(new Set(targets.map((x) => x.label)));
    const errors = results.filter((r): r is string => r !== undefined);
    if (errors.length > 0) throw this.fail(errors.join('; '));
  }

  private fail(error: string): Error {
    this.d.log.limited('apiserver_metrics.failed', 'warn', 'cannot read the API server /metrics', { error });
    return new Error(error);
  }
}
