/** `report [FILE...|-]`: one-shot analysis of audit files or stdin. */
import { Analyzer } from '../audit/analyzer.js';
import { helpText, prepare, type CommandDef } from '../config/cli.js';
import type { Config } from '../config/types.js';
import { buildReport, type FileInfo } from './build.js';
import { ReportDetail } from './detail.js';
import { resolveInputs } from './inputs.js';
import { progressBar } from './progress.js';
import { plainSize, readInput, sizeOf } from './read.js';
import { PARALLEL_MIN_BYTES } from './ranges.js';
import { parseJobs, type Jobs } from './jobs.js';
import { renderText } from './text.js';
import { DEFAULT_CONDITIONS } from '../lockdown/groups.js';
import { buildPreview } from '../lockdown/preview.js';
import { LockdownTally, teeSink } from '../lockdown/tally.js';

/** The command line of `report`. */
export const REPORT: CommandDef = {
  name: 'report', args: '[FILE...|DIR|-]', maxPositionals: Number.POSITIVE_INFINITY,
  options: [
    { name: 'format', type: 'string', values: ['text', 'json'], default: 'text', help: 'output format' },
    { name: 'jobs', type: 'string', metavar: 'N', help: 'worker threads over byte ranges of each plain file (1 to 256; default: the number of cores, used for files of 8 MiB or more)' },
  ],
  configKeys: ['audit.maxLineBytes', 'sources.classes', 'sources.address', 'sources.maxSeries', 'gaps.thresholdSeconds'],
  notes: [
    'Each FILE may be plain or gzip (recognised from its first bytes), a pipe, a FIFO, /dev/stdin or',
    '<(command); - reads stdin, as does no argument when stdin is not a terminal. A DIR is read',
    'oldest first: logrotate backups (audit.log.2.gz, audit.log.1), lumberjack backups',
    '(audit-2025-01-02T03-04-05.000.log[.gz]) by their time, then the live files.',
    'Exit codes: 0 no critical finding, 2 critical finding, 1 error.',
  ],
};

export { parseJobs, type Jobs } from './jobs.js';

/** Runs the analysis over `inputs` and returns the report document. */
export async function analyze(inputs: string[], config: Config, showProgress = true, jobs: Jobs = { n: 1, explicit: true }): Promise<ReturnType<typeof buildReport>> {
  const detail = new ReportDetail();
  const lockdown = new LockdownTally(DEFAULT_CONDITIONS);
  const settings = {
    sourceClasses: config.sources.classes, sourceAddress: config.sources.address,
    maxSourceSeries: config.sources.maxSeries, gapThresholdSeconds: config.gaps.thresholdSeconds,
  };
  const analyzer = new Analyzer({ ...settings, detail: teeSink(detail, lockdown) });
  const total = inputs.reduce((s, p) => s + sizeOf(p), 0);
  const bar = showProgress ? progressBar(total) : { tick: () => undefined, done: () => undefined };
  const files: FileInfo[] = [];
  for (const p of inputs) {
    const size = jobs.n > 1 ? plainSize(p) : 0;
    if (size > 0 && (jobs.explicit || size >= PARALLEL_MIN_BYTES)) {
      // Loaded only when used: worker threads cost start-up time that small or sequential reports need not pay.
      const { analyzeParallel } = await import('./parallel.js');
      const f = await analyzeParallel(p, size, jobs.n, analyzer, { detail, lockdown }, { ...settings, maxLineBytes: config.audit.maxLineBytes, conditions: DEFAULT_CONDITIONS });
      // A bounded table reached its bound: only the sequential order gives its exact contents.
      if (!f) { bar.done(); return analyze(inputs, config, false, { n: 1, explicit: true }); }
      bar.tick(size);
      files.push(f);
    } else files.push(await readInput(p, analyzer, config.audit.maxLineBytes, () => analyzer.linesSeen(), bar.tick, analyzer.readBuffers()?.[0]));
  }
  bar.done();
  return { ...buildReport(analyzer, detail, files, config.gaps.thresholdSeconds), lockdownPreview: buildPreview(lockdown.records(), DEFAULT_CONDITIONS, undefined, lockdown.dropped) };
}

/** Entry point of `report`; stops any range worker started ahead (prewarm.ts) that no job took. */
export async function run(argv: string[]): Promise<number> {
  try { return await report(argv); } finally { (await import('./parallel.js')).dropPrewarmed(); }
}

async function report(argv: string[]): Promise<number> {
  const p = await prepare(REPORT, argv);
  if ('exit' in p) return p.exit;
  const format = p.values.format;
  if (p.positionals.length === 0 && process.stdin.isTTY === true) {
    process.stderr.write(`k8s-anon-exporter report: no input: give FILE, DIR or - (stdin), or pipe a log in\n\n${helpText(REPORT)}`);
    return 1;
  }
  let inputs: string[];
  try {
    inputs = resolveInputs(p.positionals.length ? p.positionals : ['-']);
  } catch (e) {
    process.stderr.write(`k8s-anon-exporter report: ${(e as Error).message}\n`);
    return 1;
  }
  let doc: Awaited<ReturnType<typeof analyze>>;
  try {
    doc = await analyze(inputs, p.config, true, parseJobs(p.values.jobs));
  } catch (e) {
    process.stderr.write(`k8s-anon-exporter report: ${(e as Error).message}\n`);
    return 1;
  }
  const out = format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : renderText(doc);
  await new Promise<void>((res) => process.stdout.write(out, () => res()));
  return doc.findings.some((f) => f.severity === 'critical') ? 2 : 0;
}
