/**
 * `npm run bench`: generates (or reuses) the benchmark log, times `report --format json`, the
 * manual grep|jq pipeline, `serve` catch-up and line splitting, profiles one report run, and
 * writes BENCHMARKS.md. `BENCH_REQUESTS=N` shrinks the log for a quick run (then the document
 * goes to `bench/out/` instead of the repository root); `BENCH_RUNS` sets the samples per figure;
 * `BENCH_TAIL=0` skips the tailer benchmark (`bench/tail.ts`); `BENCH_SIDE_ONLY=1` runs only the side-by-side
 * comparison on both logs (`bench/sidebyside.ts`). `--render [results.json]` only rewrites the document from saved results.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLog, repoRoot, type GeneratedLog } from './generate.js';
import type { FastShare } from './fastshare.js';
import { renderMarkdown, type BenchResults, type Check } from './markdown.js';
import { machine } from './machine.js';
import { pipelineCommand, timeCommand } from './measure.js';
import { profileCommand } from './profile.js';
import { timeServe } from './serve.js';
import { sideBySide, sideBySideSection, type SideBySide } from './sidebyside.js';
import { SPLIT_MODES } from './split.js';

const say = (msg: string): void => { process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`); };

function warmCache(file: string): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  try { while (readSync(fd, buf, 0, buf.length, null) > 0) { /* page cache only */ } } finally { closeSync(fd); }
}

/** The parts of the report document the answer check reads (SPEC §6). */
interface ReportDoc {
  events: number;
  requests: number;
  anonymous: { requests: number; allowed: number };
  unauthorized: { requests: number };
  rbac: { bindingChangesCount: number };
  gaps: { count: number };
}

/** Runs the report once with its output captured and compares it with the generator's ground truth. */
function checkAnswers(cli: string, root: string, log: GeneratedLog): Check[] {
  const r = spawnSync(process.execPath, [cli, 'report', '--format', 'json', log.path], { cwd: root, maxBuffer: 256 << 20, encoding: 'utf8' });
  const doc = JSON.parse(r.stdout) as ReportDoc;
  const t = log.truth;
  const pipe = spawnSync('bash', ['-c', pipelineCommand(log.path)], { cwd: root, maxBuffer: 256 << 20, encoding: 'utf8' });
  const pipeTotal = pipe.stdout.split('\n').reduce((s, l) => s + (Number(l.trim().split(/\s+/)[0]) || 0), 0);
  return [
    { what: 'lines read', expected: t.lines, report: doc.events },
    { what: 'requests (denominator)', expected: t.requests, report: doc.requests },
    { what: 'anonymous requests', expected: t.anonymous, report: doc.anonymous.requests, pipeline: pipeTotal },
    { what: 'anonymous allowed (2xx)', expected: t.anonymousAllowed, report: doc.anonymous.allowed },
    { what: '401 (failed authentication)', expected: t.unauthorized, report: doc.unauthorized.requests, pipeline: 0 },
    { what: 'binding writes naming anonymous', expected: t.bindingWritesNamingAnonymous, report: doc.rbac.bindingChangesCount },
    { what: `gaps > 30 s between events (${t.silences.join(' s, ')} s silences injected)`, expected: t.gapsOver30s, report: doc.gaps.count },
  ];
}

