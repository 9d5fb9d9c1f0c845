/** API server instance discovery through the `default/kubernetes` EndpointSlices (get/list on endpointslices in `default`). */
import type { Config } from '../config/types.js';
import { findKubeSource } from '../rbac/source.js';
import { sliceUrls, type Discover } from './targets.js';

/** The label kube-apiserver puts on the EndpointSlices of the `kubernetes` Service. */
export const SERVICE_SELECTOR = 'kubernetes.io/service-name=kubernetes';

/** A discover function using `rbac.kubeconfig` (else in-cluster, else `$KUBECONFIG`); undefined without credentials. The Kubernetes client loads on the first call. */
export function kubeDiscover(config: Config): Discover | undefined {
  if (!config.apiserver.discover) return undefined;
  const source = findKubeSource(config.rbac.kubeconfig);
  if (!source) return undefined;
  return async () => {
    const [{ DiscoveryV1Api }, { loadKubeConfig }] = await Promise.all([import('@kubernetes/client-node'), import('../rbac/kube.js')]);
    const api = loadKubeConfig(source).makeApiClient(DiscoveryV1Api);
    const list = await api.listNamespacedEndpointSlice({ namespace: 'default', labelSelector: SERVICE_SELECTOR });
    return sliceUrls(list.items as unknown[]);
  };
}
