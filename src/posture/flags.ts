/** Parsing kube-apiserver command lines (pflag rules) for the anonymous-auth settings. */

/** The anonymous-auth related flags found on one command line. */
export interface ApiserverFlags {
  /** Value of `--anonymous-auth` as given; undefined when the flag is absent. */
  anonymousAuth: boolean | undefined;
  /** The flag exactly as written, for display. */
  anonymousAuthRaw: string | undefined;
  /** Path given to `--authentication-config`, as written. */
  authenticationConfig: string | undefined;
  /** `--feature-gates` entries (name to value). */
  featureGates: Record<string, boolean>;
  /** Problems with the command line (unparsable boolean, missing value). */
  problems: string[];
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Parses a boolean the way Go's strconv.ParseBool does; undefined when invalid. */
export function parseGoBool(s: string): boolean | undefined {
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

/** Extracts `--anonymous-auth` and `--authentication-config` from argv (last occurrence wins, as in pflag). */
export function parseApiserverArgs(args: readonly string[]): ApiserverFlags {
  const out: ApiserverFlags = { anonymousAuth: undefined, anonymousAuthRaw: undefined, authenticationConfig: undefined, featureGates: {}, problems: [] };
  for (let i = 0; i < args.length; i++) {
    const a = String(args[i]);
    const m = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/s.exec(a);
    if (!m) continue;
    const [, name, value] = m;
    if (name === 'anonymous-auth') {
      out.anonymousAuthRaw = a;
      const v = value === undefined ? true : parseGoBool(value);
      if (v === undefined) out.problems.push(`${a}: not a boolean (kube-apiserver refuses to start)`);
      else out.anonymousAuth = v;
    } else if (name === 'feature-gates') {
      for (const kv of (value ?? String(args[++i] ?? '')).split(',')) {
        const [k, v] = kv.split('=');
        const b = v === undefined ? undefined : parseGoBool(v.trim());
        if (k && b !== undefined) out.featureGates[k.trim()] = b;
      }
    } else if (name === 'authentication-config') {
      const v = value ?? (i + 1 < args.length ? String(args[++i]) : undefined);
      if (v === undefined || v === '') out.problems.push(`${a}: missing value`);
      else out.authenticationConfig = v;
    }
  }
  return out;
}
