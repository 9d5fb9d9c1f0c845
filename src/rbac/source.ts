/** Where RBAC credentials come from, decided without loading the Kubernetes client. */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A kubeconfig file, or the in-cluster service account. */
export type KubeSource = { kind: 'file'; path: string } | { kind: 'in-cluster' };

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Resolves `rbac.kubeconfig`, else in-cluster, else `$KUBECONFIG`, else (only when `home` is
 * given, as the interactive `rbac` command does) `home/.kube/config`; undefined when none is available.
 */
export function findKubeSource(
  kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync, home?: string,
): KubeSource | undefined {
  if (kubeconfig) return { kind: 'file', path: kubeconfig };
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && exists(SA_TOKEN)) return { kind: 'in-cluster' };
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p !== '');
  if (first && exists(first)) return { kind: 'file', path: first };
  const own = home ? join(home, '.kube', 'config') : undefined;
  return own && exists(own) ? { kind: 'file', path: own } : undefined;
}

