/** The lockdown probe: unauthenticated requests to the API server for configured paths. */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/types.js';
import { isHealthPath } from './paths.js';
import { unauthenticatedGet } from './request.js';
import type { ProbeResult } from './types.js';

/** Marker prefix of probe requests' `Audit-ID`, so they are recognisable in the audit log. */
export const PROBE_MARKER_PREFIX = 'k8s-anon-exporter-probe-';

/** Classifies one response: `exposed` is an unauthenticated 2xx on a non-health path. */
export function probeResult(path: string, outcome: { status: number } | { error: string }): ProbeResult {
  const health = isHealthPath(path);
  if ('error' in outcome) return { path, statusCode: null, exposed: false, health, error: outcome.error };
  const ok = outcome.status >= 200 && outcome.status < 300;
  return { path, statusCode: outcome.status, exposed: ok && !health, health };
}

/** Probes every configured path once, in parallel; failures are results, never exceptions. */
export async function probeAll(apiserver: Config['apiserver'], probe: Config['probe'], onSend?: (auditID: string) => void): Promise<ProbeResult[]> {
  let ca: Buffer | undefined;
  if (apiserver.caFile !== undefined) {
    try { ca = readFileSync(apiserver.caFile); } catch (e) {
      const error = `apiserver.caFile ${apiserver.caFile}: ${(e as Error).message}`;
      return probe.paths.map((path) => probeResult(path, { error }));
    }
  }
  const run = randomBytes(8).toString('hex');
  return Promise.all(probe.paths.map(async (path, i) => {
    const auditID = `${PROBE_MARKER_PREFIX}${run}-${i}`;
    onSend?.(auditID);
    return probeResult(path, await unauthenticatedGet({
    baseUrl: apiserver.url,
    path,
    timeoutMs: probe.timeoutSeconds * 1000,
    ...(ca ? { ca } : {}),
    headers: { 'audit-id': auditID },
    }));
  }));
}
