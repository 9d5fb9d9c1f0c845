/**
 * Writes a realistic, deterministic kube-apiserver audit log for benchmarks, with a sidecar
 * `<file>.json` holding the parameters and ground truth. Standalone use:
 * `node dist/bench/generate.js --out FILE --requests N [--seed S] [--profile realistic|probed]`.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { generateTraffic, type Profile, type Truth } from './traffic.js';

/** Bump when the generated content changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 3;
/** The default seed. */
export const DEFAULT_SEED = 20261127;

/** A generated log and what it contains. */
export interface GeneratedLog {
  path: string;
  bytes: number;
  requests: number;
  seed: number;
  version: number;
  seconds: number;
  truth: Truth;
  /** The traffic profile (absent in sidecars written before profiles existed: realistic). */
  profile?: Profile;
}

const FLUSH_CHARS = 8 << 20;

/** Generates the log at `path` (written to a temporary name, then renamed) and its sidecar. */
export function generateLog(path: string, requests: number, seed = DEFAULT_SEED, profile: Profile = 'realistic'): GeneratedLog {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w');
  const t0 = process.hrtime.bigint();
  let parts: string[] = [];
  let chars = 0;
  let bytes = 0;
  const flush = (): void => {
    if (parts.length === 0) return;
    bytes += writeSync(fd, `${parts.join('\n')}\n`);
    parts = [];
    chars = 0;
  };
  let truth: Truth;
  try {
    truth = generateTraffic(requests, seed, (line) => {
      parts.push(line);
      chars += line.length + 1;
      if (chars >= FLUSH_CHARS) flush();
    }, profile);
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const log: GeneratedLog = { path, bytes, requests, seed, version: GENERATOR_VERSION, seconds, truth, profile };
  writeFileSync(`${path}.json`, `${JSON.stringify(log, null, 2)}\n`);
  return log;
}

/** Returns the cached log in `dir` for these parameters, generating it when missing or stale. */
export function ensureLog(dir: string, requests: number, seed = DEFAULT_SEED, profile: Profile = 'realistic'): GeneratedLog & { cached: boolean } {
  const path = join(dir, `audit-${profile === 'realistic' ? '' : `${profile}-`}${requests}-${seed}-v${GENERATOR_VERSION}.log`);
  const side = `${path}.json`;
  if (existsSync(path) && existsSync(side)) {
    try {
      const meta = JSON.parse(readFileSync(side, 'utf8')) as GeneratedLog;
      if (meta.requests === requests && meta.seed === seed && meta.version === GENERATOR_VERSION && statSync(path).size === meta.bytes) {
        return { ...meta, path, cached: true };
      }
    } catch { /* regenerate below */ }
  }
  return { ...generateLog(path, requests, seed, profile), cached: false };
}

function argValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === name) return argv[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/** Command-line entry: `--out FILE --requests N [--seed S]`; prints the sidecar JSON. */
export function main(argv: string[]): number {
  const out = argValue(argv, '--out');
  const requests = Number(argValue(argv, '--requests') ?? 1_000_000);
  const seed = Number(argValue(argv, '--seed') ?? DEFAULT_SEED);
  const profile = (argValue(argv, '--profile') ?? 'realistic') as Profile;
  if (profile !== 'realistic' && profile !== 'probed') {
    process.stderr.write('--profile must be realistic or probed\n');
    return 1;
  }
  if (!out || !Number.isInteger(requests) || requests < 1 || !Number.isInteger(seed)) {
    process.stderr.write('usage: node dist/bench/generate.js --out FILE [--requests N] [--seed S] [--profile realistic|probed]\n');
    return 1;
  }
  const log = generateLog(out, requests, seed, profile);
  process.stdout.write(`${JSON.stringify(log, null, 2)}\n`);
  return 0;
}

/** The repository root: the nearest directory holding package.json above this module, else the working directory. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) return process.cwd();
    dir = dirname(dir);
  }
  return dir;
}

const argv1 = process.argv[1];
if (argv1 && import.meta.url === pathToFileURL(realpathSync(argv1)).href) process.exitCode = main(process.argv.slice(2));
