/** Declarative configuration schema: every key of SPEC §3 plus operational extras. */

/** The value kinds a configuration key can hold. */
export type KeyType = 'string' | 'optstring' | 'int' | 'number' | 'bool' | 'list' | 'cidrmap' | 'enum' | 'listen' | 'urls';

/** One configuration key: dotted name, kind, default and (for enums) allowed values. */
export interface KeySpec {
  key: string;
  type: KeyType;
  default: unknown;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** A `string` key that may be set to "" (e.g. `audit.path: ""` turns file tailing off). */
  allowEmpty?: boolean;
  help: string;
}

/** Every configuration key, in the order `--help` shows them. */
export const SCHEMA: readonly KeySpec[] = [
  { key: 'audit.path', type: 'string', default: '/var/log/kubernetes/audit/audit.log', allowEmpty: true, help: 'audit log file to follow ("" turns file tailing off)' },
  { key: 'audit.startAt', type: 'enum', values: ['end', 'beginning'], default: 'end', help: 'where to start without a checkpoint' },
  { key: 'audit.maxLineBytes', type: 'int', min: 1024, default: 16 * 1024 * 1024, help: 'longer lines are skipped and counted' },
  { key: 'audit.pollIntervalMs', type: 'int', min: 10, max: 60_000, default: 250, help: 'stat poll interval (the poll alone keeps p99 latency under 500 ms)' },
  { key: 'audit.watch', type: 'bool', default: false, help: 'also use chokidar directory events as hints (lower latency, more CPU)' },
  { key: 'state.dir', type: 'string', default: '/var/lib/k8s-anon-exporter', help: 'checkpoint directory' },
  { key: 'web.listen', type: 'listen', default: '127.0.0.1:19100', help: 'host:port for /metrics' },
  { key: 'web.config', type: 'optstring', default: undefined, help: 'TLS and basic auth file (Prometheus exporter-toolkit web config format)' },
  { key: 'sources.classes', type: 'cidrmap', default: {}, help: 'map of class name to CIDR list (YAML only)' },
  { key: 'sources.address', type: 'enum', values: ['last', 'first'], default: 'last', help: 'which sourceIPs entry is the source' },
  { key: 'sources.maxSeries', type: 'int', min: 0, max: 10_000, default: 50, help: 'distinct source addresses before "other"' },
  { key: 'sources.windowSeconds', type: 'int', min: 60, max: 7 * 86_400, default: 3600, help: 'per-source series go to the most active addresses in this window; idle ones are deleted' },
  { key: 'gaps.thresholdSeconds', type: 'number', min: 0.001, default: 30, help: 'a gap longer than this counts' },
  { key: 'rbac.enabled', type: 'enum', values: ['auto', 'true', 'false'], default: 'auto', help: 'watch RBAC bindings' },
  { key: 'rbac.kubeconfig', type: 'optstring', default: undefined, help: 'kubeconfig path (default: in-cluster, then $KUBECONFIG)' },
  {
    key: 'rbac.expected', type: 'list',
    default: ['ClusterRoleBinding/system:public-info-viewer', 'RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo'],
    help: 'bindings to anonymous identities that are expected',
  },
  { key: 'apiserver.manifest', type: 'string', default: '/etc/kubernetes/manifests/kube-apiserver.yaml', help: 'static-pod manifest' },
  { key: 'apiserver.procRoot', type: 'string', default: '/proc', help: 'proc filesystem root' },
  { key: 'apiserver.url', type: 'string', default: 'https://127.0.0.1:6443', help: 'API server URL for probes' },
  { key: 'apiserver.caFile', type: 'optstring', default: undefined, help: 'CA bundle to verify the API server (unset: no verification)' },
  { key: 'apiserver.urls', type: 'urls', default: [], help: 'API server instance URLs to probe; replaces apiserver.url for probes and check' },
  { key: 'apiserver.discover', type: 'bool', default: false, help: 'probe every instance listed in the default/kubernetes EndpointSlices (uses rbac.kubeconfig)' },
  { key: 'apiserver.metrics.enabled', type: 'bool', default: false, help: "read each instance's /metrics with the kubeconfig: 401 rate and request latency" },
  { key: 'apiserver.metrics.intervalSeconds', type: 'int', min: 1, default: 60, help: 'interval of the API server /metrics reader' },
  { key: 'apiserver.hostRoot', type: 'string', default: '/', help: 'host filesystem root for paths named by the manifest' },
  { key: 'inspect.intervalSeconds', type: 'int', min: 1, default: 60, help: 'anonymous-auth inspector interval' },
  { key: 'probe.enabled', type: 'bool', default: true, help: 'send unauthenticated probes to the API server' },
  { key: 'probe.intervalSeconds', type: 'int', min: 1, default: 60, help: 'probe interval' },
  { key: 'probe.timeoutSeconds', type: 'number', min: 0.1, max: 60, default: 5, help: 'per-probe timeout' },
  {
    key: 'probe.paths', type: 'list',
    default: ['/version', '/healthz', '/livez', '/readyz', '/api', '/api/v1/namespaces/default/pods?limit=1', '/api/v1/secrets?limit=1'],
    help: 'paths probed without credentials',
  },
  { key: 'canary.enabled', type: 'bool', default: false, help: 'send audit canary requests' },
  { key: 'canary.intervalSeconds', type: 'int', min: 1, default: 60, help: 'canary interval' },
  { key: 'canary.timeoutSeconds', type: 'int', min: 1, default: 30, help: 'canary not seen within this is missing' },
  { key: 'webhook.listen', type: 'optstring', default: undefined, help: 'host:port for the audit webhook input (unset: off)' },
  { key: 'webhook.path', type: 'string', default: '/audit/webhook', help: 'URL path the webhook input accepts POSTs on' },
  { key: 'webhook.tls.certFile', type: 'optstring', default: undefined, help: 'webhook server certificate (PEM)' },
  { key: 'webhook.tls.keyFile', type: 'optstring', default: undefined, help: 'webhook server private key (PEM)' },
  { key: 'webhook.tls.clientCAFile', type: 'optstring', default: undefined, help: 'CA bundle client certificates must chain to (set: client certificates required)' },
  { key: 'webhook.tokenFile', type: 'optstring', default: undefined, help: 'file holding the bearer token the API server must send' },
  { key: 'webhook.allowWithFile', type: 'bool', default: false, help: 'allow the webhook input beside file tailing (double-counts one API server)' },
  { key: 'webhook.maxBodyBytes', type: 'int', min: 1024, default: 32 * 1024 * 1024, help: 'larger request bodies get 413 and count nothing' },
  { key: 'webhook.maxPendingEvents', type: 'int', min: 1, default: 50_000, help: 'counted but not yet durable events before new batches get 429' },
  { key: 'webhook.digests', type: 'int', min: 1, max: 100_000, default: 1024, help: 'recent batch digests kept in the checkpoint to drop retried batches' },
  { key: 'lockdown.windowSeconds', type: 'int', min: 60, default: 3600, help: 'k8s_anon_lockdown_breaking_sources counts sources seen within this window' },
  { key: 'log.level', type: 'enum', values: ['debug', 'info', 'warn', 'error'], default: 'info', help: 'log level' },
];
