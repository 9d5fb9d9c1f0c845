/** Release acceptance: npm pack, npm install -g of the tarball from /, and the shipped install script from the installed package. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../integration/helpers.js';
import { VERSION } from '../../src/version.js';

describe('release: the npm package', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'npm-pkg-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('installs globally from the packed tarball, runs, and its install.sh installs into a root', () => {
    const pack = spawnSync('npm', ['pack', '--silent', `--pack-destination=${dir}`], { cwd: REPO, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const tgz = join(dir, pack.stdout.trim().split('\n').at(-1) as string);
    const prefix = join(dir, 'prefix');
    const inst = spawnSync('npm', ['install', '-g', `--prefix=${prefix}`, '--no-audit', '--no-fund', '--prefer-offline', tgz], { cwd: '/', encoding: 'utf8' });
    assert.equal(inst.status, 0, inst.stdout + inst.stderr);
    const v = spawnSync(join(prefix, 'bin', 'k8s-anon-exporter'), ['--version'], { cwd: '/', encoding: 'utf8' });
    assert.equal(v.stdout, `${VERSION}\n`, v.stderr);
    const pkg = join(prefix, 'lib', 'node_modules', 'k8s-anon-exporter');
    assert.equal(existsSync(join(pkg, 'package-lock.json')), false, 'the tarball has no lock file');
    for (const f of ['LICENSE', 'CHANGELOG.md', 'SECURITY.md', 'deploy/install.sh', 'dist/src/cli.js']) assert.ok(existsSync(join(pkg, f)), f);
    const root = join(dir, 'root');
    mkdirSync(join(root, 'etc/netdata'), { recursive: true });
    const run = () => spawnSync('sh', [join(pkg, 'deploy/install.sh'), '--root', root], { cwd: '/', encoding: 'utf8' });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^installed .*\/opt\/k8s-anon-exporter\/node_modules$/m);
    const again = run();
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /^installed /m, again.stdout);
    const iv = spawnSync(process.execPath, [join(root, 'opt/k8s-anon-exporter/bin/k8s-anon-exporter.js'), '--version'], { encoding: 'utf8' });
    assert.equal(iv.stdout, `${VERSION}\n`, iv.stderr);
    assert.ok(readFileSync(join(root, 'etc/systemd/system/k8s-anon-exporter.service'), 'utf8').includes('ExecReload='));
  });
});
