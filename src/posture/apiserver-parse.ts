/** Extracting the 401 count and the request-latency histogram from a kube-apiserver `/metrics` exposition. */
import { parseSampleLine } from '../netdata/promtext.js';

/** A cumulative histogram: finite upper bounds with their cumulative counts, plus sum and count. */
export interface Hist {
  bounds: number[];
  counts: number[];
  sum: number;
  count: number;
}

/** What the mirror needs from one read. */
export interface ApiserverSample {
  /** Sum of `apiserver_request_total{code="401"}`; undefined when the family is absent. */
  unauthorized: number | undefined;
  /** `apiserver_request_duration_seconds` summed over non-long-running series (verb not WATCH or CONNECT). */
  duration: Hist | undefined;
}

const LONG_RUNNING = new Set(['WATCH', 'CONNECT']);
const PREFIXES = ['apiserver_request_total', 'apiserver_request_duration_seconds_'];

/** True for the only lines worth parsing (the exposition of a big cluster has megabytes of others). */
export function wanted(line: string): boolean {
  return PREFIXES.some((p) => line.startsWith(p));
}

/** Reads the two families from exposition lines (other lines are ignored). */
export function extract(lines: Iterable<string>): ApiserverSample {
  let unauthorized: number | undefined;
  const buckets = new Map<number, number>();
  let sum = 0, count = 0, seen = false;
  for (const line of lines) {
    if (!wanted(line)) continue;
    const s = parseSampleLine(line);
    if (!s || !Number.isFinite(s.value)) continue;
    if (s.name === 'apiserver_request_total') {
      unauthorized = (unauthorized ?? 0) + (s.labels.code === '401' ? s.value : 0);
      continue;
    }
    if (LONG_RUNNING.has(s.labels.verb ?? '')) continue;
    if (s.name === 'apiserver_request_duration_seconds_bucket') {
      const le = Number(s.labels.le);
      if (s.labels.le === '+Inf' || !Number.isFinite(le)) continue;
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
      seen = true;
    } else if (s.name === 'apiserver_request_duration_seconds_sum') { sum += s.value; seen = true; } else if (s.name === 'apiserver_request_duration_seconds_count') { count += s.value; seen = true; }
  }
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  return { unauthorized, duration: seen ? { bounds, counts: bounds.map((b) => buckets.get(b) as number), sum, count } : undefined };
}

/** The q-quantile of the observations between two reads (linear inside a bucket, as histogram_quantile); undefined without new observations. */
export function windowQuantile(prev: Hist | undefined, cur: Hist, q: number): number | undefined {
  const same = prev !== undefined && prev.bounds.length === cur.bounds.length && prev.bounds.every((b, i) => b === cur.bounds[i]) && prev.count <= cur.count;
  const d = (i: number): number => (cur.counts[i] as number) - (same ? (prev.counts[i] as number) : 0);
  const total = cur.count - (same ? prev.count : 0);
  if (total <= 0) return undefined;
  const rank = q * total;
  let lower = 0, below = 0;
  for (let i = 0; i < cur.bounds.length; i++) {
    const upper = cur.bounds[i] as number;
    const c = d(i);
    if (c >= rank) return c === below ? upper : lower + ((upper - lower) * (rank - below)) / (c - below);
    lower = upper;
    below = c;
  }
  return cur.bounds[cur.bounds.length - 1];
}
