/** The analyzer's counters: plain maps keyed by joined label values, serialisable for checkpoints. */

/** Gap histogram bucket upper bounds in seconds (SPEC §5). */
export const GAP_BUCKETS = [0.1, 1, 5, 15, 30, 60, 300, 900, 3600] as const;

/** A labelled counter family: label-value tuples joined by `|`. */
export type Family = Map<string, number>;

/** Every counter the analyzer keeps. */
export interface Counters {
  events: Family;
  skipped: Family;
  anon: Family;
  sensitive: Family;
  impersonated: Family;
  unauthorized: Family;
  sources: Family;
  bindingChanges: Family;
  bindingUnverified: Family;
  requests: number;
  canary: number;
  lastEventMs: number | undefined;
  firstEventMs: number | undefined;
  gapBuckets: number[];
  gapSum: number;
  gapCount: number;
  gapsOver: number;
}

const FAMILIES = ['events', 'skipped', 'anon', 'sensitive', 'impersonated', 'unauthorized', 'sources', 'bindingChanges', 'bindingUnverified'] as const;

/** Serialised counters, as stored in the checkpoint. */
export interface CountersJson {
  version: 1;
  families: Record<string, Record<string, number>>;
  requests: number;
  canary: number;
  lastEventMs: number | null;
  firstEventMs: number | null;
  gapBuckets: number[];
  gapSum: number;
  gapCount: number;
  gapsOver: number;
  sourceSeen: string[];
  /** The source ranking (`RankState`); absent in older checkpoints, which only list `sourceSeen`. */
  sourceRank?: unknown;
}

/** Returns a fresh, zeroed set of counters. */
export function emptyCounters(): Counters {
  return {
    events: new Map(), skipped: new Map(), anon: new Map(), sensitive: new Map(), impersonated: new Map(),
    unauthorized: new Map(), sources: new Map(), bindingChanges: new Map(), bindingUnverified: new Map(),
    requests: 0, canary: 0, lastEventMs: undefined, firstEventMs: undefined,
    gapBuckets: new Array<number>(GAP_BUCKETS.length + 1).fill(0), gapSum: 0, gapCount: 0, gapsOver: 0,
  };
}

/** Adds `n` to the series `key` of `fam`. */
export function inc(fam: Family, key: string, n = 1): void {
  fam.set(key, (fam.get(key) ?? 0) + n);
}

/** Serialises counters (and the source ranking) for a checkpoint. */
export function countersToJson(c: Counters, sourceSeen: string[], sourceRank?: unknown): CountersJson {
  const families: Record<string, Record<string, number>> = {};
  for (const f of FAMILIES) families[f] = Object.fromEntries(c[f]);
  return {
    version: 1, families, requests: c.requests, canary: c.canary, lastEventMs: c.lastEventMs ?? null, firstEventMs: c.firstEventMs ?? null,
    gapBuckets: [...c.gapBuckets], gapSum: c.gapSum, gapCount: c.gapCount, gapsOver: c.gapsOver, sourceSeen,
    ...(sourceRank === undefined ? {} : { sourceRank }),
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** Rebuilds counters from a checkpoint; throws when the shape is not one this version wrote. */
export function countersFromJson(j: unknown): { counters: Counters; sourceSeen: string[]; sourceRank: unknown } {
  const o = j as Partial<CountersJson> | null;
  if (!o || o.version !== 1 || typeof o.families !== 'object' || o.families === null) throw new Error('unsupported analyzer state');
  const c = emptyCounters();
  for (const f of FAMILIES) for (const [k, v] of Object.entries(o.families[f] ?? {})) c[f].set(k, num(v));
  c.requests = num(o.requests);
  c.canary = num(o.canary);
  c.lastEventMs = typeof o.lastEventMs === 'number' ? o.lastEventMs : undefined;
  c.firstEventMs = typeof o.firstEventMs === 'number' ? o.firstEventMs : undefined;
  if (Array.isArray(o.gapBuckets) && o.gapBuckets.length === c.gapBuckets.length) c.gapBuckets = o.gapBuckets.map(num);
  c.gapSum = num(o.gapSum);
  c.gapCount = num(o.gapCount);
  c.gapsOver = num(o.gapsOver);
  const seen = Array.isArray(o.sourceSeen) ? o.sourceSeen.filter((s): s is string => typeof s === 'string') : [];
  return { counters: c, sourceSeen: seen, sourceRank: o.sourceRank };
}
