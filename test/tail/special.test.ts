/**
 * Anything but a regular file at `audit.path` (FIFO, character device, directory, socket) is
 * refused with a logged error and `k8s_anon_audit_up 0`; a regular file put back is read; SIGTERM
 * always completes within 2 s.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Daemon, freePort } from './daemon.js';
import { tempDir, lines } from './harness.js';

type Maker = (path: string) => Promise<Server | null>;

const MAKERS: Record<string, Maker> = {
  'a FIFO': (p) => { execFileSync('mkfifo', [p]); return Promise.resolve(null); },
  '/dev/zero (a symlink to it)': (p) => { symlinkSync('/dev/zero', p); return Promise.resolve(null); },
  'a directory': (p) => { mkdirSync(p); return Promise.resolve(null); },
  'a socket': (p) => new Promise((resolve) => { const s = createServer(); s.listen(p, () => resolve(s)); }),
};

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tail: special files at audit.path', function () {
  this.timeout(90_000);
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  for (const [name, make] of Object.entries(MAKERS)) {
    it(`${name}: logged error, audit_up 0; a regular file put back is read; SIGTERM within 2 s`, async () => {
      const log = join(dir, 'audit.log');
      let server = await make(log);
      const port = await freePort();
      const d = await Daemon.start([`--audit.path=${log}`, `--state.dir=${join(dir, 'state')}`, `--web.listen=127.0.0.1:${port}`,
        '--audit.startAt=beginning', '--rbac.enabled=false', '--probe.enabled=false', '--audit.pollIntervalMs=50']);
      try {
        await d.serving();
        await d.logged('not a regular file');
        await until('read_errors{not_regular_file}', async () => ((await d.metrics())?.get('k8s_anon_audit_read_errors_total{reason="not_regular_file"}') ?? 0) > 0 || undefined);
        assert.equal((await d.metrics())?.get('k8s_anon_audit_up'), 0);
        server?.close();
        rmSync(log, { recursive: true, force: true });
        const text = lines('a', 0, 3);
        writeFileSync(log, text);
        await until('the regular file read', async () => ((await d.metrics())?.get('k8s_anon_audit_bytes_read_total') === text.length) || undefined);
        assert.equal((await d.metrics())?.get('k8s_anon_audit_up'), 1);
        rmSync(log);
        server = await make(log);
        await until('audit_up 0 again', async () => ((await d.metrics())?.get('k8s_anon_audit_up') === 0) || undefined);
        const t0 = Date.now();
        assert.equal(await d.kill('SIGTERM'), 0);
        assert.ok(Date.now() - t0 < 2000, `SIGTERM took ${Date.now() - t0} ms`);
      } finally {
        server?.close();
        await d.kill('SIGKILL');
      }
    });
  }
});
