/**
 * Honest lag: while the daemon catches up on a ~200 MB audit log, `k8s_anon_audit_lag_bytes` is
 * never 0 as long as `k8s_anon_audit_bytes_read_total` is below the file size.
 */
import { strict as assert } from 'node:assert';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, freePort } from './daemon.js';
import { EventGenerator } from './writer.js';
import { tempDir } from './harness.js';

const TARGET_BYTES = 200 * 1024 * 1024;

/** Writes ~200 MB of audit events (a generated block repeated) to `path`; returns the size. */
function bigLog(path: string): number {
  const gen = new EventGenerator(9);
  const block = Buffer.from(Array.from({ length: 2000 }, () => `${gen.next()}\n`).join(''));
  const fd = openSync(path, 'w');
  try {
    for (let n = 0; n < TARGET_BYTES; n += block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

describe('tail: lag during catch-up', function () {
  this.timeout(300_000);

  it('k8s_anon_audit_lag_bytes is never 0 while bytes read are below the file size (200 MB)', async () => {
    const { dir, cleanup } = tempDir();
    const log = join(dir, 'audit.log');
    const size = bigLog(log);
    const port = await freePort();
    const d = await Daemon.start([`--audit.path=${log}`, `--state.dir=${join(dir, 'state')}`, `--web.listen=127.0.0.1:${port}`,
      '--audit.startAt=beginning', '--rbac.enabled=false', '--probe.enabled=false']);
    try {
      const samples: Array<{ read: number; lag: number | undefined }> = [];
      for (const t0 = Date.now(); Date.now() - t0 < 240_000;) {
        const m = await d.metrics();
        if (m) {
          const read = m.get('k8s_anon_audit_bytes_read_total') ?? 0;
          samples.push({ read, lag: m.get('k8s_anon_audit_lag_bytes') });
          if (read >= size) break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const during = samples.filter((s) => s.read > 0 && s.read < size);
      assert.ok(during.length >= 3, `too few scrapes during catch-up (${during.length}); the test would prove nothing`);
      const zero = samples.filter((s) => s.read < size && s.lag === 0);
      assert.deepEqual(zero, [], 'lag reported 0 before the file was read');
      assert.ok(during.every((s) => s.lag !== undefined && s.lag >= size - s.read - 8 * 1024 * 1024), 'lag tracks the unread rest (within one read-ahead)');
      assert.equal(samples[samples.length - 1]!.read, size);
    } finally {
      await d.kill('SIGTERM');
      cleanup();
    }
  });
});
