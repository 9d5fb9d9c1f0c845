/** API server instance discovery through the `default/kubernetes` EndpointSlices (get/list on endpointslices in `default`). */
import { DiscoveryV1Api } from '@kubernetes/client-node';
import type { Config } from '../config/types.js';
import { findKubeSource, loadKubeConfig } from '../rbac/kube.js';
import { sliceUrls, type Discover } from './targets.js';

/** The label kube-apiserver puts on the EndpointSlices of the `kubernetes` Service. */
export const SERVICE_SELECTOR = 'kubernetes.io/service-name=kubernetes';

/** A discover function using `rbac.kubeconfig` (else in-cluster, else `$KUBECONFIG`); undefined without credentials. */
export function kubeDiscover(config: Config): Discover | undefined {
  if (!config.apiserver.discover) return undefined;
  const source = findKubeSource(config.rbac.kubeconfig);
  if (!source) return undefined;
  return async () => {
    const api = loadKubeConfig(source).makeApiClient(DiscoveryV1Api);
    const list = await api.listNamespacedEndpointSlice({ namespace: 'default', labelSelector: SERVICE_SELECTOR });
    return sliceUrls(list.items as unknown[]);
  };
}
