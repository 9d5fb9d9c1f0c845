/**
 * Parallel analysis of one plain file: this thread and worker threads over byte ranges split at newlines, merged
 * exactly in file order. Counters add; bounded detail tables merge by first sighting (or ask for a
 * sequential re-read when a bound is reached); gaps are exact because every time that raised a
 * range's running maximum is replayed, in order, through the main analyzer.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analyzer } from '../audit/analyzer.js';
import { inc, type Counters } from '../audit/state.js';
import type { FileInfo } from './build.js';
import type { ReportDetail } from './detail.js';
import type { LockdownTally } from '../lockdown/tally.js';
import { LineSplitter } from '../tail/lines.js';
import { readRange, splitRanges, type Range } from './ranges.js';
import type { RangeJob, RangeResult } from './worker.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * The worker module beside this one, or undefined where there is none: a build bundled into one
 * file (the single executable) has no module file, and its `import.meta.url` is no file URL.
 */
function workerModule(): URL | undefined {
  try {
    const url = new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);
    return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
  } catch { return undefined; }
}

/** The range worker's own bundle, defined only in the single executable (packaging/bundle.ts). */
declare const K8S_ANON_BUNDLED_WORKER: string | undefined;

/** How a range worker starts: from its module file, or (single executable) from its bundled source, with `eval`. */
const WORKER: URL | string | undefined = workerModule() ?? (typeof K8S_ANON_BUNDLED_WORKER === 'string' ? K8S_ANON_BUNDLED_WORKER : undefined);

/** Starts a range worker (`null`: one that waits for its job as a message); run from TypeScript sources (tests), the worker registers tsx first. */
function startWorker(worker: URL | string, job: RangeJob | null): Worker {
  if (typeof worker === 'string') return new Worker(worker, { eval: true, workerData: job });
  if (!FROM_SOURCE) return new Worker(worker, { workerData: job });
  const loader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs');
  const code = `import(${JSON.stringify(pathToFileURL(loader).href)}).then((m) => { m.register(); return import(${JSON.stringify(worker.href)}); })`;
  return new Worker(code, { eval: true, workerData: job });
}
const FAMILIES = ['events', 'skipped', 'anon', 'sensitive', 'impersonated', 'unauthorized', 'sources', 'bindingChanges', 'bindingUnverified'] as const;

/** Settings of the range workers. */
export type RangeSettings = Omit<RangeJob, 'path' | 'range'>;

/** Workers started before their jobs were known (see `prewarm`), taken in order by `runWorker`. */
const warm: Worker[] = [];

/** Starts `n` range workers ahead of their jobs, so that their start-up overlaps the main thread's. */
export function prewarm(n: number): void {
  if (!WORKER) return;
  for (let i = 0; i < n; i++) {
    const w = startWorker(WORKER, null);
    // An idle worker must neither keep the process alive nor, failing, crash it: a job then starts a fresh one.
    w.unref();
    w.on('error', () => undefined);
    w.once('exit', () => { const k = warm.indexOf(w); if (k >= 0) warm.splice(k, 1); });
    warm.push(w);
  }
}

/** Stops the prewarmed workers that no job took. */
export function dropPrewarmed(): void {
  for (const w of warm.splice(0)) void w.terminate();
}

function runWorker(worker: URL | string, job: RangeJob): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const pre = warm.shift();
    const w = pre ?? startWorker(worker, job);
    if (pre) { pre.ref(); pre.postMessage(job); }
    let got: RangeResult | undefined;
    w.once('message', (m: RangeResult) => { got = m; });
    w.once('error', reject);
    w.once('exit', (code) => (got ? resolve(got) : reject(new Error(`range worker exited with code ${code} before answering`))));
  });
}

/** Adds one range's counters (everything but the deferred gap times) to `into`. */
function addCounters(into: Counters, from: Counters): void {
  for (const f of FAMILIES) for (const [k, v] of from[f]) inc(into[f], k, v);
  into.requests += from.requests;
  into.canary += from.canary;
  for (let i = 0; i < into.gapBuckets.length; i++) into.gapBuckets[i] = (into.gapBuckets[i] as number) + (from.gapBuckets[i] as number);
  into.gapCount += from.gapCount;
  into.gapsOver += from.gapsOver;
  if (from.firstEventMs !== undefined && (into.firstEventMs === undefined || from.firstEventMs < into.firstEventMs)) into.firstEventMs = from.firstEventMs;
}

/**
 * Analyses `path` (a plain regular file of `size` bytes) in up to `jobs` ranges into `a` and the sinks;
 * returns undefined when a bounded table needs the sequential order, or when no worker module ships
 * with this build (the caller then reads everything sequentially).
 */
export async function analyzeParallel(
  path: string, size: number, jobs: number, a: Analyzer, sinks: { detail: ReportDetail; lockdown: LockdownTally }, s: RangeSettings,
): Promise<FileInfo | undefined> {
  // No worker to start (a bundle without the worker's source): read sequentially.
  if (!WORKER) return undefined;
  const ranges = splitRanges(path, size, jobs);
  // Workers start on their ranges while this thread reads the first range straight into `a`: that is
  // exactly the sequential order, and it saves one worker's start-up.
  const pending = ranges.slice(1).map((range) => runWorker(WORKER, { ...s, path, range }));
  // A rejected promise must not go unhandled while this thread is busy: Promise.all below reports it.
  for (const p of pending) p.catch(() => undefined);
  const before = a.linesSeen();
  const splitter = new LineSplitter(s.maxLineBytes, a);
  let bytes = readRange(path, ranges[0] as Range, splitter, a.readBuffers()?.[0]);
  splitter.finish();
  let lines = a.linesSeen() - before;
  const results = await Promise.all(pending);
  for (const r of results) {
    addCounters(a.c, r.counters);
    a.replayTimes(r.times);
    if (!sinks.detail.absorb(r.detail) || !sinks.lockdown.absorb(r.lockdown)) return undefined;
    lines += r.lines;
    bytes += r.bytes;
  }
  return { path, bytes, lines };
}
