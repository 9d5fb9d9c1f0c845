/** Builds the Debian package from the single executable with dpkg-deb, reproducibly. */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { SHARE_DIR } from './bundle.js';

/** What goes into one package. */
export interface DebInput { binary: string; version: string; arch: 'amd64' | 'arm64'; manPage: string; work: string; out: string; epoch: number }

const NAME = 'k8s-anon-exporter';
const put = (root: string, path: string, data: string | Buffer, mode = 0o644) => {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  chmodSync(p, mode);
};
const copy = (root: string, path: string, from: string, mode = 0o644) => put(root, path, readFileSync(from), mode);
const gz = (text: string) => gzipSync(Buffer.from(text), { level: 9 }); // zlib writes no name and a zero mtime

/** Every regular file below `dir`, sorted, as paths relative to it. */
function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => e.isDirectory() ? files(join(dir, e.name), base) : [relative(base, join(dir, e.name))]);
}

/** The unit as packaged: the program lives in /usr/bin. */
function unit(): string {
  return readFileSync('systemd/k8s-anon-exporter.service', 'utf8')
    .replace(/\/usr\/local\/bin\/k8s-anon-exporter/g, `/usr/bin/${NAME}`)
    .replace(/^Documentation=.*$/m, `Documentation=man:${NAME}(1) file://${SHARE_DIR}/`);
}

function payload(root: string, d: DebInput): void {
  copy(root, `usr/bin/${NAME}`, d.binary, 0o755);
  put(root, `usr/lib/systemd/system/${NAME}.service`, unit());
  copy(root, `etc/${NAME}/config.yaml`, 'deploy/config.example.yaml');
  const share = SHARE_DIR.slice(1);
  copy(root, `${share}/rbac.yaml`, 'deploy/rbac.yaml');
  copy(root, `${share}/config.example.yaml`, 'deploy/config.example.yaml');
  copy(root, `${share}/netdata-config/custom-plugins.d/k8s_anon.plugin`, 'netdata-config/custom-plugins.d/k8s_anon.plugin', 0o755);
  for (const dir of ['health.d', 'netdata.conf.d', 'go.d']) {
    for (const f of readdirSync(`netdata-config/${dir}`).filter((n) => n.endsWith('.conf')).sort()) copy(root, `${share}/netdata-config/${dir}/${f}`, `netdata-config/${dir}/${f}`);
  }
  for (const f of files('dashboards')) copy(root, `${share}/dashboards/${f}`, join('dashboards', f));
  put(root, `usr/share/man/man1/${NAME}.1.gz`, gz(d.manPage));
  const doc = `usr/share/doc/${NAME}`;
  put(root, `${doc}/copyright`, readFileSync('packaging/debian/copyright'));
  put(root, `${doc}/changelog.gz`, gz(debianChangelog(d.version, d.epoch)));
  put(root, `usr/share/lintian/overrides/${NAME}`, readFileSync('packaging/debian/lintian-overrides'));
}

/** A Debian-format changelog entry for this native package, dated by the build epoch. */
export function debianChangelog(version: string, epoch: number): string {
  const date = new Date(epoch * 1000).toUTCString().replace('GMT', '+0000');
  return `${NAME} (${version}) stable; urgency=medium\n\n  * Release ${version}; see CHANGELOG.md.\n\n -- k8s-anon-exporter maintainers <security@k8s-anon-exporter.invalid>  ${date}\n`;
}

function control(root: string, d: DebInput): void {
  const size = files(root).reduce((n, f) => n + statSync(join(root, f)).size, 0);
  const sums = files(root).map((f) => `${createHash('md5').update(readFileSync(join(root, f))).digest('hex')}  ${f}`).join('\n');
  const ctl = readFileSync('packaging/debian/control', 'utf8').replace('@VERSION@', d.version).replace('@ARCH@', d.arch)
    .replace('@SIZE@', String(Math.ceil(size / 1024)));
  put(root, 'DEBIAN/control', ctl);
  put(root, 'DEBIAN/conffiles', `/etc/${NAME}/config.yaml\n`);
  put(root, 'DEBIAN/md5sums', `${sums}\n`);
  copy(root, 'DEBIAN/postinst', 'packaging/debian/postinst', 0o755);
  copy(root, 'DEBIAN/postrm', 'packaging/debian/postrm', 0o755);
}

/** Builds `out` from `d`; file times are clamped to the epoch so the archive's bytes depend only on the inputs. */
export function buildDeb(d: DebInput): void {
  const root = join(d.work, `deb-${d.arch}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  payload(root, d);
  control(root, d);
  execFileSync('chmod', ['-R', 'go-w', root]);
  execFileSync('find', [root, '-exec', 'touch', '-h', '-d', `@${d.epoch}`, '{}', '+']);
  utimesSync(root, d.epoch, d.epoch);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, d.out], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(d.epoch) }, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Copies a file keeping nothing but its bytes (used for artefacts in release/). */
export const copyPlain = (from: string, to: string) => copyFileSync(from, to);
