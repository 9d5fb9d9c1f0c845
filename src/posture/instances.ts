/** Probing several API server instances and deciding a verdict per instance and overall. */
import type { Config } from '../config/types.js';
import { probeAll } from './probe.js';
import type { Target } from './targets.js';
import type { ProbeResult, Verdict } from './types.js';
import { fromProbes } from './verdict.js';

/** What the probes learned about one instance. */
export interface InstanceResult {
  apiserver: string;
  url: string;
  probes: ProbeResult[];
  /** From the probes alone: `unknown` when no non-health path got an answer. */
  verdict: Verdict;
  /** Status of the unauthenticated `/readyz` probe; null when it got no answer or was not probed. */
  readyz: number | null;
}

/** Probes every target in parallel (each with every path). */
export async function probeInstances(targets: readonly Target[], apiserver: Config['apiserver'], probe: Config['probe'], onSend?: (auditID: string) => void): Promise<InstanceResult[]> {
  return Promise.all(targets.map(async (t) => instanceResult(t, await probeAll({ ...apiserver, url: t.url }, probe, onSend))));
}

/** Summarises one instance's probes. */
export function instanceResult(t: Target, probes: ProbeResult[]): InstanceResult {
  const readyz = probes.find((p) => p.path.split('?')[0] === '/readyz');
  return { apiserver: t.label, url: t.url, probes, verdict: fromProbes(probes)?.verdict ?? 'unknown', readyz: readyz?.statusCode ?? null };
}

/** The first non-health probe that got past authentication (2xx first, then 403 and others below 500). */
export function openProbe(r: InstanceResult): ProbeResult | undefined {
  const open = r.probes.filter((p) => !p.health && p.statusCode !== null && p.statusCode < 500 && p.statusCode !== 401);
  return open.find((p) => p.exposed) ?? open[0];
}

/** Overall verdict and reasons: exposed when any instance is, locked down when all are, unknown otherwise. */
export function overall(results: readonly InstanceResult[]): { verdict: Verdict; reasons: string[] } {
  const n = results.length;
  const exposed = results.filter((r) => r.verdict === 'exposed');
  if (exposed.length > 0) {
    const named = exposed.map((r) => { const p = openProbe(r); return `${r.apiserver} answers ${p?.statusCode ?? '?'} to ${p?.path ?? '?'}`; });
    return { verdict: 'exposed', reasons: [`exposed on ${exposed.length} of ${n} instances: ${named.join('; ')}`] };
  }
  const unknown = results.filter((r) => r.verdict === 'unknown');
  if (unknown.length > 0) {
    const named = unknown.map((r) => `${r.apiserver} (${r.probes.find((p) => p.error)?.error ?? 'no non-health probe answered'})`);
    return { verdict: 'unknown', reasons: [`no answer from ${unknown.length} of ${n} instances: ${named.join('; ')}`] };
  }
  return { verdict: 'locked_down', reasons: [`locked down on ${n} of ${n} instances: every non-health path answered 401`] };
}
