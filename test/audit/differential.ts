/** Runs lines through the analyzer with each fast path (WebAssembly, JavaScript) and with none, and compares everything it outputs. */
import { Analyzer } from '../../src/audit/analyzer.js';
import { LineSplitter } from '../../src/audit/lines.js';
import { buildReport } from '../../src/report/build.js';
import { ReportDetail } from '../../src/report/detail.js';
import { fuzzLines } from './fuzzgen.js';

/** Which paths count: the WebAssembly scanner, the JavaScript fast path (both with the byte path), or the full parse alone. */
export type Mode = 'wasm' | 'js' | 'full';

/** The analyzer's whole output for `lines`: counters, report document and observer calls, as JSON. */
export function wholeOutput(lines: string[], mode: Mode): string {
  const detail = new ReportDetail();
  const calls: string[] = [];
  const a = new Analyzer({
    sourceClasses: { lb: ['10.0.0.0/24'] }, sourceAddress: 'last', maxSourceSeries: 5, gapThresholdSeconds: 1, fastPath: mode !== 'full', scanner: mode === 'js' ? 'js' : 'wasm', detail,
    observers: [{ bindingWrite: (k, v) => calls.push(`bw ${k} ${v}`), canarySeen: (n) => calls.push(`canary ${n}`), ownRequest: (id) => id.endsWith('-1') }],
  });
  const s = new LineSplitter(1 << 24, a);
  s.push(Buffer.from(`${lines.join('\n')}\n`));
  s.finish();
  return JSON.stringify({ snapshot: a.snapshot(), report: buildReport(a, detail, [], 1), calls, lines: a.linesSeen() });
}

/** A difference between a fast path and the full parse, narrowed to the shortest differing prefix of lines. */
export interface Difference { seed: number; events: number; mode: Mode; line: number; text: string; fast: string; full: string }

/** Compares each fast path with the full parse on `n` events of `seed`; returns undefined when they all agree. */
export function findDifference(seed: number, n: number): Difference | undefined {
  const lines = fuzzLines(seed, n);
  const full = wholeOutput(lines, 'full');
  const mode = (['wasm', 'js'] as const).find((m) => wholeOutput(lines, m) !== full);
  if (mode === undefined) return undefined;
  // Narrow to the shortest prefix that still differs (bisection over the prefix length).
  let lo = 0, hi = lines.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const p = lines.slice(0, mid);
    if (wholeOutput(p, mode) === wholeOutput(p, 'full')) lo = mid; else hi = mid;
  }
  const p = lines.slice(0, hi);
  return { seed, events: n, mode, line: hi - 1, text: lines[hi - 1] as string, fast: wholeOutput(p, mode), full: wholeOutput(p, 'full') };
}

/** Describes a difference with its replay command. */
export function describe(d: Difference): string {
  const fast = d.fast.length > 4000 ? `${d.fast.slice(0, 4000)}...` : d.fast;
  const full = d.full.length > 4000 ? `${d.full.slice(0, 4000)}...` : d.full;
  return `${d.mode} fast path and full parse differ at seed ${d.seed}, line ${d.line}:\n${d.text}\n`
    + `fast: ${fast}\nfull: ${full}\nreplay: npm run fuzz -- --seed ${d.seed} --events ${d.events}\n`;
}
