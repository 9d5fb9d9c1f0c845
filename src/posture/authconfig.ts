/** Reading an `AuthenticationConfiguration` file and its KEP-4633 `anonymous` stanza. */
import { parse as parseYaml } from 'yaml';

/** The API versions that carry `anonymous` (v1alpha1 on 1.31, v1beta1 from 1.32, v1 from 1.34). */
export const AUTH_CONFIG_VERSIONS = ['apiserver.config.k8s.io/v1alpha1', 'apiserver.config.k8s.io/v1beta1', 'apiserver.config.k8s.io/v1'];

/** What the inspector needs from the file. */
export interface AuthConfigView {
  apiVersion: string;
  /** The `anonymous` stanza; undefined when the file has none (the flag default then applies). */
  anonymous?: { enabled: boolean; conditions: string[] };
  /** Problems that make kube-apiserver refuse the file. */
  problems: string[];
}

/** The file could not be understood at all. */
export class AuthConfigError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function conditionPaths(raw: unknown, problems: string[]): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push('anonymous.conditions must be a list');
    return [];
  }
  const out: string[] = [];
  for (const c of raw) {
    if (isObj(c) && typeof c.path === 'string' && c.path !== '') out.push(c.path);
    else problems.push('each anonymous.conditions entry needs a non-empty path');
  }
  return out;
}

/** Parses the file text; throws AuthConfigError on invalid YAML or a document of another kind. */
export function parseAuthConfig(text: string): AuthConfigView {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new AuthConfigError(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc) || doc.kind !== 'AuthenticationConfiguration') throw new AuthConfigError('not an AuthenticationConfiguration');
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  const problems: string[] = [];
  if (!AUTH_CONFIG_VERSIONS.includes(apiVersion)) problems.push(`apiVersion ${JSON.stringify(apiVersion)} does not support anonymous`);
  if (doc.anonymous === undefined || doc.anonymous === null) return { apiVersion, problems };
  if (!isObj(doc.anonymous) || typeof doc.anonymous.enabled !== 'boolean') {
    problems.push('anonymous.enabled must be true or false');
    return { apiVersion, problems };
  }
  const conditions = conditionPaths(doc.anonymous.conditions, problems);
  if (!doc.anonymous.enabled && conditions.length > 0) problems.push('anonymous.enabled is false but conditions are set (kube-apiserver refuses to start)');
  return { apiVersion, anonymous: { enabled: doc.anonymous.enabled, conditions }, problems };
}
