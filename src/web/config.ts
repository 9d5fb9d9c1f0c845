/** Reads a `web.config` file in the Prometheus exporter-toolkit format (TLS and basic auth). */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

/** How the server treats client certificates (exporter-toolkit names). */
export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert';

const CLIENT_AUTH: readonly ClientAuthType[] = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'];
const VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/** TLS settings with file paths resolved against the web config's directory. */
export interface TlsSettings {
  certFile: string;
  keyFile: string;
  clientCAFile: string | undefined;
  clientAuthType: ClientAuthType;
  minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** A parsed web config: TLS (absent means plain HTTP) and bcrypt hashes by user name. */
export interface WebConfig { tls: TlsSettings | undefined; users: Map<string, string> }

/** No TLS, no authentication: what an unset `web.config` means. */
export const PLAIN: WebConfig = { tls: undefined, users: new Map() };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, where: string, errors: string[]): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') { errors.push(`${where}.${key}: must be a string`); return undefined; }
  return v;
}

function unknownKeys(o: Obj, known: readonly string[], where: string, errors: string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) errors.push(`${where}: unknown key ${JSON.stringify(k)}`);
}

function parseTls(raw: unknown, base: string, errors: string[]): TlsSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObj(raw)) { errors.push('tls_server_config: must be a mapping'); return undefined; }
  unknownKeys(raw, ['cert_file', 'key_file', 'client_ca_file', 'client_auth_type', 'min_version', 'max_version', 'cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites'], 'tls_server_config', errors);
  const w = 'tls_server_config';
  const certFile = str(raw, 'cert_file', w, errors);
  const keyFile = str(raw, 'key_file', w, errors);
  const ca = str(raw, 'client_ca_file', w, errors);
  const auth = str(raw, 'client_auth_type', w, errors) ?? (ca ? 'RequireAndVerifyClientCert' : 'NoClientCert');
  const min = str(raw, 'min_version', w, errors) ?? 'TLS12';
  if (!certFile || !keyFile) errors.push(`${w}: cert_file and key_file are both required`);
  if (!CLIENT_AUTH.includes(auth as ClientAuthType)) errors.push(`${w}.client_auth_type: one of ${CLIENT_AUTH.join(', ')}`);
  if (!(min in VERSIONS)) errors.push(`${w}.min_version: one of ${Object.keys(VERSIONS).join(', ')}`);
  if (/Verify/.test(auth) && !ca) errors.push(`${w}.client_ca_file: required with client_auth_type ${auth}`);
  if (!certFile || !keyFile) return undefined;
  return {
    certFile: resolve(base, certFile), keyFile: resolve(base, keyFile), clientCAFile: ca ? resolve(base, ca) : undefined,
    clientAuthType: auth as ClientAuthType, minVersion: VERSIONS[min as keyof typeof VERSIONS] ?? 'TLSv1.2',
  };
}

function parseUsers(raw: unknown, errors: string[]): Map<string, string> {
  const users = new Map<string, string>();
  if (raw === undefined || raw === null) return users;
  if (!isObj(raw)) { errors.push('basic_auth_users: must be a mapping of user to bcrypt hash'); return users; }
  for (const [user, hash] of Object.entries(raw)) {
    if (typeof hash !== 'string' || !/^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) errors.push(`basic_auth_users.${user}: not a bcrypt hash`);
    else users.set(user, hash);
  }
  return users;
}

/** Parses web config text; `base` is the directory relative file names are resolved against. */
export function parseWebConfig(text: string, base: string): WebConfig {
  const errors: string[] = [];
  let doc: unknown;
  try { doc = parse(text) ?? {}; } catch (e) { throw new Error(`web.config: ${(e as Error).message}`); }
  if (!isObj(doc)) throw new Error('web.config: must be a mapping');
  unknownKeys(doc, ['tls_server_config', 'basic_auth_users', 'http_server_config'], 'web.config', errors);
  const cfg: WebConfig = { tls: parseTls(doc.tls_server_config, base, errors), users: parseUsers(doc.basic_auth_users, errors) };
  if (errors.length > 0) throw new Error(`web.config: ${errors.join('; ')}`);
  return cfg;
}

/** Reads and parses the web config file at `path` (unset: plain HTTP without auth). */
export function loadWebConfig(path: string | undefined): WebConfig {
  if (path === undefined) return PLAIN;
  return parseWebConfig(readFileSync(path, 'utf8'), dirname(resolve(path)));
}
