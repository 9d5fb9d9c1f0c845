/** SIGHUP: re-read the configuration; settings that can change apply, the rest are reported. */
import { isDeepStrictEqual } from 'node:util';
import { ConfigError, loadConfig } from '../config/load.js';
import { SCHEMA } from '../config/schema.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';

/** Keys a running daemon applies on reload. */
export const RELOADABLE = ['sources.classes', 'sources.maxSeries', 'gaps.thresholdSeconds'] as const;

function valueAt(cfg: Config, key: string): unknown {
  let cur: unknown = cfg;
  for (const part of key.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return cur;
}

/** Keys whose value differs between two configurations. */
export function changedKeys(a: Config, b: Config): string[] {
  return SCHEMA.map((s) => s.key).filter((k) => !isDeepStrictEqual(valueAt(a, k), valueAt(b, k)));
}

/** The outcome of a reload attempt. */
export type ReloadResult = { ok: true; config: Config; applied: string[]; ignored: string[] } | { ok: false; error: string };

/**
 * Loads the file again (flags still override it) and compares it with `current`. An invalid
 * file leaves `current` in force; the caller applies `applied` keys from `config`.
 */
export function reloadConfig(current: Config, path: string | undefined, overrides: Map<string, string>, log: Logger): ReloadResult {
  let next: Config;
  try {
    next = loadConfig(path, overrides);
  } catch (e) {
    const error = e instanceof ConfigError ? e.problems.join('; ') : String(e);
    log.error('configuration reload failed; keeping the running configuration', { config: path, error });
    return { ok: false, error };
  }
  const changed = changedKeys(current, next);
  const applied = changed.filter((k) => (RELOADABLE as readonly string[]).includes(k));
  const ignored = changed.filter((k) => !applied.includes(k));
  if (ignored.length > 0) log.warn('configuration changes that need a restart were not applied', { keys: ignored });
  log.info('configuration reloaded', { config: path, applied, unchanged: changed.length === 0 });
  return { ok: true, config: next, applied, ignored };
}
