/** Classifying probe and condition paths. */

/** True for SPEC §4 health paths: `/healthz`, `/livez`, `/readyz` (and sub-paths), `/version`, `/version/`; the query is ignored. */
export function isHealthPath(pathWithQuery: string): boolean {
  const p = pathWithQuery.split('?')[0] ?? '';
  if (p === '/version' || p === '/version/') return true;
  return /^\/(healthz|livez|readyz)(\/.*)?$/.test(p);
}

/** True for the paths load balancers and kubelet probes check: `/healthz`, `/livez`, `/readyz` (and sub-paths). */
export function isProbeTarget(pathWithQuery: string): boolean {
  return /^\/(healthz|livez|readyz)(\/[^?]*)?(\?.*)?$/.test(pathWithQuery);
}
