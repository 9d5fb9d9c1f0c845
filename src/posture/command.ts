/** `check` command: runs the inspector and the probe once (or until locked down with `--watch`) and prints the verdict. */
import { helpText, prepare } from '../config/cli.js';
import type { Config } from '../config/types.js';
import { kubeDiscover } from './discover.js';
import { inspect, realInspectDeps, type InspectDeps } from './inspect.js';
import { overall, probeInstances } from './instances.js';
import { probeAll } from './probe.js';
import { toJson, toText, type CheckResult } from './render.js';
import { resolveTargets, type Discover } from './targets.js';
import { decide, decideInstances } from './verdict.js';
import { realWaker, watchCheck } from './watch.js';

const HELP = helpText('k8s-anon-exporter check [--format text|json] [--watch [--interval=SECONDS]] [options]', [
  '  --format=text|json              output format (default: text)',
  '  --watch                         re-probe every instance until all are locked down and ready',
  '  --interval=SECONDS              seconds between --watch rounds (default: 5)',
  '',
  'Reads --anonymous-auth and --authentication-config from the static-pod manifest and the',
  'running kube-apiserver, and the anonymous section of the authentication config; then sends',
  'unauthenticated requests to every API server instance (apiserver.url, apiserver.urls, or the',
  'instances apiserver.discover finds in the default/kubernetes EndpointSlices) for each probe path.',
  'Exit codes: 0 locked down, 2 exposed, 1 unknown or error (2 when any instance is exposed).',
], ['apiserver.manifest', 'apiserver.procRoot', 'apiserver.hostRoot', 'apiserver.url', 'apiserver.urls', 'apiserver.discover', 'apiserver.caFile', 'rbac.kubeconfig', 'probe.enabled', 'probe.timeoutSeconds', 'probe.paths', 'log.level']);

const EXIT = { locked_down: 0, exposed: 2, unknown: 1 } as const;

/** Test seams of `check`. */
export interface CheckDeps {
  inspect?: InspectDeps;
  discover?: Discover;
}

/** Runs the inspector and (when enabled) the probe of every instance once and decides the verdict; an error when the instances cannot be determined. */
export async function runCheck(config: Config, deps: CheckDeps = {}): Promise<CheckResult | { error: string }> {
  const inspection = inspect(config.apiserver, deps.inspect ?? realInspectDeps);
  if (!config.probe.enabled) return { url: config.apiserver.url, inspection, probes: undefined, decision: decide(inspection, undefined) };
  const t = await resolveTargets(config.apiserver, deps.discover ?? kubeDiscover(config));
  if (!t.ok) return { error: t.error };
  const [single] = t.targets;
  if (t.targets.length === 1 && single && !t.discovered) {
    const probes = await probeAll({ ...config.apiserver, url: single.url }, config.probe);
    return { url: single.url, inspection, probes, decision: decide(inspection, probes) };
  }
  const instances = await probeInstances(t.targets, config.apiserver, config.probe);
  const probes = instances.flatMap((x) => x.probes.map((p) => ({ ...p, apiserver: x.apiserver })));
  return { url: t.targets.map((x) => x.url).join(' '), inspection, probes, instances, decision: decideInstances(inspection, instances, overall(instances)) };
}

function option(p: { args: { options: Map<string, string | true> } }, name: string): string | true | undefined {
  return p.args.options.get(name);
}

/** Entry point of `k8s-anon-exporter check`. */
export async function run(argv: string[]): Promise<number> {
  const p = prepare(argv, HELP, ['config', 'format', 'interval']);
  if ('exit' in p) return p.exit;
  const format = option(p, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`k8s-anon-exporter: --format must be text or json, got ${JSON.stringify(format)}\n`);
    return 1;
  }
  if (p.args.positionals.length > 0) {
    process.stderr.write('k8s-anon-exporter: check takes no arguments\n');
    return 1;
  }
  if (option(p, 'watch') !== undefined) {
    const interval = Number(option(p, 'interval') ?? 5);
    if (!Number.isFinite(interval) || interval < 0.1 || interval > 3600) {
      process.stderr.write('k8s-anon-exporter: --interval must be a number of seconds between 0.1 and 3600\n');
      return 1;
    }
    return watchCheck(p.config, { waker: realWaker, intervalMs: interval * 1000, write: (s) => process.stdout.write(s), now: () => Date.now() });
  }
  const result = await runCheck(p.config);
  if ('error' in result) {
    process.stderr.write(`k8s-anon-exporter: ${result.error}\n`);
    return 1;
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(toJson(result), null, 2)}\n` : toText(result));
  return EXIT[result.decision.verdict];
}
