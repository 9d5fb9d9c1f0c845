/** Kubernetes access: kubeconfig resolution, list calls for the four RBAC resources, error wording. */
import { KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { Resource } from './state.js';

import type { KubeSource } from './source.js';

/** Where credentials come from: a kubeconfig file or the in-cluster service account. */
export { findKubeSource, type KubeSource } from './source.js';

/** Loads a KubeConfig from a source; throws with a readable message when the file is unusable. */
export function loadKubeConfig(src: KubeSource): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (src.kind === 'in-cluster') kc.loadFromCluster();
    else kc.loadFromFile(src.path);
  } catch (e) {
    throw new Error(`cannot load kubeconfig ${src.kind === 'file' ? src.path : '(in-cluster)'}: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
  }
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig ${src.kind === 'file' ? src.path : 'in-cluster'} has no current cluster`);
  return kc;
}

/** A list result as the informers consume it. */
export interface ListResult { metadata?: { resourceVersion?: string }; items: object[] }

/** Returns list functions for the four resources (all namespaces). */
export function listers(kc: KubeConfig): Record<Resource, () => Promise<ListResult>> {
  const api = kc.makeApiClient(RbacAuthorizationV1Api);
  return {
    clusterrolebindings: async () => api.listClusterRoleBinding() as Promise<ListResult>,
    rolebindings: async () => api.listRoleBindingForAllNamespaces() as Promise<ListResult>,
    clusterroles: async () => api.listClusterRole() as Promise<ListResult>,
    roles: async () => api.listRoleForAllNamespaces() as Promise<ListResult>,
  };
}

/** API path of a resource, as the informers watch it. */
export function resourcePath(resource: Resource): string {
  return `/apis/rbac.authorization.k8s.io/v1/${resource}`;
}

/** The HTTP status of a list (ApiException.code) or watch (Error.statusCode) failure, if any. */
export function httpStatus(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

function networkCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: unknown } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return String(e?.message ?? err).split('\n')[0] ?? 'unknown error';
}

/** Describes failures of several resources in one line, naming missing permissions for 403s. */
export function describeFailures(failures: ReadonlyArray<{ resource: Resource; err: unknown }>, server: string): string {
  const forbidden = failures.filter((f) => httpStatus(f.err) === 403);
  if (forbidden.length > 0) {
    const perms = forbidden.map((f) => `${typeof (f.err as { statusCode?: unknown }).statusCode === 'number' ? 'watch' : 'list'} ${f.resource}.rbac.authorization.k8s.io`);
    return `forbidden: missing permission ${perms.join(', ')} (grant get/list/watch on roles, rolebindings, clusterroles, clusterrolebindings; see deploy/rbac.yaml)`;
  }
  const first = failures[0];
  if (!first) return 'no failure';
  const status = httpStatus(first.err);
  if (status === 401) return `unauthorized: the API server at ${server} rejected the credentials (HTTP 401)`;
  if (status !== undefined) return `the API server at ${server} answered HTTP ${status} to ${failures.map((f) => f.resource).join(', ')}`;
  const code = networkCode(first.err);
  if (['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE'].includes(code)) return `connection to the API server at ${server} dropped: ${code}`;
  return `API server unreachable at ${server}: ${code}`;
}
