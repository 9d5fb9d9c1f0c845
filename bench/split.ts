/**
 * Line splitting alone: split2 (strings) against the engine's Buffer `LineSplitter`, on the same
 * file, each counting lines with a no-op consumer. Run one mode per process:
 * `node dist/bench/split.js split2|lines-stream|lines-sync FILE` prints `{ mode, lines, seconds, cpuSeconds }`.
 */
import { readPlain } from '../src/report/read.js';
import { createReadStream, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import split2 from 'split2';
import { LineSplitter } from '../src/tail/lines.js';

/** The splitting strategies compared. */
export const SPLIT_MODES = ['split2', 'lines-stream', 'lines-sync'] as const;
/** One of SPLIT_MODES. */
export type SplitMode = (typeof SPLIT_MODES)[number];

const MAX_LINE = 16 << 20;

function countingSplitter(): { splitter: LineSplitter; count: () => number } {
  let n = 0;
  const splitter = new LineSplitter(MAX_LINE, { line: () => { n++; }, tooLong: () => { n++; } });
  return { splitter, count: () => n };
}

/** split2 as documented: `createReadStream(F).pipe(split2())`, counting emitted lines. */
function viaSplit2(file: string): Promise<number> {
  return new Promise((res, rej) => {
    let n = 0;
    const s = createReadStream(file).on('error', rej).pipe(split2());
    s.on('data', () => { n++; });
    s.on('end', () => res(n));
    s.on('error', rej);
  });
}

/** LineSplitter fed by the same read stream (64 KiB chunks). */
async function viaLinesStream(file: string): Promise<number> {
  const { splitter, count } = countingSplitter();
  for await (const chunk of createReadStream(file)) splitter.push(chunk as Buffer);
  splitter.finish();
  return count();
}

/** LineSplitter fed the way `report` reads plain files (4 MiB synchronous reads). */
function viaLinesSync(file: string): number {
  const { splitter, count } = countingSplitter();
  readPlain(file, splitter);
  splitter.finish();
  return count();
}

/** Splits `file` with `mode`; returns the line count, the wall seconds and the CPU seconds (all threads) spent. */
export async function splitOnce(mode: SplitMode, file: string): Promise<{ mode: SplitMode; lines: number; seconds: number; cpuSeconds: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const lines = mode === 'split2' ? await viaSplit2(file) : mode === 'lines-stream' ? await viaLinesStream(file) : viaLinesSync(file);
  const c = process.cpuUsage(c0);
  return { mode, lines, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}

const argv1 = process.argv[1];
if (argv1 && import.meta.url === pathToFileURL(realpathSync(argv1)).href) {
  const [mode, file] = process.argv.slice(2);
  if (!file || !(SPLIT_MODES as readonly string[]).includes(mode ?? '')) {
    process.stderr.write(`usage: node dist/bench/split.js ${SPLIT_MODES.join('|')} FILE\n`);
    process.exitCode = 1;
  } else {
    splitOnce(mode as SplitMode, file).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`), (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 1;
    });
  }
}
