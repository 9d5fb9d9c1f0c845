/**
 * Runs the crash torture test repeatedly with different seeds: `npm run torture -- --runs 20`.
 * Prints one line per run and a summary; exits non-zero if any run failed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './daemon.js';

const arg = process.argv.indexOf('--runs');
const runs = arg >= 0 ? Number(process.argv[arg + 1]) : 20;
const first = Number(process.env.TORTURE_FIRST_SEED ?? 1);
let failed = 0;
const t0 = Date.now();
for (let i = 0; i < runs; i++) {
  const seed = first + i;
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--node-option', 'import=tsx', '--extension', 'ts',
    '--timeout', '300000', 'test/tail/torture.test.ts'], { cwd: ROOT, env: { ...process.env, TORTURE_SEED: String(seed) }, encoding: 'utf8' });
  const ok = r.status === 0;
  if (!ok) failed++;
  process.stdout.write(`run ${i + 1}/${runs} seed ${seed}: ${ok ? 'pass' : 'FAIL'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  if (!ok) process.stdout.write(`${r.stdout.slice(-3000)}\n`);
}
process.stdout.write(`${runs - failed}/${runs} runs passed in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
process.exit(failed > 0 ? 1 : 0);
