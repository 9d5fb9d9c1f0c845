/**
 * Strict command-line handling shared by every command: each command declares its options
 * (name, type, allowed values, help) and gets `-h/--help`, `-V/--version`, `--config`,
 * dotted configuration flags, and a one-line error naming anything it does not know.
 */
import { parseArgs } from 'node:util';
import { SCHEMA } from './schema.js';
import { ConfigError, loadConfig } from './load.js';
import { loadYamlParser } from './yaml.js';
import type { Config } from './types.js';
import { VERSION } from '../version.js';

/** One option a command declares. */
export interface OptionDef {
  name: string;
  type: 'string' | 'boolean';
  /** Allowed values (checked, and listed in `--help`). */
  values?: readonly string[];
  /** Placeholder shown in `--help` for a string option without `values`. */
  metavar?: string;
  default?: string;
  /** One-letter alias (`h` for `-h`). */
  short?: string;
  help: string;
}

/** A command's interface: options, positionals, the configuration keys it uses, and its help. */
export interface CommandDef {
  name: string;
  /** What follows the options in the usage line, e.g. `[FILE...|DIR|-]`. */
  args?: string;
  options?: readonly OptionDef[];
  /** Most positionals accepted (default 0). */
  maxPositionals?: number;
  /** Configuration keys listed in `--help`; `false` when the command reads no configuration. */
  configKeys?: readonly string[] | false;
  /** Extra help paragraphs. */
  notes?: readonly string[];
}

/** A parsed command line with its configuration loaded. */
export interface Prepared {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  config: Config;
  /** The dotted configuration flags, kept so that a reload applies them again over the file. */
  overrides: Map<string, string>;
}

const PROG = 'k8s-anon-exporter';
const BUILTIN: readonly OptionDef[] = [
  { name: 'help', type: 'boolean', short: 'h', help: 'print this help and exit' },
  { name: 'version', type: 'boolean', short: 'V', help: 'print the version and exit' },
];
const CONFIG_OPTION: OptionDef = { name: 'config', type: 'string', metavar: 'FILE', help: 'YAML configuration file' };

/** Thrown for a command line the command does not accept; the message names the culprit. */
export class UsageError extends Error {}

function allOptions(def: CommandDef): OptionDef[] {
  return [...(def.options ?? []), ...(def.configKeys === false ? [] : [CONFIG_OPTION]), ...BUILTIN];
}

function optionLine(o: OptionDef): string {
  const arg = o.type === 'boolean' ? '' : `=${o.values ? o.values.join('|') : (o.metavar ?? 'VALUE')}`;
  const dflt = o.default !== undefined ? ` (default: ${o.default})` : '';
  return `  ${o.short ? `-${o.short}, ` : ''}--${o.name}${arg}`.padEnd(34) + o.help + dflt;
}

function configLine(key: string): string {
  const s = SCHEMA.find((k) => k.key === key);
  if (!s) return `  --${key}=VALUE`;
  const arg = s.values ? s.values.join('|') : s.type;
  return `  --${s.key}=${arg}`.padEnd(34) + `${s.help} (default: ${JSON.stringify(s.default) ?? 'unset'})`;
}

/** Renders `--help` for a command: usage, options with their allowed values, configuration flags, notes. */
export function helpText(def: CommandDef): string {
  const parts = [`Usage: ${PROG} ${def.name} [options]${def.args ? ` ${def.args}` : ''}`, '', 'Options:', ...allOptions(def).map(optionLine)];
  if (def.configKeys !== false) {
    const keys = def.configKeys ?? SCHEMA.map((s) => s.key);
    parts.push('', 'Configuration (YAML keys, also flags; every key of the configuration is accepted):', ...keys.map(configLine));
  }
  if (def.notes?.length) parts.push('', ...def.notes);
  return `${parts.join('\n')}\n`;
}

/** Splits dotted `--a.b[=v]` configuration flags from the rest; stops at `--`. */
function splitOverrides(def: CommandDef, argv: readonly string[]): { overrides: Map<string, string>; rest: string[] } {
  const overrides = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq < 0 ? undefined : eq) : '';
    if (!name.includes('.')) { rest.push(a); continue; }
    if (def.configKeys === false) throw new UsageError(`unknown option --${name}`);
    let value = eq < 0 ? undefined : a.slice(eq + 1);
    const next = argv[i + 1];
    if (value === undefined && next !== undefined && !next.startsWith('--')) { value = next; i++; }
    overrides.set(name, value ?? 'true');
  }
  return { overrides, rest };
}

/** The option named in a `node:util` parseArgs error (`'--confg'`, `'-x'`). */
function culprit(e: Error): string {
  const m = /'(?:-\w, )?(--?[^' ,<]+)/.exec(e.message);
  return m ? m[1] as string : e.message;
}

/** Parses `argv` strictly against `def`; throws UsageError naming the first unknown or bad item. */
export function parseCommand(def: CommandDef, argv: readonly string[]): { values: Prepared['values']; positionals: string[]; overrides: Map<string, string> } {
  const { overrides, rest } = splitOverrides(def, argv);
  const options = Object.fromEntries(allOptions(def).map((o) => [o.name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${culprit(e as Error)}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`option ${culprit(e as Error)}: ${(e as Error).message.includes('does not take') ? 'takes no value' : 'needs a value'}`);
    throw e;
  }
  const values = parsed.values as Prepared['values'];
  for (const o of def.options ?? []) {
    const v = values[o.name];
    if (o.values && typeof v === 'string' && !o.values.includes(v)) throw new UsageError(`--${o.name} must be one of ${o.values.join(', ')}; got ${JSON.stringify(v)}`);
    if (v === undefined && o.default !== undefined) values[o.name] = o.default;
  }
  const max = def.maxPositionals ?? 0;
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[max])}`);
  return { values, positionals: parsed.positionals, overrides };
}

/** Parses argv, answers --help/--version, loads configuration; prints any error and returns the exit code instead. */
export async function prepare(def: CommandDef, argv: readonly string[]): Promise<Prepared | { exit: number }> {
  const head = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (head.includes('--help') || head.includes('-h')) { process.stdout.write(helpText(def)); return { exit: 0 }; }
  if (head.includes('--version') || head.includes('-V')) { process.stdout.write(`${VERSION}\n`); return { exit: 0 }; }
  try {
    const { values, positionals, overrides } = parseCommand(def, argv);
    if (values.help === true) { process.stdout.write(helpText(def)); return { exit: 0 }; }
    if (values.version === true) { process.stdout.write(`${VERSION}\n`); return { exit: 0 }; }
    const cfg = values.config;
    if (typeof cfg === 'string') await loadYamlParser();
    const config = loadConfig(typeof cfg === 'string' ? cfg : undefined, overrides);
    return { values, positionals, config, overrides };
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${PROG} ${def.name}: ${e.message} (see '${PROG} ${def.name} --help')\n`);
      return { exit: 1 };
    }
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${PROG}: ${e.message}\n`);
    return { exit: 1 };
  }
}
