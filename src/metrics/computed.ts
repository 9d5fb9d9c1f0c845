/** Metrics whose values are computed from our own state at scrape time (exact, restorable). */
import type { Registry } from 'prom-client';

/** One exposition sample. */
export interface Sample { labels?: Record<string, string | number>; value: number; metricName?: string }

/** A metric registered on a prom-client registry whose samples come from a callback at each scrape. */
export class ComputedMetric {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    private readonly samples: () => Sample[],
  ) {}

  /** prom-client calls this at scrape time. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }

  /** Registers this metric on `registry`. */
  register(registry: Registry): this {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
    return this;
  }
}

/** Expands a `|`-joined family into samples with the given label names; `zeros` are keys exported as 0 until counted. */
export function familySamples(fam: Map<string, number>, labelNames: readonly string[], zeros: readonly string[] = []): Sample[] {
  const out: Sample[] = [];
  const all = zeros.length === 0 ? fam : new Map([...zeros.map((z): [string, number] => [z, 0]), ...fam]);
  for (const [key, value] of all) {
    const parts = key.split('|');
    const labels: Record<string, string> = {};
    labelNames.forEach((n, i) => { labels[n] = parts[i] ?? ''; });
    out.push({ labels, value });
  }
  return out;
}

/** Histogram samples (`_bucket`, `_sum`, `_count`) from per-bucket (non-cumulative) counts. */
export function histogramSamples(name: string, bounds: readonly number[], counts: readonly number[], sum: number): Sample[] {
  const out: Sample[] = [];
  let acc = 0;
  bounds.forEach((le, i) => {
    acc += counts[i] ?? 0;
    out.push({ metricName: `${name}_bucket`, labels: { le }, value: acc });
  });
  acc += counts[bounds.length] ?? 0;
  out.push({ metricName: `${name}_bucket`, labels: { le: '+Inf' }, value: acc });
  out.push({ metricName: `${name}_sum`, value: sum });
  out.push({ metricName: `${name}_count`, value: acc });
  return out;
}
