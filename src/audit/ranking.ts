/**
 * Which source addresses keep their own series: the `maxSeries` most active in a sliding window
 * of event time. Deterministic (event time, fixed tie-breaks) and serialisable, so a restart
 * from the checkpoint labels the rest of the log exactly as one uninterrupted run would.
 */

/** Ranking settings. */
export interface RankOptions {
  /** Addresses holding their own series (`sources.maxSeries`). */
  maxSeries: number;
  /** Length of the activity window in milliseconds (`sources.windowSeconds`). */
  windowMs: number;
  /** The window moves in this many steps. */
  buckets?: number;
}

/** The ranking as stored in the checkpoint. */
export interface RankState {
  version: 1;
  windowMs: number;
  bucket: number | null;
  members: string[];
  /** Address, then `[bucket, count]` pairs inside the window. */
  tracked: Array<[string, Array<[number, number]>]>;
}

interface Activity { total: number; byBucket: Map<number, number> }

/** Ranks addresses by requests in the window; calls `evict` when an address loses its series. */
export class SourceRanker {
  private members = new Set<string>();
  private tracked = new Map<string, Activity>();
  private bucket: number | undefined;
  /** A lower bound of the smallest member total (members only grow between window steps). */
  private minBound = Number.NEGATIVE_INFINITY;
  private readonly steps: number;
  private readonly bucketMs: number;
  /** Event time at which the window next moves (checked cheaply on every event). */
  nextStepMs = Number.NEGATIVE_INFINITY;

  constructor(private maxSeries: number, readonly windowMs: number, private readonly evict: (addr: string) => void, buckets = 12) {
    this.steps = buckets;
    this.bucketMs = Math.max(1, Math.floor(windowMs / buckets));
  }

  /** The label value for one request from `addr` at event time `tMs`. */
  label(addr: string, tMs: number | undefined): string {
    if (addr === 'none' || addr === 'invalid') return addr;
    if (tMs !== undefined && tMs >= this.nextStepMs) this.advance(tMs);
    const total = this.count(addr);
    if (this.members.has(addr)) return addr;
    if (this.maxSeries <= 0) return 'other';
    if (this.members.size < this.maxSeries) return this.admit(addr);
    if (total <= this.minBound) return 'other';
    const min = this.minMember();
    this.minBound = min.total;
    if (total <= min.total) return 'other';
    this.drop(min.addr);
    return this.admit(addr);
  }

  /** Moves the window to event time `tMs`: old buckets expire, idle members lose their series. */
  advance(tMs: number): void {
    const b = Math.floor(tMs / this.bucketMs);
    this.nextStepMs = (b + 1) * this.bucketMs;
    if (this.bucket !== undefined && b <= this.bucket) return;
    const first = this.bucket === undefined;
    this.bucket = b;
    const oldest = b - this.steps + 1;
    for (const [addr, a] of this.tracked) {
      for (const [k, n] of a.byBucket) if (k < oldest) { a.byBucket.delete(k); a.total -= n; }
      if (a.total <= 0) this.tracked.delete(addr);
    }
    // Members restored without activity (older checkpoints) get until the next step.
    if (!first) for (const addr of [...this.members].sort()) if (!this.tracked.has(addr)) this.drop(addr);
    this.minBound = Number.NEGATIVE_INFINITY;
  }

  /** Changes `maxSeries`; surplus members (least active first) lose their series. */
  setMaxSeries(max: number): void {
    this.maxSeries = max;
    while (this.members.size > Math.max(0, max)) this.drop(this.minMember().addr);
    this.minBound = Number.NEGATIVE_INFINITY;
  }

  /** Addresses holding their own series. */
  list(): string[] { return [...this.members]; }

  /** The state for the checkpoint. */
  snapshot(): RankState {
    const tracked = [...this.tracked].map(([addr, a]): [string, Array<[number, number]>] => [addr, [...a.byBucket]]);
    return { version: 1, windowMs: this.windowMs, bucket: this.bucket ?? null, members: this.list(), tracked };
  }

  /** Restores a snapshot; a missing or foreign one keeps `legacyMembers` (older checkpoints) with no recorded activity. */
  restore(state: unknown, legacyMembers: readonly string[] = []): void {
    const s = state as Partial<RankState> | null | undefined;
    this.tracked = new Map();
    this.minBound = Number.NEGATIVE_INFINITY;
    if (!s || s.version !== 1 || !Array.isArray(s.members) || !Array.isArray(s.tracked) || s.windowMs !== this.windowMs) {
      this.members = new Set(legacyMembers.slice(0, Math.max(0, this.maxSeries)));
      return;
    }
    this.bucket = typeof s.bucket === 'number' ? s.bucket : undefined;
    this.nextStepMs = this.bucket === undefined ? Number.NEGATIVE_INFINITY : (this.bucket + 1) * this.bucketMs;
    for (const [addr, pairs] of s.tracked) {
      if (typeof addr !== 'string' || !Array.isArray(pairs)) continue;
      const a: Activity = { total: 0, byBucket: new Map() };
      for (const [k, n] of pairs) if (Number.isSafeInteger(k) && Number.isSafeInteger(n) && n > 0) { a.byBucket.set(k, n); a.total += n; }
      if (a.total > 0) this.tracked.set(addr, a);
    }
    this.members = new Set(s.members.filter((m): m is string => typeof m === 'string').slice(0, Math.max(0, this.maxSeries)));
  }

  private count(addr: string): number {
    let a = this.tracked.get(addr);
    if (!a) {
      a = { total: 0, byBucket: new Map() };
      this.tracked.set(addr, a);
    }
    const b = this.bucket ?? 0;
    a.byBucket.set(b, (a.byBucket.get(b) ?? 0) + 1);
    a.total++;
    if (this.tracked.size > this.trackLimit()) this.prune(addr);
    return a.total;
  }

  private admit(addr: string): string {
    this.members.add(addr);
    return addr;
  }

  private drop(addr: string): void {
    this.members.delete(addr);
    this.evict(addr);
  }

  /** The least active member; ties go to the greatest address, so the choice never depends on order of arrival. */
  private minMember(): { addr: string; total: number } {
    let best = { addr: '', total: Number.POSITIVE_INFINITY };
    for (const m of this.members) {
      const t = this.tracked.get(m)?.total ?? 0;
      if (t < best.total || (t === best.total && m > best.addr)) best = { addr: m, total: t };
    }
    return best;
  }

  private trackLimit(): number { return Math.max(1000, 20 * this.maxSeries); }

  /** Forgets the least active non-members (bounded memory under address spraying). */
  private prune(current: string): void {
    const keep = Math.floor(this.trackLimit() * 0.75);
    const others = [...this.tracked].filter(([addr]) => !this.members.has(addr) && addr !== current);
    others.sort(([a, x], [b, y]) => x.total - y.total || (a < b ? 1 : a > b ? -1 : 0));
    for (const [addr] of others.slice(0, Math.max(0, this.tracked.size - keep))) this.tracked.delete(addr);
  }
}
