/** Resolving `report` arguments into an ordered list of inputs (lumberjack backups oldest first). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BACKUP = /-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})\.[^/]*?(?:\.gz)?$/;
const LOG_FILE = /\.(?:log|json|jsonl)(?:\.gz)?$/;

/** Returns the lumberjack rotation time embedded in a backup name, or undefined for other names. */
export function backupTime(name: string): number | undefined {
  const m = BACKUP.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms);
}

/** Orders files oldest first: backups by their name's time, then the others in the given order. */
export function orderInputs(paths: string[]): string[] {
  const keyed = paths.map((p, i) => ({ p, i, t: backupTime(p) ?? Number.POSITIVE_INFINITY }));
  keyed.sort((a, b) => a.t - b.t || a.i - b.i);
  // While lumberjack compresses a backup both the plain file and its .gz exist: read the plain one.
  const set = new Set(paths);
  return keyed.map((k) => k.p).filter((p) => !(p.endsWith('.gz') && set.has(p.slice(0, -3))));
}

function listDir(dir: string): string[] {
  const names = readdirSync(dir).filter((n) => LOG_FILE.test(n)).sort();
  const files = names.map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
  // Live files (no rotation time) go after every backup; several live files keep mtime order.
  const live = files.filter((p) => backupTime(p) === undefined).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  return [...files.filter((p) => backupTime(p) !== undefined), ...live];
}

/** Expands directories and orders the inputs; `-` stands for stdin and keeps its place. */
export function resolveInputs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === '-') { out.push(a); continue; }
    out.push(...(statSync(a).isDirectory() ? listDir(a) : [a]));
  }
  return out.includes('-') ? out : orderInputs(out);
}
