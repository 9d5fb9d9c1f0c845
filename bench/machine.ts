/** A description of the machine a benchmark ran on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** Hardware and software facts that affect the numbers. */
export interface Machine {
  cpuModel: string;
  nproc: number;
  memoryGB: number;
  kernel: string;
  node: string;
  grep: string;
  jq: string;
  locale: string;
  load1AtStart: number;
}

function firstLine(cmd: string, args: string[]): string {
  try { return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]?.trim() ?? ''; } catch { return 'unavailable'; }
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return (m[1] as string).trim();
  } catch { /* fall through */ }
  return cpus()[0]?.model ?? 'unknown';
}

/** Collects the machine description (`nproc`, CPU model from /proc/cpuinfo, tool versions). */
export function machine(): Machine {
  return {
    cpuModel: cpuModel(),
    nproc: Number(firstLine('nproc', [])) || cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    grep: firstLine('grep', ['--version']),
    jq: firstLine('jq', ['--version']),
    locale: process.env.LC_ALL || process.env.LANG || 'unset (C/POSIX)',
    load1AtStart: loadavg()[0] as number,
  };
}
