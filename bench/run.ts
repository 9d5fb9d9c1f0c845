/**
 * `npm run bench`: generates (or reuses) the benchmark log, times `report --format json`, the
 * manual grep|jq pipeline, `serve` catch-up and line splitting, profiles one report run, and
 * writes BENCHMARKS.md. `BENCH_REQUESTS=N` shrinks the log for a quick run (then the document
 * goes to `bench/out/` instead of the repository root); `BENCH_RUNS` sets the samples per figure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLog, repoRoot, type GeneratedLog } from './generate.js';
import type { FastShare } from './fastshare.js';
import { renderMarkdown, type BenchResults, type Check } from './markdown.js';
import { machine } from './machine.js';
import { timeCommand } from './measure.js';
import { profileCommand } from './profile.js';
import { timeServe } from './serve.js';
import { SPLIT_MODES } from './split.js';

const say = (msg: string): void => { process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`); };

/** The manual procedure the report replaces, exactly as an operator types it. */
export function pipelineCommand(file: string): string {
  return `grep '"username":"system:anonymous"' ${shellQuote(file)} | jq -r .requestURI | sort | uniq -c`;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

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

async function main(): Promise<void> {
  const root = repoRoot();
  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
  const requests = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  say(`log of ${requests} requests (cached under bench/out/)`);
  const log = ensureLog(join(root, 'bench/out'), requests);
  say(`${log.cached ? 'reusing' : 'generated'} ${log.path}: ${(log.bytes / 1e6).toFixed(0)} MB, ${log.truth.lines} lines`);
  warmCache(log.path);
  const checks = checkAnswers(cli, root, log);
  const res: BenchResults = { date: new Date().toISOString(), machine: machine(), log, runs, checks, fast: [], report: [], pipeline: [], serve: [], split: {}, profile: [] };
  for (let i = 0; i < runs; i++) {
    say(`run ${i + 1}/${runs}: report, then grep|jq`);
    res.report.push(await timeCommand(process.execPath, [cli, 'report', '--format', 'json', log.path], root));
    res.pipeline.push(await timeCommand('bash', ['-c', pipelineCommand(log.path)], root));
  }
  for (let i = 0; i < runs; i++) {
    say(`run ${i + 1}/${runs}: serve catch-up`);
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
  }
  say('CPU profile of one report run');
  res.profile = await profileCommand(cli, ['report', '--format', 'json', log.path], root);
  res.tail = await runTailBench(root);
  const full = requests >= 1_000_000;
  const out = full ? join(root, 'BENCHMARKS.md') : join(root, `bench/out/BENCHMARKS-${requests}.md`);
  writeFileSync(join(root, `bench/out/results-${requests}.json`), `${JSON.stringify(res, null, 2)}\n`);
  writeFileSync(out, renderMarkdown(res));
  say(`wrote ${out}`);
}

main().catch((e: unknown) => {
  say(`failed: ${String((e as Error)?.stack ?? e)}`);
  process.exitCode = 1;
});
