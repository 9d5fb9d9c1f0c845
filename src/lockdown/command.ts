/** `lockdown-preview [FILE...|-]`: which sources a lockdown would break, from audit files. */
import { parseArgs } from 'node:util';
import { Analyzer } from '../audit/analyzer.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { resolveInputs } from '../report/inputs.js';
import { readInput } from '../report/read.js';
import { VERSION } from '../version.js';
import { DEFAULT_CONDITIONS } from './groups.js';
import { buildPreview, type Preview } from './preview.js';
import { LockdownTally } from './tally.js';
import { renderPreview } from './text.js';

const CONFIG_KEYS = ['audit.maxLineBytes', 'sources.classes', 'sources.address'] as const;

const HELP = `Usage: k8s-anon-exporter lockdown-preview [FILE...|DIR|-] [options]

Reads audit files (plain or .gz, lumberjack backups in time order) or stdin and lists every
source whose anonymous requests succeed today and would get 401 once anonymous authentication
is off, grouped by what breaks: health probes, node join and bootstrap discovery, other clients.
Also shows what an AuthenticationConfiguration limited to health paths (KEP-4633) would still break.

Options:
  --format=text|json              output format (default: text)
  --conditions=PATHS              comma-separated anonymous.conditions paths of the alternative
                                  (default: ${DEFAULT_CONDITIONS.join(',')})
  --kubernetes-version=1.MINOR    API server version, to say whether the alternative is supported
  --config=FILE                   YAML configuration file (${CONFIG_KEYS.join(', ')} apply)
  --audit.maxLineBytes=N, --sources.classes=JSON, --sources.address=last|first
  -h, --help                      this text
  -V, --version                   print the version

Exit codes: 0 nothing breaks, 2 something breaks, 1 error.
`;

const OPTIONS = {
  format: { type: 'string' }, conditions: { type: 'string' }, 'kubernetes-version': { type: 'string' }, config: { type: 'string' },
  help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' },
  ...Object.fromEntries(CONFIG_KEYS.map((k) => [k, { type: 'string' }])),
} as const;

/** Reads `inputs` and builds the preview. */
export async function preview(inputs: string[], config: Config, conditions: string[], version?: string): Promise<Preview> {
  const tally = new LockdownTally(conditions);
  const analyzer = new Analyzer({
    sourceClasses: config.sources.classes, sourceAddress: config.sources.address,
    maxSourceSeries: config.sources.maxSeries, gapThresholdSeconds: config.gaps.thresholdSeconds, detail: tally,
  });
  for (const p of inputs) await readInput(p, analyzer, config.audit.maxLineBytes, () => analyzer.linesSeen());
  return buildPreview(tally.records(), conditions, version, tally.dropped);
}

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(argv: string[]): Parsed | string {
  try { return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }) as Parsed; } catch (e) { return (e as Error).message; }
}

function fail(msg: string): number {
  process.stderr.write(`lockdown-preview: ${msg}\n`);
  return 1;
}

/** Entry point of `lockdown-preview`. */
export async function run(argv: string[]): Promise<number> {
  const a = parse(argv);
  if (typeof a === 'string') return fail(`${a} (see --help)`);
  if (a.values.help) { process.stdout.write(HELP); return 0; }
  if (a.values.version) { process.stdout.write(`${VERSION}\n`); return 0; }
  const format = (a.values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') return fail(`--format must be text or json, got ${JSON.stringify(format)}`);
  const conditions = ((a.values.conditions as string | undefined) ?? DEFAULT_CONDITIONS.join(',')).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (conditions.some((c) => !c.startsWith('/'))) return fail('--conditions must be absolute paths');
  const overrides = new Map(CONFIG_KEYS.flatMap((k) => (typeof a.values[k] === 'string' ? [[k, a.values[k] as string] as [string, string]] : [])));
  let config: Config;
  let inputs: string[];
  try {
    config = loadConfig(a.values.config as string | undefined, overrides);
    inputs = resolveInputs(a.positionals.length ? a.positionals : ['-']);
  } catch (e) { return fail(e instanceof ConfigError ? e.message : (e as Error).message); }
  let doc: Preview;
  try { doc = await preview(inputs, config, conditions, a.values['kubernetes-version'] as string | undefined); } catch (e) { return fail((e as Error).message); }
  const out = format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : renderPreview(doc);
  await new Promise<void>((res) => process.stdout.write(out, () => res()));
  return doc.breaking.sources > 0 || doc.breaking.requests > 0 ? 2 : 0;
}
