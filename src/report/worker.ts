/** Worker thread of a parallel `report`: analyses one byte range and posts its counters, detail and deferred times. */
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer } from '../audit/analyzer.js';
import { LineSplitter } from '../tail/lines.js';
import type { Counters } from '../audit/state.js';
import { ReportDetail, type DetailPart } from './detail.js';
import { readRange, type Range } from './ranges.js';
import { LockdownTally, teeSink, type TallyPart } from '../lockdown/tally.js';

/** What the main thread sends a range worker. */
export interface RangeJob {
  path: string;
  range: Range;
  maxLineBytes: number;
  sourceClasses: Record<string, string[]>;
  sourceAddress: 'last' | 'first';
  maxSourceSeries: number;
  gapThresholdSeconds: number;
  /** Paths of the AuthenticationConfiguration alternative the lockdown preview reports on. */
  conditions: readonly string[];
}

/** What a range worker posts back. */
export interface RangeResult { counters: Counters; detail: DetailPart; lockdown: TallyPart; times: Float64Array; lines: number; bytes: number }

/** A growable list of float64 values. */
class Times {
  buf = new Float64Array(1 << 14);
  n = 0;
  push(t: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = t;
  }
}

/** Analyses `job.range` of `job.path` with gap accounting deferred. */
export function analyzeRange(job: RangeJob): RangeResult {
  const times = new Times();
  const detail = new ReportDetail();
  const lockdown = new LockdownTally(job.conditions);
  const a = new Analyzer({
    sourceClasses: job.sourceClasses, sourceAddress: job.sourceAddress, maxSourceSeries: job.maxSourceSeries,
    gapThresholdSeconds: job.gapThresholdSeconds, detail: teeSink(detail, lockdown), deferGaps: (t) => times.push(t),
  });
  const splitter = new LineSplitter(job.maxLineBytes, a);
  const bytes = readRange(job.path, job.range, splitter, a.readBuffers()?.[0]);
  splitter.finish();
  return { counters: a.c, detail: detail.part(), lockdown: lockdown.part(), times: times.buf.slice(0, times.n), lines: a.linesSeen(), bytes };
}

function answer(port: NonNullable<typeof parentPort>, job: RangeJob): void {
  const res = analyzeRange(job);
  port.postMessage(res, [res.times.buffer as ArrayBuffer]);
}

const port = parentPort;
if (port && workerData !== null && typeof workerData === 'object' && 'range' in workerData) answer(port, workerData as RangeJob);
// Started ahead of its job (prewarm): the job comes as the first message.
else if (port && workerData === null) port.once('message', (job: RangeJob) => answer(port, job));
