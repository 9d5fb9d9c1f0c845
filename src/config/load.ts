/** Loading configuration: defaults, then the YAML file, then dotted flags; all errors at once. */
import { readFileSync } from 'node:fs';
import { parseYaml } from './yaml.js';
import { SCHEMA, type KeySpec } from './schema.js';
import { coerce } from './coerce.js';
import type { Config } from './types.js';
import { webhookProblems } from '../webhook/config.js';

/** Raised when configuration is invalid; `problems` names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

function getPath(obj: unknown, key: string): unknown {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1] as string] = value;
}

function unknownKeys(file: unknown, prefix = ''): string[] {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(file)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const spec = SCHEMA.find((s) => s.key === key);
    if (spec) continue;
    if (SCHEMA.some((s) => s.key.startsWith(`${key}.`))) out.push(...unknownKeys(v, key));
    else out.push(`${key}: unknown key`);
  }
  return out;
}

function readFile(path: string, problems: string[]): unknown {
  try {
    const doc: unknown = parseYaml(readFileSync(path, 'utf8'));
    if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
      problems.push(`--config ${path}: top level must be a mapping`);
      return {};
    }
    return doc ?? {};
  } catch (e) {
    problems.push(`--config ${path}: ${(e as Error).message.split('\n')[0]}`);
    return {};
  }
}

/** Builds the configuration from defaults, an optional YAML file and flag overrides; throws ConfigError. */
export function loadConfig(configPath: string | undefined, overrides: Map<string, string> = new Map()): Config {
  const problems: string[] = [];
  const file = configPath ? readFile(configPath, problems) : {};
  problems.push(...unknownKeys(file));
  for (const k of overrides.keys()) if (!SCHEMA.some((s) => s.key === k)) problems.push(`--${k}: unknown key`);
  const cfg: Record<string, unknown> = {};
  for (const spec of SCHEMA) setPath(cfg, spec.key, resolve(spec, file, overrides, problems));
  if (problems.length === 0) problems.push(...webhookProblems(cfg as unknown as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg as unknown as Config;
}

function resolve(spec: KeySpec, file: unknown, overrides: Map<string, string>, problems: string[]): unknown {
  const flag = overrides.get(spec.key);
  const fromFile = getPath(file, spec.key);
  const raw = flag !== undefined ? flag : fromFile;
  if (raw === undefined) return structuredClone(spec.default);
  const r = coerce(spec, raw);
  if (r.ok) return r.value;
  problems.push(`${spec.key}: ${r.error}${flag !== undefined ? ' (from flag)' : ''}`);
  return spec.default;
}

/** The default configuration (no file, no flags). */
export function defaultConfig(): Config {
  return loadConfig(undefined);
}
