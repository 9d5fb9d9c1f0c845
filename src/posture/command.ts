/** `check` command: runs the inspector and the probe once (or until locked down with `--watch`) and prints the verdict. */
import { prepare, type CommandDef } from '../config/cli.js';
import type { Config } from '../config/types.js';
import { kubeDiscover } from './discover.js';
import { inspect, realInspectDeps, type InspectDeps } from './inspect.js';
import { overall, probeInstances } from './instances.js';
import { probeAll } from './probe.js';
import { toJson, toText, type CheckResult } from './render.js';
import { resolveTargets, type Discover } from './targets.js';
import { decide, decideInstances } from './verdict.js';
import { realWaker, watchCheck } from './watch.js';

/** The command line of `check`. */
export const CHECK: CommandDef = {
  name: 'check',
  options: [
    { name: 'format', type: 'string', values: ['text', 'json'], default: 'text', help: 'output format' },
    { name: 'watch', type: 'boolean', help: 're-probe every instance until all are locked down and ready' },
    { name: 'interval', type: 'string', metavar: 'SECONDS', default: '5', help: 'seconds between --watch rounds' },
  ],
  configKeys: ['apiserver.manifest', 'apiserver.procRoot', 'apiserver.hostRoot', 'apiserver.url', 'apiserver.urls', 'apiserver.discover', 'apiserver.caFile', 'rbac.kubeconfig', 'probe.enabled', 'probe.timeoutSeconds', 'probe.paths', 'log.level'],
  notes: [
    'Reads --anonymous-auth and --authentication-config from the static-pod manifest and the',
    'running kube-apiserver, and the anonymous section of the authentication config; then sends',
    'unauthenticated requests to every API server instance (apiserver.url, apiserver.urls, or the',
    'instances apiserver.discover finds in the default/kubernetes EndpointSlices) for each probe path.',
    'Exit codes: 0 locked down, 2 exposed, 1 unknown or error (2 when any instance is exposed).',
  ],
};

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

/** Entry point of `k8s-anon-exporter check`. */
export async function run(argv: string[]): Promise<number> {
  const p = await prepare(CHECK, argv);
  if ('exit' in p) return p.exit;
  const format = p.values.format;
  if (p.values.watch === true) {
    const interval = Number(p.values.interval);
    if (!Number.isFinite(interval) || interval < 0.1 || interval > 3600) {
      process.stderr.write('k8s-anon-exporter check: --interval must be a number of seconds between 0.1 and 3600\n');
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
