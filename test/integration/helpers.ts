/** Shared pieces for tests that run real programs: ports, polling, child processes, binaries. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root, resolved from this file. */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `node --import <tsx>` arguments that work from any working directory. */
export const NODE_TSX = ['--import', pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href];
/** The command line that runs the CLI from source, as one shell word list. */
export const CLI_COMMAND = [process.execPath, ...NODE_TSX, join(REPO, 'src', 'cli.ts')];

export { freePort } from '../helpers/net.js';


/** Polls `fn` until it returns a value other than undefined/false, or throws with the last reason after `ms`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000, every = 250): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) { last = e; }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** GETs a URL on loopback and parses JSON. */
export async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Checks that `bin` is installed. Missing: fails under CI=true (CI installs it), else skips the suite.
 * Call from a `before` hook.
 */
export function requireBinary(ctx: Mocha.Context, bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `PATH="$PATH:/usr/sbin:/usr/local/sbin:/sbin" command -v ${bin}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status === 0 && path) return path;
  if (process.env.CI === 'true') throw new Error(`${bin} is not installed (CI installs it through .ci/run apt_pkgs)`);
  ctx.skip();
  return undefined;
}

/** Serves `body()` as `/metrics` on 127.0.0.1; `body()` returning undefined answers 503. */
export async function metricsServer(body: () => string | undefined): Promise<{ server: Server; listen: string }> {
  const server = createServer((req, res) => {
    const b = body();
    if (req.url !== '/metrics' || b === undefined) { res.writeHead(503).end(); return; }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(b);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, listen: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Spawns a process that collects its output; `stop()` sends SIGTERM (then SIGKILL) and resolves to the exit code. */
export function start(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const child: ChildProcess = spawn(cmd, args, { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => { out.stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out.stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig ? -1 : null))));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    }
    return exited;
  };
  return { child, out, exited, stop };
}
