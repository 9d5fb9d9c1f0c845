/** What a lockdown breaks: the group of an anonymous request that succeeds today and would get 401 afterwards. */
import type { EndpointClass } from '../audit/classify.js';

/** The `group` label values of `k8s_anon_lockdown_breaking_sources`, in display order. */
export const GROUPS = ['health_probe', 'bootstrap', 'other_allowed'] as const;
/** One group. */
export type Group = (typeof GROUPS)[number];

/** Health paths go to `health_probe`; discovery and `cluster-info` to `bootstrap`; everything else to `other_allowed`. */
export function groupOf(endpointClass: EndpointClass): Group {
  if (endpointClass === 'health') return 'health_probe';
  if (endpointClass === 'discovery' || endpointClass === 'bootstrap') return 'bootstrap';
  return 'other_allowed';
}

/** True for an anonymous request a lockdown would turn into a 401: the caller is `system:anonymous` itself (not an impersonator) and it got 2xx or 101. */
export function wouldBreak(username: string | undefined, code: number | undefined): boolean {
  return username === 'system:anonymous' && code !== undefined && ((code >= 200 && code < 300) || code === 101);
}

/** Heading and fix of each group. */
export const GROUP_TEXT: Record<Group, { title: string; fix: string }> = {
  health_probe: {
    title: 'Load-balancer and monitoring health probes',
    fix: 'accept 401 as healthy, or authenticate the probe (or keep /livez, /readyz, /healthz open with AuthenticationConfiguration conditions)',
  },
  bootstrap: {
    title: 'Node join and bootstrap discovery',
    fix: 'kubeadm token discovery reads cluster-info without credentials: join with file discovery (kubeadm join --discovery-file) instead; discovery and OIDC readers need credentials or a copy of the documents',
  },
  other_allowed: {
    title: 'Other anonymous clients that currently succeed',
    fix: 'give the client credentials (a ServiceAccount token) or stop it; then remove the RBAC grant that lets it through',
  },
};

/** The KEP-4633 conditions the preview assumes for the AuthenticationConfiguration alternative. */
export const DEFAULT_CONDITIONS = ['/livez', '/readyz', '/healthz'];
