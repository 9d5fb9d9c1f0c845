/** Runs `serve` as a child process for tail tests and benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export { freePort } from '../helpers/net.js';


/** Parses Prometheus text exposition into `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One `serve` child process. */
export class Daemon {
  private err = '';
  private readonly exited: Promise<number>;

  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.stderr?.on('data', (b: Buffer) => { this.err = (this.err + b.toString()).slice(-200_000); });
    child.stdout?.resume();
    this.exited = new Promise((res) => child.on('exit', (code, sig) => res(code ?? (sig ? -1 : -2))));
  }

  /** Spawns `serve ARGS` (which must include `--web.listen=127.0.0.1:PORT`). */
  static async start(args: string[], as: { uid?: number; gid?: number } = {}): Promise<Daemon> {
    const port = Number(/--web\.listen=127\.0\.0\.1:(\d+)/.exec(args.join(' '))?.[1]);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...as });
    return new Daemon(child, port);
  }

  /** The last stderr output (structured logs). */
  stderr(): string { return this.err; }

  /** Fetches `/metrics`, or null while not listening. */
  async metrics(): Promise<Map<string, number> | null> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/metrics`);
      return parseMetrics(await res.text());
    } catch {
      return null;
    }
  }

  /** Waits until `/metrics` answers. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (await this.metrics()) return;
      if (this.child.exitCode !== null) throw new Error(`serve exited ${this.child.exitCode}\n${this.err}`);
      await sleep(50);
    }
    throw new Error(`serve not ready\n${this.err}`);
  }

  /** Waits until serve logged that it is serving (its signal handlers are installed then). */
  serving(timeoutMs = 30_000): Promise<void> {
    return this.logged('"msg":"serving"', timeoutMs);
  }

  /** Waits until stderr contains `text`. */
  async logged(text: string, timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    while (!this.err.includes(text)) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`serve did not log ${text}\n${this.err}`);
      if (this.child.exitCode !== null) throw new Error(`serve exited ${this.child.exitCode}\n${this.err}`);
      await sleep(20);
    }
  }

  /** Waits until a first checkpoint exists in `stateDir`. */
  async checkpointExists(stateDir: string, timeoutMs = 10_000): Promise<void> {
    const t0 = Date.now();
    while (!existsSync(join(stateDir, 'checkpoint.json'))) {
      if (Date.now() - t0 > timeoutMs) throw new Error('no checkpoint written');
      await sleep(50);
    }
  }

  /** Waits until lag is 0 and `bytesTotal` bytes were read; returns the metrics then. */
  async waitCaughtUp(bytesTotal: number, timeoutMs: number): Promise<Map<string, number>> {
    const t0 = Date.now();
    let last: Map<string, number> | null = null;
    while (Date.now() - t0 < timeoutMs) {
      last = await this.metrics();
      if (last && last.get('k8s_anon_audit_lag_bytes') === 0 && last.get('k8s_anon_audit_bytes_read_total') === bytesTotal) return last;
      await sleep(100);
    }
    throw new Error(`not caught up: read ${last?.get('k8s_anon_audit_bytes_read_total')} of ${bytesTotal}, lag ${last?.get('k8s_anon_audit_lag_bytes')}\n${this.err}`);
  }

  /** Sends `signal` and resolves to the exit code (-1 when killed by a signal). */
  async kill(signal: NodeJS.Signals): Promise<number> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
