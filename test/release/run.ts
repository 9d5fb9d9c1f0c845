/** Helpers for the release tests: run the built executable with an empty environment. */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../integration/helpers.js';

/** The release directory `npm run release` fills. */
export const RELEASE = join(REPO, 'release');

/** The artefact in release/ whose name matches `re` (throws when absent: run `npm run release` first). */
export function artefact(re: RegExp): string {
  const f = readdirSync(RELEASE).find((n) => re.test(n));
  if (!f) throw new Error(`no ${re} in release/: run npm run release first`);
  return join(RELEASE, f);
}

/** Runs `bin args` from / with no environment at all (no PATH, so no node to fall back on). */
export function runBare(bin: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { cwd: '/', env: {}, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `bin args` from / with no environment; resolves to its handle and collected output. */
export function startBare(bin: string, args: string[]) {
  const child = spawn(bin, args, { cwd: '/', env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => { out.stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out.stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out, exited };
}
