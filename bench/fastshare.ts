/**
 * How many lines the byte-level fast path decides without a full JSON parse, by stage.
 * `node dist/bench/fastshare.js FILE` prints `{ lines, fast, byte, byStage: { stage: [fast, full] }, seconds, cpuSeconds }`;
 * `seconds` is reading, splitting, the fast path and the byte path on the lines it declines.
 */
import { readPlain } from '../src/report/read.js';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { byteEvent } from '../src/audit/bytepath.js';
import { fastScan, type FastResult } from '../src/audit/fastpath.js';
import { LineSplitter } from '../src/tail/lines.js';

/** Fast-path acceptance over one file. */
export interface FastShare { lines: number; fast: number; /** Lines the byte path reads (declined by the fast path, no JSON.parse). */ byte?: number; byStage: Record<string, [fast: number, full: number]>; seconds: number; cpuSeconds: number }

const STAGE = Buffer.from('"stage":"');

function stageOf(buf: Buffer, start: number, end: number): string {
  const i = buf.indexOf(STAGE, start);
  if (i < 0 || i >= end) return 'unknown';
  const from = i + STAGE.length;
  const q = buf.indexOf(34, from);
  return q < 0 || q >= end || q - from > 20 ? 'unknown' : buf.toString('latin1', from, q);
}

/** Runs the fast path over every line of `file`. */
export function fastShare(file: string): FastShare {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res: FastShare = { lines: 0, fast: 0, byte: 0, byStage: {}, seconds: 0, cpuSeconds: 0 };
  const out: FastResult = { stage: 'RequestReceived', timeMs: 0 };
  const splitter = new LineSplitter(16 << 20, {
    line: (buf, start, end) => {
      res.lines++;
      const ok = fastScan(buf, start, end, out);
      if (ok) res.fast++;
      else if (byteEvent(buf, start, end) !== undefined) res.byte = (res.byte ?? 0) + 1;
      const s = (res.byStage[ok ? out.stage : stageOf(buf, start, end)] ??= [0, 0]);
      s[ok ? 0 : 1]++;
    },
    tooLong: () => { res.lines++; },
  });
  readPlain(file, splitter);
  splitter.finish();
  res.seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  res.cpuSeconds = (c.user + c.system) / 1e6;
  return res;
}

const argv1 = process.argv[1];
if (argv1 && import.meta.url === pathToFileURL(realpathSync(argv1)).href) {
  const file = process.argv[2];
  if (!file) { process.stderr.write('usage: node dist/bench/fastshare.js FILE\n'); process.exitCode = 1; }
  else process.stdout.write(`${JSON.stringify(fastShare(file))}\n`);
}
