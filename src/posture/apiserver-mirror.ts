/** Mirrors of the API server's own 401 counter and latency histogram, per instance, kept monotonic across API server restarts. */
import { Gauge, type Registry } from 'prom-client';
import { windowQuantile, type ApiserverSample, type Hist } from './apiserver-parse.js';

/** The metric names this mirror exports. */
export const UNAUTHORIZED = 'k8s_anon_apiserver_unauthorized_requests_total';
export const DURATION = 'k8s_anon_apiserver_request_duration_seconds';
export const WINDOW = 'k8s_anon_apiserver_request_latency_seconds';

interface State {
  rawUnauthorized?: number;
  unauthorized?: number;
  raw?: Hist;
  total?: Hist;
}

type Value = { metricName?: string; labels: Record<string, string | number>; value: number };

/** A prom-client compatible family whose values are computed at scrape time. */
function family(registry: Registry, name: string, help: string, type: 'counter' | 'histogram', values: () => Value[]): void {
  registry.registerMetric({ name, help, type, aggregator: 'sum', get: async () => ({ name, help, type, aggregator: 'sum', values: values() }) } as never);
}

/** Grows `total` by the increase from `prev` to `cur` (a decrease is an API server restart: the new value is all increase). */
function grow(total: number | undefined, prev: number | undefined, cur: number): number {
  const inc = prev !== undefined && cur >= prev ? cur - prev : cur;
  return (total ?? 0) + inc;
}

function growHist(s: State, cur: Hist): Hist {
  const prev = s.raw;
  const same = prev !== undefined && s.total !== undefined && prev.bounds.length === cur.bounds.length && prev.bounds.every((b, i) => b === cur.bounds[i]);
  if (!same || !s.total) return { ...cur, bounds: [...cur.bounds], counts: [...cur.counts] };
  const reset = cur.count < prev.count;
  return {
    bounds: cur.bounds,
    counts: cur.counts.map((c, i) => (s.total?.counts[i] as number) + (reset ? c : c - (prev.counts[i] as number))),
    sum: s.total.sum + (reset ? cur.sum : cur.sum - prev.sum),
    count: s.total.count + (reset ? cur.count : cur.count - prev.count),
  };
}

/** Holds per-instance state and exports the mirrored families. */
export class ApiserverMirror {
  private readonly state = new Map<string, State>();
  private readonly latency: Gauge<'apiserver' | 'quantile'>;

  constructor(registry: Registry) {
    family(registry, UNAUTHORIZED, 'Requests the API server answered 401 (its apiserver_request_total{code="401"}, all clients), read from its /metrics; monotonic across API server restarts.', 'counter', () => this.counterValues());
    family(registry, DURATION, 'Latency of non-long-running API server requests (its apiserver_request_duration_seconds without WATCH and CONNECT), read from its /metrics; monotonic across API server restarts.', 'histogram', () => this.histValues());
    this.latency = new Gauge({ name: WINDOW, help: 'Quantiles of API server request latency between the last two reads of its /metrics (for Netdata, which cannot compute them from the histogram).', labelNames: ['apiserver', 'quantile'], registers: [registry] });
  }

  /** Folds one read of instance `apiserver` into the mirror. */
  update(apiserver: string, sample: ApiserverSample): void {
    const s = this.state.get(apiserver) ?? {};
    if (sample.unauthorized !== undefined) {
      s.unauthorized = grow(s.unauthorized, s.rawUnauthorized, sample.unauthorized);
      s.rawUnauthorized = sample.unauthorized;
    }
    if (sample.duration) {
      for (const q of [0.5, 0.99]) {
        const v = s.raw ? windowQuantile(s.raw, sample.duration, q) : undefined;
        if (v === undefined) this.latency.remove({ apiserver, quantile: String(q) });
        else this.latency.set({ apiserver, quantile: String(q) }, v);
      }
      s.total = growHist(s, sample.duration);
      s.raw = sample.duration;
    }
    this.state.set(apiserver, s);
  }

  /** Forgets instances not in `keep` (no longer probed). */
  retain(keep: ReadonlySet<string>): void {
    for (const k of this.state.keys()) {
      if (keep.has(k)) continue;
      this.state.delete(k);
      for (const q of ['0.5', '0.99']) this.latency.remove({ apiserver: k, quantile: q });
    }
  }

  private counterValues(): Value[] {
    return [...this.state].filter(([, s]) => s.unauthorized !== undefined).map(([apiserver, s]) => ({ labels: { apiserver }, value: s.unauthorized as number }));
  }

  private histValues(): Value[] {
    const out: Value[] = [];
    for (const [apiserver, s] of this.state) {
      const h = s.total;
      if (!h) continue;
      h.bounds.forEach((le, i) => out.push({ metricName: `${DURATION}_bucket`, labels: { apiserver, le }, value: h.counts[i] as number }));
      out.push({ metricName: `${DURATION}_bucket`, labels: { apiserver, le: '+Inf' }, value: h.count });
      out.push({ metricName: `${DURATION}_sum`, labels: { apiserver }, value: h.sum });
      out.push({ metricName: `${DURATION}_count`, labels: { apiserver }, value: h.count });
    }
    return out;
  }
}
