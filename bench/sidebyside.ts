/**
 * The side-by-side run: on the realistic log and on the probed-cluster log, in one interleaved loop,
 * `report --format json --jobs 1`, `report --format json` (default jobs), the grep|jq pipeline and
 * `serve` catch-up from the beginning; plus the byte-identity check of `--jobs 1` against the default.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FastShare } from './fastshare.js';
import type { GeneratedLog } from './generate.js';
import { mbps, median, pipelineCommand, timeCommand, type Sample } from './measure.js';
import { timeServe, type ServeSample } from './serve.js';

/** Everything measured on one log. */
export interface SideLog {
  log: GeneratedLog;
  fast: FastShare;
  /** sha256 of `report --format json --jobs 1` and of the default; equal when byte-identical. */
  sha1: string;
  shaDefault: string;
  report1: Sample[];
  reportDefault: Sample[];
  pipeline: Sample[];
  serve: ServeSample[];
}

/** The side-by-side results. */
export interface SideBySide { jobs: number; load1AtStart: number; runs: number; logs: SideLog[] }

const sha = (cli: string, root: string, args: string[]): string => {
  const r = spawnSync(process.execPath, [cli, 'report', '--format', 'json', ...args], { cwd: root, maxBuffer: 512 << 20 });
  return createHash('sha256').update(r.stdout).digest('hex');
};

/** Runs the side-by-side loop over `logs`, `runs` times. */
export async function sideBySide(cli: string, root: string, logs: GeneratedLog[], runs: number, say: (m: string) => void): Promise<SideBySide> {
  const res: SideBySide = { jobs: availableParallelism(), load1AtStart: loadavg()[0] as number, runs, logs: [] };
  for (const log of logs) {
    const f = spawnSync(process.execPath, [fileURLToPath(new URL('fastshare.js', import.meta.url)), log.path], { cwd: root, encoding: 'utf8' });
    res.logs.push({
      log, fast: JSON.parse(f.stdout) as FastShare, sha1: sha(cli, root, ['--jobs', '1', log.path]), shaDefault: sha(cli, root, [log.path]),
      report1: [], reportDefault: [], pipeline: [], serve: [],
    });
  }
  for (let i = 0; i < runs; i++) {
    for (const s of res.logs) {
      say(`side by side ${i + 1}/${runs} on ${s.log.path}`);
      s.report1.push(await timeCommand(process.execPath, [cli, 'report', '--format', 'json', '--jobs', '1', s.log.path], root));
      s.reportDefault.push(await timeCommand(process.execPath, [cli, 'report', '--format', 'json', s.log.path], root));
      s.pipeline.push(await timeCommand('bash', ['-c', pipelineCommand(s.log.path)], root));
      s.serve.push(await timeServe(cli, root, s.log.path, s.log.bytes));
    }
  }
  return res;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const f0 = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const walls = (xs: { wallS: number }[]): string => xs.map((x) => f2(x.wallS)).join(', ');

function logTable(s: SideLog, jobs: number): string[] {
  const b = s.log.bytes;
  const pipe = median(s.pipeline.map((x) => x.wallS));
  const line = (what: string, xs: Sample[] | ServeSample[], threads: number): string => {
    const w = median(xs.map((x) => x.wallS));
    const rss = median(xs.map((x) => x.maxRssKB)) / 1024;
    return row([what, `**${f2(w)}**`, f0(mbps(b, w)), f2(w / pipe), f2(median(xs.map((x) => x.userS + x.sysS))), f0(rss), f0(rss / threads), walls(xs)]);
  };
  return [
    row(['command', 'median wall s', 'MB/s', '× pipeline', 'CPU s', 'peak RSS MiB', 'RSS MiB per thread', 'wall s of each run']), row(Array(8).fill('---')),
    line('`report --format json --jobs 1`', s.report1, 1),
    line(`\`report --format json\` (default: --jobs ${jobs})`, s.reportDefault, jobs),
    line('grep \\| jq \\| sort \\| uniq -c', s.pipeline, 1),
    line('`serve` catch-up from the beginning (spawn → caught up)', s.serve, 1),
  ];
}

function verdicts(s: SideLog): string[] {
  const m = (xs: { wallS: number }[]): number => median(xs.map((x) => x.wallS));
  const def = m(s.reportDefault), pipe = m(s.pipeline), one = m(s.report1), serve = m(s.serve);
  const rss = (median(s.reportDefault.map((x) => x.maxRssKB)) * 1024) / 1e6;
  const ok = (c: boolean): string => (c ? 'met' : '**missed**');
  return [
    `- report ≤ 1.2 × the pipeline: ${f2(def / pipe)} × — ${ok(def <= 1.2 * pipe)}`,
    `- report ≥ 800 MB/s: ${f0(mbps(s.log.bytes, def))} MB/s — ${ok(mbps(s.log.bytes, def) >= 800)}`,
    `- peak RSS ≤ 150 MB per worker: ${f0(rss)} MB for the whole process — ${ok(rss <= 150)}`,
    `- serve catch-up ≥ 80% of report --jobs 1: ${f0((100 * one) / serve)}% — ${ok(one / serve >= 0.8)}`,
    `- \`--jobs 1\` and the default give byte-identical JSON: ${s.sha1 === s.shaDefault ? 'yes' : '**no**'} (sha256 ${s.sha1.slice(0, 16)}…)`,
  ];
}

/** The markdown section of the side-by-side results. */
export function sideBySideSection(r: SideBySide): string {
  const out = [
    '## Side by side: report, the pipeline and serve on two logs', '',
    `One loop (for each run: each log: \`report --jobs 1\`, \`report\`, pipeline, \`serve\`), medians of ${r.runs}. 1-minute load average at the start: ${f2(r.load1AtStart)}; per run: ${r.logs[0]?.report1.map((x) => f2(x.load1)).join(', ') ?? ''}. Wall times on a loaded machine are upper bounds.`, '',
  ];
  for (const s of r.logs) {
    const decided = s.fast.fast + (s.fast.byte ?? 0);
    out.push(`### \`${s.log.path.split('/').pop() ?? ''}\` (${(s.log.profile ?? 'realistic')}, ${f0(s.log.bytes / 1e6)} MB, ${s.fast.lines.toLocaleString('en-US')} lines)`, '',
      `Fast path ${((100 * s.fast.fast) / s.fast.lines).toFixed(1)}% of lines, byte path ${((100 * (s.fast.byte ?? 0)) / s.fast.lines).toFixed(1)}%, full parse ${((100 * (s.fast.lines - decided)) / s.fast.lines).toFixed(1)}%: ${((100 * (s.fast.lines - s.fast.fast)) / s.fast.lines).toFixed(1)}% of lines need more than stage and timestamp.`, '',
      ...logTable(s, r.jobs), '', ...verdicts(s), '');
  }
  return out.join('\n');
}
