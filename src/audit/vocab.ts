/** Bounded label vocabularies: Kubernetes verbs, built-in resources and stages. */

/** Verbs kept as label values; anything else becomes `other`. */
export const VERBS: ReadonlySet<string> = new Set([
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection',
  'head', 'post', 'put', 'options', 'proxy', 'connect', 'impersonate', 'escalate', 'bind', 'approve', 'sign',
]);

/** Verbs that change state. */
export const WRITE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Audit stages kept as label values; anything else becomes `other`. */
export const STAGES: ReadonlySet<string> = new Set(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']);

/** Built-in resource names (and sensitive `resource/subresource` pairs) kept as label values. */
export const RESOURCES: ReadonlySet<string> = new Set([
  'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes',
  'persistentvolumeclaims', 'persistentvolumes', 'pods', 'podtemplates', 'replicationcontrollers', 'resourcequotas',
  'secrets', 'serviceaccounts', 'services', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations',
  'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'customresourcedefinitions', 'apiservices',
  'controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'tokenreviews',
  'localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews',
  'subjectaccessreviews', 'horizontalpodautoscalers', 'cronjobs', 'jobs', 'certificatesigningrequests',
  'clustertrustbundles', 'leases', 'endpointslices', 'flowschemas', 'prioritylevelconfigurations',
  'ingressclasses', 'ingresses', 'networkpolicies', 'runtimeclasses', 'poddisruptionbudgets',
  'clusterrolebindings', 'clusterroles', 'rolebindings', 'roles', 'priorityclasses', 'csidrivers', 'csinodes',
  'csistoragecapacities', 'storageclasses', 'volumeattachments', 'resourceclaims', 'resourceclaimtemplates',
  'deviceclasses', 'resourceslices', 'servicecidrs', 'ipaddresses',
  'pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'pods/log', 'pods/ephemeralcontainers',
  'pods/eviction', 'pods/binding', 'pods/status', 'services/proxy', 'nodes/proxy', 'serviceaccounts/token',
  'deployments/scale', 'statefulsets/scale', 'replicasets/scale', 'certificatesigningrequests/approval',
]);

/** Returns `v` when it is in `set`, else `other`. */
export function bounded(set: ReadonlySet<string>, v: string): string {
  return set.has(v) ? v : 'other';
}

/** The `code` label value: the numeric HTTP code, or `none` when absent or out of range. */
export function codeLabel(code: number | undefined): string {
  return code !== undefined && code >= 100 && code <= 599 ? String(code) : 'none';
}
