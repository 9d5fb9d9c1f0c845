/** Turns the bundle into a Node single-executable application (SEA) from a given Node binary. */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inject } from 'postject';

/** The fuse the Node binary carries to mark it as able to run an injected blob. */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Writes the SEA preparation blob for `script` into `work` with the running Node (no snapshot,
 * no code cache: both would make the output depend on the machine).
 */
export function seaBlob(script: string, work: string): string {
  // The blob records the script's path as given: relative to `work`, so that the output directory leaves no trace.
  const cfg = { main: relative(work, script), output: 'sea-prep.blob', disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(cfg));
  execFileSync(process.execPath, ['--experimental-sea-config', 'sea-config.json'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(work, cfg.output);
}

/** Copies `nodeBinary` to `out`, strips its symbols (when a `strip` for its architecture is given) and injects `blob`. */
export async function makeExecutable(nodeBinary: string, blob: string, out: string, strip: string | undefined): Promise<void> {
  if (!readFileSync(nodeBinary).includes(FUSE)) throw new Error(`${nodeBinary} has no SEA fuse: it cannot be a single executable`);
  copyFileSync(nodeBinary, out);
  chmodSync(out, 0o755);
  if (strip) execFileSync(strip, ['--strip-all', out]);
  // postject prints progress on stdout; it is quiet here so that build logs stay readable.
  const log = console.log;
  console.log = () => undefined;
  try {
    await inject(out, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
  } finally { console.log = log; }
}
