/**
 * Starting `report`'s range workers before the command's modules have loaded: a worker takes about
 * as long to start as the main thread takes to load, so starting both at once saves that time when
 * the input is split. The decision uses the arguments alone; workers no job takes are stopped.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PARALLEL_MIN_BYTES } from './ranges.js';
import { prewarm } from './parallel.js';
import { parseJobs } from './jobs.js';

/** The threads `--jobs N` / `--jobs=N` in `argv` asks for (the number of cores when absent), or undefined when invalid. */
function jobsArg(argv: readonly string[]): number | undefined {
  let v: string | undefined;
  for (let i = 0; i < argv.length && v === undefined; i++) {
    const a = argv[i] as string;
    v = a === '--jobs' ? argv[i + 1] ?? '' : a.startsWith('--jobs=') ? a.slice(7) : undefined;
  }
  try { return parseJobs(v).n; } catch { return undefined; }
}

/** True when `path` names a regular file large enough to be split by default. */
function large(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && st.size >= PARALLEL_MIN_BYTES;
  } catch { return false; }
}

/** Starts the range workers a `report` with these arguments will probably use (one per job beyond the first, up to the cores). */
export function prewarmFor(argv: readonly string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) return;
  const asked = jobsArg(argv);
  // An invalid --jobs makes the command fail: nothing to start.
  if (asked === undefined) return;
  const jobs = Math.min(asked, availableParallelism());
  if (jobs < 2 || !argv.some((a) => !a.startsWith('-') && large(a))) return;
  prewarm(jobs - 1);
}
