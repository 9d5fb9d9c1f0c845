/** Endpoint classification of audit events (SPEC §4), first match wins. */
import { WRITE_VERBS } from './vocab.js';

/** The endpoint classes, in precedence order. */
export const ENDPOINT_CLASSES = ['health', 'discovery', 'bootstrap', 'sensitive', 'resource', 'other'] as const;
/** One endpoint class. */
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

/** The parts of an event's objectRef that classification needs. */
export interface ObjectRefLite {
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
}

const SELF_REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);
const SENSITIVE_RESOURCES = new Set(['secrets', 'configmaps', 'tokenreviews', 'certificatesigningrequests']);
const SENSITIVE_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'log', 'ephemeralcontainers']);
const HEALTH = /^\/(?:healthz|livez|readyz)(?:\/.*)?$|^\/version\/?$/;
const DISCOVERY = /^\/(?:api(?:\/[^/]+)?|apis(?:\/[^/]+(?:\/[^/]+)?)?|openapi\/v2|openapi\/v3(?:\/.*)?|\.well-known\/openid-configuration|openid\/v1\/jwks)\/?$/;
const SENSITIVE_PATH = /^\/(?:metrics(?:\/.*)?|logs(?:\/.*)?|debug\/.*)$/;

/** Returns the request path of a requestURI: query and fragment removed. */
export function pathOf(requestURI: string): string {
  const q = requestURI.search(/[?#]/);
  return q < 0 ? requestURI : requestURI.slice(0, q);
}

function resourceSensitive(verb: string, ref: ObjectRefLite): boolean {
  const res = ref.resource ?? '';
  if (WRITE_VERBS.has(verb) && !SELF_REVIEWS.has(res)) return true;
  if (SENSITIVE_RESOURCES.has(res)) return true;
  if (res === 'serviceaccounts' && ref.subresource === 'token') return true;
  if (ref.apiGroup === 'rbac.authorization.k8s.io') return true;
  return ref.subresource !== undefined && SENSITIVE_SUBRESOURCES.has(ref.subresource);
}

/** Classifies one request by path, verb and objectRef (undefined for non-resource requests). */
export function classify(requestURI: string, verb: string, ref: ObjectRefLite | undefined): EndpointClass {
  if (ref === undefined) {
    const path = pathOf(requestURI);
    if (HEALTH.test(path)) return 'health';
    if (DISCOVERY.test(path)) return 'discovery';
    if (WRITE_VERBS.has(verb) || SENSITIVE_PATH.test(path)) return 'sensitive';
    return 'other';
  }
  if (verb === 'get' && ref.resource === 'configmaps' && ref.namespace === 'kube-public' && ref.name === 'cluster-info'
    && (ref.subresource === undefined || ref.subresource === '')) return 'bootstrap';
  return resourceSensitive(verb, ref) ? 'sensitive' : 'resource';
}
