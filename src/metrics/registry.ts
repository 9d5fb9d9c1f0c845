/** The daemon's private Prometheus registry and collector self-metrics. */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { buildLabels } from './build.js';

/** Creates a private registry carrying `k8s_anon_build_info` and, when `processMetrics`, prom-client's `process_*`/`nodejs_*` defaults. */
export function createRegistry(processMetrics = false): Registry {
  const registry = new Registry();
  const labels = buildLabels();
  new Gauge({ name: 'k8s_anon_build_info', help: 'Build information; always 1.', labelNames: ['version', 'revision', 'nodejs_version'], registers: [registry] })
    .set(labels, 1);
  if (processMetrics) {
    collectDefaultMetrics({ register: registry });
    // Gauges named *_total break the naming rule (`promtool check metrics`); the per-type gauges without the suffix carry the same values.
    for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(name);
  }
  return registry;
}

/** prom-client default gauges whose names end in `_total`, left out of the exposition. */
export const NON_COUNTER_TOTALS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Called with every collector run's outcome (readiness listens). */
export type CollectorListener = (collector: string, ok: boolean) => void;

/** Success and duration self-metrics shared by every side-input collector (node_exporter style). */
export class CollectorMetrics {
  private readonly success: Gauge<'collector'>;
  private readonly duration: Gauge<'collector'>;
  private readonly listeners: CollectorListener[] = [];

  constructor(registry: Registry) {
    this.success = getOrCreateGauge(registry, 'k8s_anon_collector_success', 'Whether the last run of a side-input collector succeeded (1) or failed (0); 0 until its first run ends.');
    this.duration = getOrCreateGauge(registry, 'k8s_anon_collector_duration_seconds', 'Duration of the last run of a side-input collector.');
  }

  /** Exports `collector` with success 0 before its first run (an enabled input that never ran has not succeeded). */
  expect(collector: string): void {
    this.success.set({ collector }, 0);
  }

  /** Adds a listener of collector outcomes. */
  onRecord(listener: CollectorListener): void { this.listeners.push(listener); }

  /** Records one collector run. */
  record(collector: string, ok: boolean, seconds: number): void {
    this.success.set({ collector }, ok ? 1 : 0);
    this.duration.set({ collector }, seconds);
    for (const l of this.listeners) l(collector, ok);
  }

  /** Times `fn` and records its outcome under `collector`; rethrows nothing, returns success. */
  async run(collector: string, fn: () => Promise<void>): Promise<boolean> {
    const t0 = performance.now();
    let ok = true;
    try { await fn(); } catch { ok = false; }
    this.record(collector, ok, (performance.now() - t0) / 1000);
    return ok;
  }
}

function getOrCreateGauge(registry: Registry, name: string, help: string): Gauge<'collector'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<'collector'>;
  return new Gauge({ name, help, labelNames: ['collector'], registers: [registry] });
}
