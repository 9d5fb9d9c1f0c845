/** Coercion and validation of single configuration values. */
import { isIP } from 'node:net';
import type { KeySpec } from './schema.js';

/** Result of coercing a raw value: the typed value, or an error message. */
export type Coerced = { ok: true; value: unknown } | { ok: false; error: string };

/** Returns true when `s` is a valid IPv4 or IPv6 CIDR (or bare address). */
export function isCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const fam = isIP(addr);
  if (fam === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (fam === 4 ? 32 : 128);
}

function num(spec: KeySpec, raw: unknown, int: boolean): Coerced {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || (int && !Number.isInteger(n))) return { ok: false, error: `must be ${int ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}` };
  if (spec.min !== undefined && n < spec.min) return { ok: false, error: `must be >= ${spec.min}, got ${n}` };
  if (spec.max !== undefined && n > spec.max) return { ok: false, error: `must be <= ${spec.max}, got ${n}` };
  return { ok: true, value: n };
}

function list(raw: unknown): Coerced {
  if ((typeof raw === 'string' || Array.isArray(raw)) && [raw].flat().some((x) => typeof x === 'string' && x.includes('\0'))) return { ok: false, error: 'must not contain a NUL byte' };
  if (typeof raw === 'string') return { ok: true, value: raw.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return { ok: true, value: [...raw] };
  return { ok: false, error: 'must be a list of strings' };
}

function cidrMap(raw: unknown): Coerced {
  let v = raw;
  if (typeof v === 'string') {
    try { v = JSON.parse(v); } catch { return { ok: false, error: 'must be a map of class name to CIDR list (JSON on the command line)' }; }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'must be a map of class name to CIDR list' };
  const out: Record<string, string[]> = {};
  for (const [name, cidrs] of Object.entries(v)) {
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(name)) return { ok: false, error: `class name ${JSON.stringify(name)} must match [a-z][a-z0-9_]{0,31}` };
    if (['loopback', 'private', 'public', 'unknown', 'other'].includes(name)) return { ok: false, error: `class name ${name} is reserved` };
    const arr = typeof cidrs === 'string' ? [cidrs] : cidrs;
    if (!Array.isArray(arr)) return { ok: false, error: `class ${name} must be a list of CIDRs` };
    const bad = arr.find((c) => typeof c !== 'string' || !isCidr(c));
    if (bad !== undefined) return { ok: false, error: `class ${name}: ${JSON.stringify(bad)} is not a CIDR` };
    out[name] = arr as string[];
  }
  return { ok: true, value: out };
}

function listen(raw: unknown): Coerced {
  if (typeof raw !== 'string') return { ok: false, error: 'must be host:port' };
  const m = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(raw);
  if (!m || Number(m[2]) > 65535) return { ok: false, error: `must be host:port, got ${JSON.stringify(raw)}` };
  return { ok: true, value: raw };
}

function urls(raw: unknown): Coerced {
  const l = list(raw);
  if (!l.ok) return l;
  for (const u of l.value as string[]) {
    let ok = false;
    try { ok = ['https:', 'http:'].includes(new URL(u).protocol); } catch { ok = false; }
    if (!ok) return { ok: false, error: `${JSON.stringify(u)} is not an http(s) URL` };
  }
  return l;
}

/** No path or URL may hold a NUL byte (the kernel would cut the path short at it). */
const NUL: Coerced = { ok: false, error: 'must not contain a NUL byte' };

/** Coerces `raw` (from YAML or a flag string) to the type `spec` declares. */
export function coerce(spec: KeySpec, raw: unknown): Coerced {
  switch (spec.type) {
    case 'string':
      if (typeof raw === 'string' && raw.includes('\0')) return NUL;
      return typeof raw === 'string' && (raw !== '' || spec.allowEmpty === true) ? { ok: true, value: raw } : { ok: false, error: 'must be a non-empty string' };
    case 'optstring':
      if (typeof raw === 'string' && raw.includes('\0')) return NUL;
      return raw === undefined || raw === null || raw === '' ? { ok: true, value: undefined }
        : typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, error: 'must be a string' };
    case 'int': return num(spec, raw, true);
    case 'number': return num(spec, raw, false);
    case 'bool':
      if (raw === true || raw === 'true' || raw === '') return { ok: true, value: true };
      if (raw === false || raw === 'false') return { ok: true, value: false };
      return { ok: false, error: `must be true or false, got ${JSON.stringify(raw)}` };
    case 'enum': {
      const s = typeof raw === 'boolean' ? String(raw) : raw;
      return typeof s === 'string' && spec.values?.includes(s) ? { ok: true, value: s }
        : { ok: false, error: `must be one of ${spec.values?.join(', ')}, got ${JSON.stringify(raw)}` };
    }
    case 'list': return list(raw);
    case 'cidrmap': return cidrMap(raw);
    case 'listen': return listen(raw);
    case 'urls': return urls(raw);
  }
}
