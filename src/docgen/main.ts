/** `npm run mixin` / `npm run docs` / `npm run literals` / `npm run wasm`: regenerate the generated files (`--check`: only report stale ones). */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMixin } from './mixin.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Generators by npm script name. */
const TARGETS: Record<string, () => Promise<Map<string, string>> | Map<string, string>> = {
  mixin: () => renderMixin(ROOT),
  docs: async () => (await import('./docs.js')).renderDocs(),
  literals: async () => (await import('./literals.js')).renderLiterals(),
  wasm: async () => (await import('./wasm.js')).renderWasm(ROOT),
};

/** Writes (or with `check`, compares) every file of `target`; returns the stale paths. */
export async function generate(target: string, check: boolean): Promise<string[]> {
  const make = TARGETS[target];
  if (!make) throw new Error(`unknown target ${target}: one of ${Object.keys(TARGETS).join(', ')}`);
  const stale: string[] = [];
  for (const [path, text] of await make()) {
    let old = '';
    try { old = readFileSync(join(ROOT, path), 'utf8'); } catch { /* new file */ }
    if (old === text) continue;
    stale.push(path);
    if (!check) writeFileSync(join(ROOT, path), text);
  }
  return stale;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [target = '', flag] = process.argv.slice(2);
  const stale = await generate(target, flag === '--check');
  for (const p of stale) process.stdout.write(`${flag === '--check' ? 'stale' : 'wrote'} ${p}\n`);
  process.exitCode = flag === '--check' && stale.length > 0 ? 1 : 0;
}
