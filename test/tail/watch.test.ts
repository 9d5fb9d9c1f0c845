import { strict as assert } from 'node:assert';
import { appendFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createTailer } from '../../src/tail/index.js';
import { silentLogger } from '../../src/log.js';
import { RecordingConsumer, RecordingEvents, tempDir, lines, expected } from './harness.js';

/** Resolves when `cond()` holds, polling the in-process state (not the file). */
async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('tail: chokidar directory watch as hints', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('an append and a rotation are read on the watch event, long before the (1 min) poll', async () => {
    const log = join(dir, 'audit.log');
    writeFileSync(log, lines('a', 0, 1));
    const consumer = new RecordingConsumer();
    const events = new RecordingEvents();
    const tailer = createTailer({
      path: log, startAt: 'beginning', maxLineBytes: 1 << 20, pollIntervalMs: 60_000, watch: true,
      stateDir: join(dir, 'state'), consumer, state: consumer, events, log: silentLogger,
    });
    await tailer.start();
    try {
      await until(() => consumer.lines.length === 1, 5000);
      await new Promise((r) => setTimeout(r, 200)); // let the watcher settle
      appendFileSync(log, lines('a', 1, 1));
      await until(() => consumer.lines.length === 2, 5000);
      renameSync(log, join(dir, 'audit-2026-01-01T00-00-00.000.log'));
      writeFileSync(log, lines('b', 0, 1));
      await until(() => consumer.lines.length === 3, 5000);
      assert.deepEqual(consumer.lines, [...expected('a', 0, 2), ...expected('b', 0, 1)]);
      assert.equal(events.rotations, 1);
    } finally {
      await tailer.stop();
    }
  });
});
