/** The daemon's private Prometheus registry and collector self-metrics. */
import { Gauge, Registry } from 'prom-client';
import { VERSION } from '../version.js';

/** Creates a private registry carrying `k8s_anon_build_info`. */
export function createRegistry(): Registry {
  const registry = new Registry();
  new Gauge({ name: 'k8s_anon_build_info', help: 'Build information; always 1.', labelNames: ['version'], registers: [registry] })
    .set({ version: VERSION }, 1);
  return registry;
}

/** Success and duration self-metrics shared by every side-input collector (node_exporter style). */
export class CollectorMetrics {
  private readonly success: Gauge<'collector'>;
  private readonly duration: Gauge<'collector'>;

  constructor(registry: Registry) {
    this.success = getOrCreateGauge(registry, 'k8s_anon_collector_success', 'Whether the last run of a side-input collector succeeded (1) or failed (0).');
    this.duration = getOrCreateGauge(registry, 'k8s_anon_collector_duration_seconds', 'Duration of the last run of a side-input collector.');
  }

  /** Records one collector run. */
  record(collector: string, ok: boolean, seconds: number): void {
    this.success.set({ collector }, ok ? 1 : 0);
    this.duration.set({ collector }, seconds);
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
