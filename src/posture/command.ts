/** `check` command: runs the inspector and the probe once and prints the verdict. */
import { prepare, type CommandDef } from '../config/cli.js';
import type { Config } from '../config/types.js';
import { inspect, realInspectDeps, type InspectDeps } from './inspect.js';
import { probeAll } from './probe.js';
import { toJson, toText, type CheckResult } from './render.js';
import { decide } from './verdict.js';

/** The command line of `check`. */
export const CHECK: CommandDef = {
  name: 'check',
  options: [{ name: 'format', type: 'string', values: ['text', 'json'], default: 'text', help: 'output format' }],
  configKeys: ['apiserver.manifest', 'apiserver.procRoot', 'apiserver.hostRoot', 'apiserver.url', 'apiserver.caFile', 'probe.enabled', 'probe.timeoutSeconds', 'probe.paths', 'log.level'],
  notes: [
  'Reads --anonymous-auth and --authentication-config from the static-pod manifest and the',
  'running kube-apiserver, and the anonymous section of the authentication config; then sends',
  'unauthenticated requests to apiserver.url for each probe path.',
  'Exit codes: 0 locked down, 2 exposed, 1 unknown or error.',
  ],
};

const EXIT = { locked_down: 0, exposed: 2, unknown: 1 } as const;

/** Runs the inspector and (when enabled) the probe once and decides the verdict. */
export async function runCheck(config: Config, deps: InspectDeps = realInspectDeps): Promise<CheckResult> {
  const inspection = inspect(config.apiserver, deps);
  const probes = config.probe.enabled ? await probeAll(config.apiserver, config.probe) : undefined;
  return { url: config.apiserver.url, inspection, probes, decision: decide(inspection, probes) };
}

/** Entry point of `k8s-anon-exporter check`. */
export async function run(argv: string[]): Promise<number> {
  const p = prepare(CHECK, argv);
  if ('exit' in p) return p.exit;
  const format = p.values.format;
  const result = await runCheck(p.config);
  process.stdout.write(format === 'json' ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(result));
  return EXIT[result.decision.verdict];
}
