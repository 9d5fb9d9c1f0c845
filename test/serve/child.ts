/** `serve` as a child process for blind-state tests: metrics, /readyz, logs, signals. */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_COMMAND, REPO, waitFor } from '../integration/helpers.js';
import { freePort } from '../helpers/net.js';

/** The `/readyz` body. */
export interface ReadyBody { ready: boolean; reasons: Array<{ reason: string; message: string; input?: string }> }

/** One running `serve`. */
export class ServeChild {
  private err = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess, readonly listen: string) {
    child.stderr?.on('data', (b: Buffer) => { this.err = (this.err + b.toString()).slice(-400_000); });
    child.stdout?.resume();
    this.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  }

  /** Spawns `serve` with `args` plus a free `--web.listen`; `uid` drops privileges (root only); `nodeArgs` go to node first. */
  static async start(args: string[], as: { uid?: number; gid?: number } = {}, nodeArgs: string[] = []): Promise<ServeChild> {
    const listen = `127.0.0.1:${await freePort()}`;
    const child = spawn(CLI_COMMAND[0] as string, [...nodeArgs, ...CLI_COMMAND.slice(1), 'serve', `--web.listen=${listen}`, ...args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], ...as });
    const c = new ServeChild(child, listen);
    await c.logged('"msg":"serving"', 60_000);
    return c;
  }

  /** Structured log lines so far. */
  stderr(): string { return this.err; }

  /** Scrapes `/metrics`. */
  async metrics(): Promise<string> {
    return (await fetch(`http://${this.listen}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  }

  /** One sample value (`name{labels}` as exposed), undefined when absent. */
  async sample(series: string): Promise<number | undefined> {
    const line = (await this.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }

  /** `/readyz`: status code and body. */
  async ready(): Promise<{ status: number; body: ReadyBody }> {
    const r = await fetch(`http://${this.listen}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: r.status, body: (await r.json()) as ReadyBody };
  }

  /** Waits until /readyz names `reason` (503). */
  async notReadyFor(reason: string, ms = 60_000): Promise<ReadyBody> {
    return waitFor(`/readyz 503 ${reason}`, async () => {
      const r = await this.ready();
      return r.status === 503 && r.body.reasons.some((x) => x.reason === reason) ? r.body : undefined;
    }, ms, 100).catch((e: Error) => { throw new Error(`${e.message}\n${this.err.slice(-3000)}`); });
  }

  /** Waits until stderr contains `text`. */
  async logged(text: string, ms = 30_000): Promise<void> {
    await waitFor(`log ${text}`, () => {
      if (this.child.exitCode !== null) throw new Error(`serve exited ${this.child.exitCode}`);
      return this.err.includes(text);
    }, ms, 50).catch((e: Error) => { throw new Error(`${e.message}\n${this.err.slice(-3000)}`); });
  }

  /** Sends `signal` and resolves to the exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
