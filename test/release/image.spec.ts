/** Release acceptance: deploy/image/build.sh builds the image with buildah; it runs the executable and has no shell. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO } from '../integration/helpers.js';
import { VERSION } from '../../src/version.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const ENV = { ...process.env, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
const buildah = (args: string[]) => spawnSync('buildah', args, { encoding: 'utf8', env: ENV });

describe('release: container image built with buildah', function () {
  this.timeout(300_000);
  const image = `localhost/k8s-anon-exporter:test-${process.pid}`;
  let ctr = '';
  before(function () { if (!has('buildah') || process.getuid?.() !== 0) this.skip(); });
  after(() => { if (ctr) buildah(['rm', ctr]); buildah(['rmi', image]); });

  it('builds from scratch with the executable as entrypoint, uid 0, and no shell inside', () => {
    const b = spawnSync('sh', ['deploy/image/build.sh', image], { cwd: REPO, encoding: 'utf8', env: ENV });
    assert.equal(b.status, 0, b.stdout + b.stderr);
    const cfg = JSON.parse(buildah(['inspect', '--type', 'image', image]).stdout) as { OCIv1: { config: { User: string; Entrypoint: string[] } } };
    assert.equal(cfg.OCIv1.config.User, '0:0');
    assert.deepEqual(cfg.OCIv1.config.Entrypoint, ['/usr/bin/k8s-anon-exporter']);
    ctr = buildah(['from', image]).stdout.trim();
    const v = buildah(['run', '--isolation', 'chroot', ctr, '--', '/usr/bin/k8s-anon-exporter', '--version']);
    assert.equal(v.stdout.trim(), VERSION, v.stderr);
    const sh = buildah(['run', '--isolation', 'chroot', ctr, '--', '/bin/sh', '-c', 'true']);
    assert.notEqual(sh.status, 0, 'no /bin/sh in the image');
  });
});
