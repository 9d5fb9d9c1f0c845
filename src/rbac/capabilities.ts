/** Pure derivation of SPEC §5 capabilities from RBAC policy rules. */
import { CAPABILITIES, type Capability, type Rule } from './types.js';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const SELF_REVIEWS = ['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews'];
const IMPERSONATE_RESOURCES = ['users', 'groups', 'serviceaccounts', 'uids', 'userextras'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const HEALTH_EXACT = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const HEALTH_PREFIX = ['/healthz/', '/livez/', '/readyz/'];

const has = (list: string[] | undefined, v: string): boolean => (list ?? []).includes(v);
const anyVerb = (rule: Rule, verbs: string[]): boolean => has(rule.verbs, '*') || verbs.some((v) => has(rule.verbs, v));

/** True when `rule` matches `resource` (`res` or `res/sub`) the way the API server's RBAC authorizer does. */
export function resourceMatches(rule: Rule, resource: string): boolean {
  const sub = resource.includes('/') ? resource.slice(resource.indexOf('/') + 1) : '';
  return (rule.resources ?? []).some((r) => r === '*' || r === resource || (sub !== '' && r === `*/${sub}`));
}

/** True when `rule` applies to API group `group` (`''` is the core group). */
export function groupMatches(rule: Rule, group: string): boolean {
  return has(rule.apiGroups, '*') || has(rule.apiGroups, group);
}

/** True when some rule grants one of `verbs` on `resource` in `group` (for at least some object names). */
export function grants(rules: readonly Rule[], group: string, resource: string, verbs: string[]): boolean {
  return rules.some((r) => groupMatches(r, group) && resourceMatches(r, resource) && anyVerb(r, verbs));
}

/** True when a non-resource URL pattern reaches beyond health and version endpoints. */
export function isOtherNonResourceURL(url: string): boolean {
  if (HEALTH_EXACT.includes(url)) return false;
  return !HEALTH_PREFIX.some((p) => url.startsWith(p) && url.length > p.length);
}

function writes(rule: Rule): boolean {
  const resources = (rule.resources ?? []).filter((r) => !SELF_REVIEWS.includes(r));
  return resources.length > 0 && anyVerb(rule, WRITE_VERBS);
}

function rbacEscalates(rule: Rule): boolean {
  return groupMatches(rule, RBAC_GROUP) && (rule.resources ?? []).length > 0 && anyVerb(rule, ['escalate', 'bind', ...WRITE_VERBS]);
}

function impersonates(rule: Rule): boolean {
  const res = rule.resources ?? [];
  const target = res.includes('*') || res.some((r) => IMPERSONATE_RESOURCES.includes(r.split('/')[0] as string));
  return target && anyVerb(rule, ['impersonate']);
}

function wildcard(rule: Rule): boolean {
  return has(rule.verbs, '*') || has(rule.apiGroups, '*') || has(rule.resources, '*') || has(rule.nonResourceURLs, '*');
}

const CHECKS: Record<Capability, (rules: readonly Rule[]) => boolean> = {
  read_secrets: (rs) => grants(rs, '', 'secrets', ['get', 'list', 'watch']),
  read_configmaps: (rs) => grants(rs, '', 'configmaps', ['get', 'list', 'watch']),
  list_pods: (rs) => grants(rs, '', 'pods', ['list', 'watch']),
  exec: (rs) => grants(rs, '', 'pods/exec', ['create', 'get']) || grants(rs, '', 'pods/attach', ['create', 'get']),
  write: (rs) => rs.some(writes),
  rbac_escalate: (rs) => rs.some(rbacEscalates),
  impersonate: (rs) => rs.some(impersonates),
  wildcard: (rs) => rs.some(wildcard),
  nonresource_other: (rs) => rs.some((r) => (r.verbs ?? []).length > 0 && (r.nonResourceURLs ?? []).some(isOtherNonResourceURL)),
};

/** Returns the capabilities `rules` grant, in SPEC order; rules without verbs grant nothing. */
export function capabilitiesOf(rules: readonly Rule[]): Capability[] {
  const effective = rules.filter((r) => (r.verbs ?? []).length > 0);
  return CAPABILITIES.filter((c) => CHECKS[c](effective));
}
