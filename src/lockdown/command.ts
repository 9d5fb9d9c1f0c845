/** `lockdown-preview [FILE...|-]`: which sources a lockdown would break, from audit files. */
import { Analyzer } from '../audit/analyzer.js';
import { helpText, prepare, type CommandDef } from '../config/cli.js';
import type { Config } from '../config/types.js';
import { resolveInputs } from '../report/inputs.js';
import { readInput } from '../report/read.js';
import { DEFAULT_CONDITIONS } from './groups.js';
import { buildPreview, type Preview } from './preview.js';
import { LockdownTally } from './tally.js';
import { renderPreview } from './text.js';

/** The command line of `lockdown-preview`. */
export const LOCKDOWN_PREVIEW: CommandDef = {
  name: 'lockdown-preview', args: '[FILE...|DIR|-]', maxPositionals: Number.POSITIVE_INFINITY,
  options: [
    { name: 'format', type: 'string', values: ['text', 'json'], default: 'text', help: 'output format' },
    { name: 'conditions', type: 'string', metavar: 'PATHS', default: DEFAULT_CONDITIONS.join(','), help: 'comma-separated anonymous.conditions paths of the alternative' },
    { name: 'kubernetes-version', type: 'string', metavar: '1.MINOR', help: 'API server version, to say whether the alternative is supported' },
  ],
  configKeys: ['audit.maxLineBytes', 'sources.classes', 'sources.address'],
  notes: [
    'Reads audit files (plain or .gz, lumberjack backups in time order) or stdin and lists every',
    'source whose anonymous requests succeed today and would get 401 once anonymous authentication',
    'is off, grouped by what breaks: health probes, node join and bootstrap discovery, other clients.',
    'Also shows what an AuthenticationConfiguration limited to health paths (KEP-4633) would still break.',
    'Exit codes: 0 nothing breaks, 2 something breaks, 1 error.',
  ],
};

/** Reads `inputs` and builds the preview. */
export async function preview(inputs: string[], config: Config, conditions: string[], version?: string): Promise<Preview> {
  const tally = new LockdownTally(conditions);
  const analyzer = new Analyzer({
    sourceClasses: config.sources.classes, sourceAddress: config.sources.address,
    maxSourceSeries: config.sources.maxSeries, gapThresholdSeconds: config.gaps.thresholdSeconds, detail: tally,
  });
  for (const p of inputs) await readInput(p, analyzer, config.audit.maxLineBytes, () => analyzer.linesSeen(), undefined, analyzer.readBuffers()?.[0]);
  return buildPreview(tally.records(), conditions, version, tally.dropped);
}

function fail(msg: string): number {
  process.stderr.write(`k8s-anon-exporter lockdown-preview: ${msg}\n`);
  return 1;
}

/** Entry point of `lockdown-preview`. */
export async function run(argv: string[]): Promise<number> {
  const p = await prepare(LOCKDOWN_PREVIEW, argv);
  if ('exit' in p) return p.exit;
  if (p.positionals.length === 0 && process.stdin.isTTY === true) return fail(`no input: give FILE, DIR or - (stdin), or pipe a log in\n\n${helpText(LOCKDOWN_PREVIEW)}`);
  const conditions = String(p.values.conditions).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (conditions.some((c) => !c.startsWith('/'))) return fail('--conditions must be absolute paths');
  let inputs: string[];
  try { inputs = resolveInputs(p.positionals.length ? p.positionals : ['-']); } catch (e) { return fail((e as Error).message); }
  let doc: Preview;
  const version = p.values['kubernetes-version'];
  try { doc = await preview(inputs, p.config, conditions, typeof version === 'string' ? version : undefined); } catch (e) { return fail((e as Error).message); }
  const out = p.values.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : renderPreview(doc);
  await new Promise<void>((res) => process.stdout.write(out, () => res()));
  return doc.breaking.sources > 0 || doc.breaking.requests > 0 ? 2 : 0;
}
