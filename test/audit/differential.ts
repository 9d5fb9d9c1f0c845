/** Runs lines through the analyzer with and without the byte paths and compares everything it outputs. */
import { Analyzer } from '../../src/audit/analyzer.js';
import { LineSplitter } from '../../src/audit/lines.js';
import { buildReport } from '../../src/report/build.js';
import { ReportDetail } from '../../src/report/detail.js';
import { fuzzLines } from './fuzzgen.js';

/** The analyzer's whole output for `lines`: counters, report document and observer calls, as JSON. */
export function wholeOutput(lines: string[], fastPath: boolean): string {
  const detail = new ReportDetail();
  const calls: string[] = [];
  const a = new Analyzer({
    sourceClasses: { lb: ['10.0.0.0/24'] }, sourceAddress: 'last', maxSourceSeries: 5, gapThresholdSeconds: 1, fastPath, detail,
    observers: [{ bindingWrite: (k, v) => calls.push(`bw ${k} ${v}`), canarySeen: (n) => calls.push(`canary ${n}`), ownRequest: (id) => id.endsWith('-1') }],
  });
  const s = new LineSplitter(1 << 24, a);
  s.push(Buffer.from(`${lines.join('\n')}\n`));
  s.finish();
  return JSON.stringify({ snapshot: a.snapshot(), report: buildReport(a, detail, [], 1), calls, lines: a.linesSeen() });
}

/** A difference between the two paths, narrowed to the shortest differing prefix of lines. */
export interface Difference { seed: number; events: number; line: number; text: string; fast: string; full: string }

/** Compares both paths on `n` events of `seed`; returns undefined when they agree. */
export function findDifference(seed: number, n: number): Difference | undefined {
  const lines = fuzzLines(seed, n);
  if (wholeOutput(lines, true) === wholeOutput(lines, false)) return undefined;
  // Narrow to the shortest prefix that still differs (bisection over the prefix length).
  let lo = 0, hi = lines.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const p = lines.slice(0, mid);
    if (wholeOutput(p, true) === wholeOutput(p, false)) lo = mid; else hi = mid;
  }
  const p = lines.slice(0, hi);
  return { seed, events: n, line: hi - 1, text: lines[hi - 1] as string, fast: wholeOutput(p, true), full: wholeOutput(p, false) };
}

/** Describes a difference with its replay command. */
export function describe(d: Difference): string {
  const fast = d.fast.length > 4000 ? `${d.fast.slice(0, 4000)}...` : d.fast;
  const full = d.full.length > 4000 ? `${d.full.slice(0, 4000)}...` : d.full;
  return `byte path and full parse differ at seed ${d.seed}, line ${d.line}:\n${d.text}\n`
    + `fast: ${fast}\nfull: ${full}\nreplay: npm run fuzz -- --seed ${d.seed} --events ${d.events}\n`;
}