async function runTailBench(root: string): Promise<string | undefined> {
  const js = fileURLToPath(new URL('tail.js', import.meta.url));
  if (!existsSync(js)) return undefined;
  say('running dist/bench/tail.js');
  const child = spawn(process.execPath, [js], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number>((res) => child.once('close', (c) => res(c ?? -1)));
  return code === 0 ? out.trim() || undefined : `(bench/tail exited ${code})`;
}

/** Writes BENCHMARKS.md (full size) or bench/out/BENCHMARKS-<requests>.md from results. */
function writeDocument(root: string, res: BenchResults): string {
  const requests = res.log.requests;
  const full = requests >= 1_000_000 && res.report.length > 0;
  const out = full ? join(root, 'BENCHMARKS.md') : join(root, `bench/out/BENCHMARKS-${requests}.md`);
  writeFileSync(out, res.report.length > 0 ? renderMarkdown(res) : sideBySideSection(res.sideBySide as SideBySide));
  return out;
}

/** The timed runs: report, pipeline and serve side by side, then splitting, fast path and start-up. */
async function measure(res: BenchResults, cli: string, root: string, empty: string): Promise<void> {
  const { runs, log } = res;
  for (let i = 0; i < runs; i++) {
    say(`run ${i + 1}/${runs}: report, grep|jq, serve catch-up`);
    res.report.push(await timeCommand(process.execPath, [cli, 'report', '--format', 'json', log.path], root));
    res.pipeline.push(await timeCommand('bash', ['-c', pipelineCommand(log.path)], root));
    res.serve.push(await timeServe(cli, root, log.path, log.bytes));
  }
  for (let i = 0; i < runs; i++) {
    say(`run ${i + 1}/${runs}: line splitting, fast path alone`);
    for (const mode of SPLIT_MODES) {
      const r = spawnSync(process.execPath, [fileURLToPath(new URL('split.js', import.meta.url)), mode, log.path], { cwd: root, encoding: 'utf8' });
      (res.split[mode] ??= []).push(JSON.parse(r.stdout) as { lines: number; seconds: number });
    }
    const f = spawnSync(process.execPath, [fileURLToPath(new URL('fastshare.js', import.meta.url)), log.path], { cwd: root, encoding: 'utf8' });
    res.fast.push(JSON.parse(f.stdout) as FastShare);
    res.startup.push(await timeCommand(process.execPath, [cli, 'report', '--format', 'json', empty], root));
  }
}

async function main(): Promise<void> {
  const root = repoRoot();
  const rerender = process.argv.indexOf('--render');
  if (rerender >= 0) {
    const file = process.argv[rerender + 1] ?? join(root, 'bench/out/results-1000000.json');
    say(`wrote ${writeDocument(root, JSON.parse(readFileSync(file, 'utf8')) as BenchResults)}`);
    return;
  }
  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
  const requests = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  say(`log of ${requests} requests (cached under bench/out/)`);
  const log = ensureLog(join(root, 'bench/out'), requests);
  say(`${log.cached ? 'reusing' : 'generated'} ${log.path}: ${(log.bytes / 1e6).toFixed(0)} MB, ${log.truth.lines} lines`);
  warmCache(log.path);
  const empty = join(root, 'bench/out/empty.log');
  writeFileSync(empty, '');
  const checks = checkAnswers(cli, root, log);
  const res: BenchResults = { date: new Date().toISOString(), machine: machine(), log, runs, checks, fast: [], startup: [], report: [], pipeline: [], serve: [], split: {}, profile: [] };
  const notes = join(root, 'bench/profile-summary.md');
  if (existsSync(notes)) res.notes = readFileSync(notes, 'utf8');
  say(`probed-cluster log of ${requests} requests (cached under bench/out/)`);
  const probed = ensureLog(join(root, 'bench/out'), requests, undefined, 'probed');
  warmCache(probed.path);
  warmCache(log.path);
  res.sideBySide = await sideBySide(cli, root, [log, probed], runs, say);
  if (process.env.BENCH_SIDE_ONLY === '1') {
    say(`wrote ${writeDocument(root, res)}`);
    return;
  }
  await measure(res, cli, root, empty);
  say('CPU profile of one report run');
  res.profile = await profileCommand(cli, ['report', '--format', 'json', log.path], root);
  if (process.env.BENCH_TAIL !== '0') res.tail = await runTailBench(root);
  writeFileSync(join(root, `bench/out/results-${requests}.json`), `${JSON.stringify(res, null, 2)}\n`);
  say(`wrote ${writeDocument(root, res)}`);
}

main().catch((e: unknown) => {
  say(`failed: ${String((e as Error)?.stack ?? e)}`);
  process.exitCode = 1;
});
