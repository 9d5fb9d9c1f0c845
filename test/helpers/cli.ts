/** Runs the CLI as a real child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The public audit captures vendored into the repository (see their SOURCES.md). */
export const PUBLIC_FIXTURES = fileURLToPath(new URL('../fixtures/public/', import.meta.url));

/** Starts `k8s-anon-exporter ARGS` through tsx. */
export function spawnCli(args: string[], opts: { stdin?: 'pipe' | 'ignore' } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
}

/** Runs the CLI to completion and returns its exit code and output. */
export async function runCli(args: string[], input?: Buffer | string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnCli(args, { stdin: input === undefined ? 'ignore' : 'pipe' });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  if (input !== undefined) child.stdin?.end(input);
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
