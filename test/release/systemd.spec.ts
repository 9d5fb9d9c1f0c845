/** Release acceptance: the shipped unit under a real systemd, PID 1 of its own namespaces (packaging/systemd-smoke.sh). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO } from '../integration/helpers.js';
import { artefact } from './run.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

describe('release: the systemd unit under a real systemd', function () {
  this.timeout(180_000);
  before(function () { if (process.getuid?.() !== 0 || !has('unshare') || !has('nsenter') || !has('/lib/systemd/systemd')) this.skip(); });

  it('starts, answers, restarts after SIGKILL, reloads with SIGHUP and stops cleanly', () => {
    const r = spawnSync('sh', ['packaging/systemd-smoke.sh', artefact(/-linux-x64$/)], { cwd: REPO, encoding: 'utf8', timeout: 150_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const want of [/^ok: active under systemd \d+, \/healthz answers$/m, /^ok: restarted after SIGKILL \(NRestarts=1\)$/m, /^ok: systemctl reload ran ExecReload/m, /^ok: stopped cleanly/m]) {
      assert.match(r.stdout, want);
    }
  });
});
