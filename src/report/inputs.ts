/** Resolving `report` arguments into an ordered list of inputs (lumberjack and logrotate backups oldest first). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BACKUP = /-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})\.[^/]*?(?:\.gz)?$/;
const LOG_FILE = /\.(?:log|json|jsonl)(?:\.\d+)?(?:\.gz)?$/;
const LOGROTATE = /\.(?:log|json|jsonl)\.(\d+)(?:\.gz)?$/;

/** Returns the lumberjack rotation time embedded in a backup name, or undefined for other names. */
export function backupTime(name: string): number | undefined {
  const m = BACKUP.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms);
}

/** Returns the logrotate generation of a name (`audit.log.3.gz` is 3), or undefined for other names. */
export function logrotateIndex(name: string): number | undefined {
  const m = LOGROTATE.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Sort key: logrotate backups (highest number is oldest), then lumberjack backups by time, then the others. */
function rank(p: string): [number, number] {
  const n = logrotateIndex(p);
  if (n !== undefined) return [0, -n];
  const t = backupTime(p);
  return t !== undefined ? [1, t] : [2, 0];
}

/** True when `p` is a backup (logrotate or lumberjack name) rather than a live file. */
const isBackup = (p: string): boolean => rank(p)[0] < 2;

/** Orders files oldest first: backups by their generation or name's time, then the others in the given order. */
export function orderInputs(paths: string[]): string[] {
  const keyed = paths.map((p, i) => ({ p, i, k: rank(p) }));
  keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i);
  // While lumberjack compresses a backup both the plain file and its .gz exist: read the plain one.
  const set = new Set(paths);
  return keyed.map((k) => k.p).filter((p) => !(p.endsWith('.gz') && set.has(p.slice(0, -3))));
}

function listDir(dir: string): string[] {
  const names = readdirSync(dir).filter((n) => LOG_FILE.test(n)).sort();
  const files = names.map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
  if (files.length === 0) throw new Error(`no audit log files in ${dir} (looked for *.log, *.json, *.jsonl, their .N and .gz backups)`);
  // Live files go after every backup; several live files keep mtime order.
  const live = files.filter((p) => !isBackup(p)).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  return [...orderInputs(files.filter(isBackup)), ...live];
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
