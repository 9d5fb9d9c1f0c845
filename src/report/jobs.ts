/** `report --jobs`: how many threads read a plain file (a small module: `prewarm.ts` reads it before the command loads). */
import { availableParallelism } from 'node:os';

/** Parallelism of a report: `n` workers; `explicit` when the user chose it (then small files split too). */
export interface Jobs { n: number; explicit: boolean }

/** Parses `--jobs`: an integer from 1 to 256, else the number of cores. */
export function parseJobs(v: unknown): Jobs {
  if (v === undefined) return { n: Math.min(256, availableParallelism()), explicit: false };
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < 1 || n > 256) throw new Error(`--jobs must be an integer from 1 to 256; got ${JSON.stringify(v)}`);
  return { n, explicit: true };
}
