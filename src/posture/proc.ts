/** Finding running kube-apiserver processes under a proc filesystem root. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One running kube-apiserver. */
export interface ApiserverProcess {
  pid: number;
  argv: string[];
}

/** Splits a NUL-separated `/proc/<pid>/cmdline` into arguments. */
export function splitCmdline(buf: Buffer): string[] {
  const parts = buf.toString('utf8').split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function readProcess(procRoot: string, pid: number): ApiserverProcess | undefined {
  try {
    const comm = readFileSync(join(procRoot, String(pid), 'comm'), 'utf8').trim();
    if (comm !== 'kube-apiserver') return undefined;
    return { pid, argv: splitCmdline(readFileSync(join(procRoot, String(pid), 'cmdline'))) };
  } catch {
    return undefined; // the process exited, or we may not read it
  }
}

/** Lists kube-apiserver processes (`comm` equal to kube-apiserver) in pid order; throws if `procRoot` is unreadable. */
export function findApiserverProcesses(procRoot: string): ApiserverProcess[] {
  const pids = readdirSync(procRoot).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const out: ApiserverProcess[] = [];
  for (const pid of pids) {
    const p = readProcess(procRoot, pid);
    if (p) out.push(p);
  }
  return out;
}
