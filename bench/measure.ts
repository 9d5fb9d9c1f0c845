/** Timing child processes: wall time, CPU time and peak RSS, plus small statistics helpers. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/** One timed run of a command. */
export interface Sample {
  wallS: number;
  userS: number;
  sysS: number;
  maxRssKB: number;
  exitCode: number;
  /** 1-minute load average when the run started (other work on the machine). */
  load1: number;
}

const GNU_TIME = '/usr/bin/time';

/** Whether GNU time is available for CPU time and peak RSS (else /proc polling is used). */
export const hasGnuTime = (): boolean => existsSync(GNU_TIME);

/** Runs `cmd args` with stdout to /dev/null; resolves with its timings once it exits (`gnu` false: poll /proc instead). */
export async function timeCommand(cmd: string, args: string[], cwd: string, gnu = hasGnuTime()): Promise<Sample> {
  const load1 = loadavg()[0] as number;
  const devnull = openSync('/dev/null', 'w');
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-bench-'));
  const out = join(dir, 'time.txt');
  const [file, argv] = gnu ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', out, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  try {
    const child = spawn(file, argv, { cwd, stdio: ['ignore', devnull, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    const poll = gnu ? undefined : pollHwm(child.pid as number);
    const exitCode = await new Promise<number>((res, rej) => {
      child.once('error', rej);
      child.once('close', (code) => res(code ?? -1));
    });
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (exitCode !== 0 && exitCode !== 2) throw new Error(`${cmd} exited ${exitCode}: ${stderr}`);
    if (!gnu) return { wallS, userS: NaN, sysS: NaN, maxRssKB: poll?.stop() ?? NaN, exitCode, load1 };
    const [, user, sys, rss] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
    return { wallS, userS: user as number, sysS: sys as number, maxRssKB: rss as number, exitCode, load1 };
  } finally {
    closeSync(devnull);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak resident set size (VmHWM, KiB) of a live process, or NaN. */
export function vmHwmKB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch { return NaN; }
}

/** CPU seconds (user, system) used so far by a live process, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): { userS: number; sysS: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userS: Number(f[11]) / 100, sysS: Number(f[12]) / 100 };
  } catch { return { userS: NaN, sysS: NaN }; }
}

function pollHwm(pid: number): { stop(): number } {
  let peak = NaN;
  const t = setInterval(() => { const v = vmHwmKB(pid); if (v > (peak || 0)) peak = v; }, 10);
  return { stop: () => { clearInterval(t); return peak; } };
}

/** The median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Megabytes (10^6 bytes) per second. */
export const mbps = (bytes: number, seconds: number): number => bytes / 1e6 / seconds;

/** The manual procedure the report replaces, exactly as an operator types it, for `bash -c`. */
export function pipelineCommand(file: string): string {
  return `grep '"username":"system:anonymous"' ${shellQuote(file)} | jq -r .requestURI | sort | uniq -c`;
}

/** Quotes a string for a POSIX shell. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
