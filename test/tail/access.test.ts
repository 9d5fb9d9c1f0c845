import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, freePort } from './daemon.js';
import { tempDir, lines } from './harness.js';
import { waitFor } from '../integration/helpers.js';

describe('tail: access denied (serve as an unprivileged user)', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('a 0600 root audit log gives a clear error and k8s_anon_audit_up 0, not a crash', async function () {
    if (process.getuid?.() !== 0) this.skip();
    chmodSync(dir, 0o755);
    const log = join(dir, 'audit.log');
    writeFileSync(log, lines('a', 0, 2));
    chmodSync(log, 0o600);
    const state = join(dir, 'state');
    mkdirSync(state, { mode: 0o777 });
    chmodSync(state, 0o777);
    const port = await freePort();
    const d = await Daemon.start([`--audit.path=${log}`, `--state.dir=${state}`, `--web.listen=127.0.0.1:${port}`,
      '--audit.startAt=beginning', '--rbac.enabled=false', '--probe.enabled=false'], { uid: 65534, gid: 65534 });
    try {
      await d.serving();
      const m = await d.metrics();
      assert.equal(m?.get('k8s_anon_audit_up'), 0);
      // The first poll after start-up tries the file: wait for its error line (bounded), then check it.
      await waitFor('the permission error logged', () => /permission denied reading the audit log/.test(d.stderr()), 30_000, 50).catch(() => undefined);
      assert.match(d.stderr(), /permission denied reading the audit log/);
      assert.equal(d.child.exitCode, null, 'still running');
    } finally {
      assert.equal(await d.kill('SIGTERM'), 0);
    }
  });
});
