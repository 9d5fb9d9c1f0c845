/**
 * Gap accounting (SPEC §4): each event's interval from the newest earlier event goes into the gap
 * histogram of the counters, and the ones over the threshold are counted and reported.
 */
import { GAP_BUCKETS, type Counters } from './state.js';

/** What gap accounting reads besides the counters. */
export interface GapSettings {
  gapThresholdSeconds: number;
  /** See `AnalyzerOptions.deferGaps`. */
  deferGaps?: (t: number) => void;
  /** Told of each gap over the threshold. */
  detail?: { gap(fromMs: number, toMs: number): void };
}

/** Gap state that is not part of the checkpointed counters. */
export interface GapState {
  /** Longest interval between consecutive events seen by this process, in seconds, whatever the threshold. */
  maxGapSeconds: number;
}

const bucketOf = (gap: number): number => {
  let i = 0;
  while (i < GAP_BUCKETS.length && gap > (GAP_BUCKETS[i] as number)) i++;
  return i;
};

function countDeferred(c: Counters, t: number, sink: (t: number) => void): void {
  if (c.firstEventMs === undefined || t < c.firstEventMs) c.firstEventMs = t;
  if (c.lastEventMs === undefined || t > c.lastEventMs) { c.lastEventMs = t; sink(t); return; }
  // Not above this range's maximum, so not above anything before it: a gap of 0 (bucket 0, sum unchanged).
  c.gapBuckets[0] = (c.gapBuckets[0] as number) + 1;
  c.gapCount++;
}

/** Counts the event time `t` (epoch ms) into `c` and `g`. */
export function countGap(c: Counters, g: GapState, s: GapSettings, t: number): void {
  if (s.deferGaps) { countDeferred(c, t, s.deferGaps); return; }
  const prev = c.lastEventMs;
  if (c.firstEventMs === undefined || t < c.firstEventMs) c.firstEventMs = t;
  if (prev === undefined) { c.lastEventMs = t; return; }
  const gap = t > prev ? (t - prev) / 1000 : 0;
  if (t > prev) c.lastEventMs = t;
  const i = bucketOf(gap);
  c.gapBuckets[i] = (c.gapBuckets[i] as number) + 1;
  c.gapSum += gap;
  c.gapCount++;
  if (gap > g.maxGapSeconds) g.maxGapSeconds = gap;
  if (gap > s.gapThresholdSeconds) {
    c.gapsOver++;
    s.detail?.gap(prev, t);
  }
}

/**
 * Counts `times[k]`, `times[k + 1]`, … while each only adds to the histogram (not the first or an
 * earliest time, none at or after `stepMs`, no gap over the threshold, gaps not deferred), in locals
 * with the same arithmetic in the same order as `countGap`. Returns the index of the first time not
 * counted, which the caller counts through `countGap` (possibly `k` itself).
 */
export function countQuiet(c: Counters, g: GapState, s: GapSettings, times: Float64Array, k: number, n: number, stepMs: number): number {
  let prev = c.lastEventMs;
  const first = c.firstEventMs;
  if (prev === undefined || first === undefined || s.deferGaps) return k;
  const over = s.gapThresholdSeconds, buckets = c.gapBuckets;
  let sum = c.gapSum, count = c.gapCount, max = g.maxGapSeconds;
  for (; k < n; k++) {
    const t = times[k] as number;
    if (t >= stepMs || t < first) break;
    const gap = t > prev ? (t - prev) / 1000 : 0;
    if (gap > over) break;
    if (t > prev) prev = t;
    const i = bucketOf(gap);
    buckets[i] = (buckets[i] as number) + 1;
    sum += gap;
    count++;
    if (gap > max) max = gap;
  }
  c.lastEventMs = prev;
  c.gapSum = sum;
  c.gapCount = count;
  g.maxGapSeconds = max;
  return k;
}
