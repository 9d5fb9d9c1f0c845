/** Release acceptance: the .deb installs into a throwaway root and purges cleanly (npm run test:release). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { artefact } from './run.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/** Runs dpkg on the throwaway root; maintainer scripts run on the host with DPKG_ROOT set. */
function dpkg(root: string, args: string[]) {
  const r = spawnSync('dpkg', [`--root=${root}`, '--force-script-chrootless', '--force-depends', '--force-not-root', `--log=${join(root, 'dpkg.log')}`, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

describe('release: the Debian package', function () {
  this.timeout(180_000);
  let deb: string;
  let root: string;
  before(function () {
    if (!has('dpkg')) this.skip();
    deb = artefact(/_amd64\.deb$/);
    root = mkdtempSync(join(tmpdir(), 'deb-root-'));
    for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'var/lib/dpkg/status'), '');
    writeFileSync(join(root, 'var/lib/dpkg/available'), '');
  });
  after(() => { if (root) rmSync(root, { recursive: true, force: true }); });

  const exists = (p: string) => existsSync(join(root, p));

  it('installs the binary, the unit, the conffile, the man page and the shared files, enabling nothing', () => {
    const out = dpkg(root, ['--install', deb]);
    assert.match(out, /systemctl enable --now k8s-anon-exporter/);
    for (const p of ['usr/bin/k8s-anon-exporter', 'usr/lib/systemd/system/k8s-anon-exporter.service', 'etc/k8s-anon-exporter/config.yaml',
      'usr/share/man/man1/k8s-anon-exporter.1.gz', 'usr/share/k8s-anon-exporter/rbac.yaml', 'usr/share/k8s-anon-exporter/netdata-config/custom-plugins.d/k8s_anon.plugin',
      'usr/share/doc/k8s-anon-exporter/copyright']) assert.ok(exists(p), p);
    for (const f of spawnSync('ls', ['netdata-config/health.d'], { encoding: 'utf8' }).stdout.split('\n').filter((n) => n.endsWith('.conf'))) {
      assert.ok(exists(`usr/share/k8s-anon-exporter/netdata-config/health.d/${f}`), `health file ${f}`);
    }
    const unit = readFileSync(join(root, 'usr/lib/systemd/system/k8s-anon-exporter.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/bin\/k8s-anon-exporter serve --config=\/etc\/k8s-anon-exporter\/config\.yaml$/m);
    assert.equal(exists('etc/systemd/system/multi-user.target.wants/k8s-anon-exporter.service'), false, 'not enabled');
    assert.match(readFileSync(join(root, 'var/lib/dpkg/status'), 'utf8'), /Conffiles:\n \/etc\/k8s-anon-exporter\/config\.yaml [0-9a-f]{32}/);
    const man = gunzipSync(readFileSync(join(root, 'usr/share/man/man1/k8s-anon-exporter.1.gz'))).toString();
    for (const cmd of ['SERVE', 'REPORT', 'RBAC', 'CHECK']) assert.match(man, new RegExp(`^\\.SH COMMAND: ${cmd}$`, 'm'));
  });

  it('remove keeps the edited conffile and the state; purge removes both', () => {
    writeFileSync(join(root, 'etc/k8s-anon-exporter/config.yaml'), 'web:\n  listen: 127.0.0.1:19200\n');
    mkdirSync(join(root, 'var/lib/k8s-anon-exporter'), { recursive: true });
    writeFileSync(join(root, 'var/lib/k8s-anon-exporter/checkpoint.json'), '{}');
    dpkg(root, ['--remove', 'k8s-anon-exporter']);
    assert.equal(exists('usr/bin/k8s-anon-exporter'), false);
    assert.ok(exists('etc/k8s-anon-exporter/config.yaml'));
    assert.ok(exists('var/lib/k8s-anon-exporter/checkpoint.json'));
    dpkg(root, ['--purge', 'k8s-anon-exporter']);
    for (const p of ['etc/k8s-anon-exporter', 'var/lib/k8s-anon-exporter', 'usr/lib/systemd/system/k8s-anon-exporter.service', 'usr/share/man/man1/k8s-anon-exporter.1.gz', 'usr/share/k8s-anon-exporter']) {
      assert.equal(exists(p), false, `${p} removed`);
    }
  });

  it('lintian reports nothing beyond the justified overrides', function () {
    if (!has('lintian')) this.skip();
    const r = spawnSync('lintian', ['--fail-on', 'error,warning,info', '--no-tag-display-limit', deb], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), '', r.stdout);
  });
});
