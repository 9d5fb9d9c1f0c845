/** Shared command-line handling: `--help` text and config loading with one error message. */
import { SCHEMA } from './schema.js';
import { ConfigError, loadConfig, parseArgv, type ParsedArgs } from './load.js';
import type { Config } from './types.js';

/** Renders help for a command: its usage line, its own options and every config flag. */
export function helpText(usageLine: string, options: string[], keys: readonly string[] = SCHEMA.map((s) => s.key)): string {
  const cfg = SCHEMA.filter((s) => keys.includes(s.key))
    .map((s) => `  --${s.key}=<${s.type}>`.padEnd(34) + `${s.help} (default: ${JSON.stringify(s.default) ?? 'unset'})`);
  return `Usage: ${usageLine}\n\nOptions:\n${[...options, '  --config=FILE                   YAML configuration file', '  --help                          this text'].join('\n')}\n\nConfiguration (YAML keys, also flags):\n${cfg.join('\n')}\n`;
}

/** Outcome of argument handling: either a config to run with, or an exit code to return now. */
export type Prepared = { args: ParsedArgs; config: Config } | { exit: number };

/** Parses argv, prints help or configuration errors, and loads the configuration. */
export function prepare(argv: string[], help: string, valueOptions: string[] = ['config', 'format']): Prepared {
  const args = parseArgv(argv, valueOptions);
  if (args.options.has('help') || args.options.has('h')) {
    process.stdout.write(help);
    return { exit: 0 };
  }
  const cfgOpt = args.options.get('config');
  try {
    return { args, config: loadConfig(typeof cfgOpt === 'string' ? cfgOpt : undefined, args.overrides) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`k8s-anon-exporter: ${e.message}\n`);
    return { exit: 1 };
  }
}
