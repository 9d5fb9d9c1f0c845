/**
 * Cost of labelling one anonymous request by source: the windowed ranking against the former
 * first-come cap, side by side in one process (`node --import tsx bench/ranking.ts`).
 */
import { SourceRanker } from '../src/audit/ranking.js';

/** The former rule: the first `max` addresses keep their series. */
class FirstComeCap {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}
  label(a: string): string {
    if (this.seen.has(a)) return a;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(a);
    return a;
  }
}

const N = 2_000_000;
const ADDRS = Array.from({ length: 200 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);

function nsPerCall(label: (addr: string, tMs: number) => string): number {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) sink += label(ADDRS[(i * 7919) % ADDRS.length] as string, 1_700_000_000_000 + i * 5).length;
  const ns = ((performance.now() - t0) * 1e6) / N;
  return sink < 0 ? -1 : ns;
}

const rows: Array<[number, number]> = [];
for (let round = 0; round < 5; round++) {
  const cap = new FirstComeCap(50);
  const ranker = new SourceRanker(50, 3_600_000, () => undefined);
  rows.push([nsPerCall((a) => cap.label(a)), nsPerCall((a, t) => ranker.label(a, t))]);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cap = median(rows.map((r) => r[0]));
const ranked = median(rows.map((r) => r[1]));
process.stdout.write(`200 addresses, 50 series, ${N} requests x 5 rounds: first-come cap ${cap.toFixed(0)} ns/request, windowed ranking ${ranked.toFixed(0)} ns/request (median), ratio ${(ranked / cap).toFixed(2)}\n`);
