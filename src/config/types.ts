/** The typed configuration object built from the schema. */

/** Fully resolved configuration. */
export interface Config {
  audit: { path: string; startAt: 'end' | 'beginning'; maxLineBytes: number; pollIntervalMs: number; watch: boolean };
  state: { dir: string };
  web: { listen: string; config: string | undefined };
  sources: { classes: Record<string, string[]>; address: 'last' | 'first'; maxSeries: number };
  gaps: { thresholdSeconds: number };
  rbac: { enabled: 'auto' | 'true' | 'false'; kubeconfig: string | undefined; expected: string[] };
  apiserver: { manifest: string; procRoot: string; url: string; caFile: string | undefined; hostRoot: string };
  inspect: { intervalSeconds: number };
  probe: { enabled: boolean; intervalSeconds: number; timeoutSeconds: number; paths: string[] };
  canary: { enabled: boolean; intervalSeconds: number; timeoutSeconds: number };
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
}
