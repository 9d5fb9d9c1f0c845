/** Build identity for `k8s_anon_build_info`: version, source revision and Node.js version. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, VERSION } from '../version.js';

/** File a release build writes beside package.json holding the source revision (one line). */
export const REVISION_FILE = 'REVISION';

const REV = /^[0-9a-f]{7,64}$/;

/** The source revision: the build-time `REVISION` file, else `git rev-parse HEAD` in a checkout, else `unknown`. */
export function findRevision(root: string = PACKAGE_ROOT): string {
  try {
    const r = readFileSync(join(root, REVISION_FILE), 'utf8').trim();
    if (REV.test(r)) return r;
  } catch { /* no build-time file */ }
  if (!existsSync(join(root, '.git'))) return 'unknown';
  const g = spawnSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
  const out = g.status === 0 ? g.stdout.trim() : '';
  return REV.test(out) ? out : 'unknown';
}

/** Labels of `k8s_anon_build_info` for this process. */
export function buildLabels(): { version: string; revision: string; nodejs_version: string } {
  return { version: VERSION, revision: findRevision(), nodejs_version: process.version };
}
