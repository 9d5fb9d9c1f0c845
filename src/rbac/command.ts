/** `rbac` command: one-shot list of bindings that grant anything to anonymous identities. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { prepare, type CommandDef } from '../config/cli.js';
import { parseExpected } from './defaults.js';
import { toJson, toText } from './format.js';
import { describeFailures, findKubeSource, listers, loadKubeConfig } from './kube.js';
import { RbacIndex, RESOURCES, type RbacSummary, type Resource } from './state.js';

/** The command line of `rbac`. */
export const RBAC: CommandDef = {
  name: 'rbac',
  options: [{ name: 'format', type: 'string', values: ['text', 'json'], default: 'text', help: 'output format' }],
  configKeys: ['rbac.kubeconfig', 'rbac.expected'],
  notes: [
  'Lists RoleBindings and ClusterRoleBindings whose subjects include User system:anonymous, Group',
  'system:unauthenticated or Group system:anonymous, with the capabilities they grant, and prints the',
  'kubectl delete command for each unexpected one (it never deletes anything).',
  'Exit codes: 0 no unexpected binding, 2 unexpected binding found, 1 error.',
  ],
};

/** Lists the four resources once and derives the summary; throws an Error with one clear line on failure. */
export async function fetchSummary(kubeconfig: string | undefined, expected: string[]): Promise<RbacSummary> {
  // Like kubectl, the interactive command falls back to ~/.kube/config (the daemon does not: it uses explicit credentials only).
  const source = findKubeSource(kubeconfig, process.env, existsSync, homedir());
  if (!source) throw new Error('no kubeconfig: set --rbac.kubeconfig, run in-cluster, set $KUBECONFIG, or create ~/.kube/config');
  const kc = loadKubeConfig(source);
  const lists = listers(kc);
  const results = await Promise.allSettled(RESOURCES.map((r) => lists[r]()));
  const failures: { resource: Resource; err: unknown }[] = [];
  const index = new RbacIndex(parseExpected(expected).keys);
  results.forEach((res, i) => {
    const resource = RESOURCES[i] as Resource;
    if (res.status === 'rejected') failures.push({ resource, err: res.reason });
    else index.replace(resource, res.value.items);
  });
  if (failures.length > 0) throw new Error(describeFailures(failures, kc.getCurrentCluster()?.server ?? ''));
  return index.summary();
}

/** Runs `rbac`; resolves to 0, 2 (unexpected binding) or 1 (error). */
export async function run(argv: string[]): Promise<number> {
  const p = await prepare(RBAC, argv);
  if ('exit' in p) return p.exit;
  const format = p.values.format;
  let summary: RbacSummary;
  try {
    summary = await fetchSummary(p.config.rbac.kubeconfig, p.config.rbac.expected);
  } catch (e) {
    process.stderr.write(`k8s-anon-exporter rbac: ${(e as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(toJson(summary), null, 2)}\n` : toText(summary));
  return summary.unexpectedCount > 0 ? 2 : 0;
}
