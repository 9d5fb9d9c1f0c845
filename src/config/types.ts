/** The typed configuration object built from the schema. */

/** Fully resolved configuration. */
export interface Config {
  audit: { path: string; startAt: 'end' | 'beginning'; maxLineBytes: number; pollIntervalMs: number; watch: boolean };
  state: { dir: string };
  web: { listen: string; config: string | undefined };
  sources: { classes: Record<string, string[]>; address: 'last' | 'first'; maxSeries: number; windowSeconds: number };
  gaps: { thresholdSeconds: number };
  rbac: { enabled: 'auto' | 'true' | 'false'; kubeconfig: string | undefined; expected: string[] };
  apiserver: {
    manifest: string; procRoot: string; url: string; caFile: string | undefined; hostRoot: string;
    urls: string[]; discover: boolean; metrics: { enabled: boolean; intervalSeconds: number };
  };
  inspect: { intervalSeconds: number };
  probe: { enabled: boolean; intervalSeconds: number; timeoutSeconds: number; paths: string[] };
  canary: { enabled: boolean; intervalSeconds: number; timeoutSeconds: number };
  webhook: {
    listen: string | undefined; path: string; tokenFile: string | undefined; allowWithFile: boolean;
    tls: { certFile: string | undefined; keyFile: string | undefined; clientCAFile: string | undefined };
    maxBodyBytes: number; maxPendingEvents: number; digests: number;
  };
  lockdown: { windowSeconds: number };
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
}
