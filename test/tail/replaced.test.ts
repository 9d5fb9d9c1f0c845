/** A generation must not read new content at an old offset when the file is truncated in place under it. */
import { strict as assert } from 'node:assert';
import { copyFileSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generation, type GenerationContext } from '../../src/tail/generation.js';
import { realFs } from '../../src/tail/realfs.js';
import { RecordingConsumer, RecordingEvents, expected, lines, tempDir } from './harness.js';

function context(consumer: RecordingConsumer, events: RecordingEvents): GenerationContext {
  return {
    maxLineBytes: 1024 * 1024, consumer, events, fs: realFs,
    bufs: [Buffer.alloc(4096), Buffer.alloc(4096)],
    progress: () => Promise.resolve(),
    stopping: () => false,
  };
}

describe('tail: truncation in place under an open generation', () => {
  it('feeds nothing when the file was copytruncated and refilled between two reads', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'audit.log');
      writeFileSync(path, lines('old', 0, 100));
      const consumer = new RecordingConsumer();
      const events = new RecordingEvents();
      const gen = await Generation.open(path, 0, context(consumer, events));
      assert.ok(await gen.drain() > 0);
      assert.deepEqual(consumer.lines, expected('old', 0, 100));
      const offset = gen.fed;
      appendFileSync(path, lines('old', 100, 10));
      // logrotate copytruncate, then the writer refills the file past our offset.
      copyFileSync(path, join(dir, 'audit-2026-01-01T00-00-00.000.log'));
      truncateSync(path, 0);
      writeFileSync(path, lines('new', 0, 300));
      assert.equal(await gen.drain(), 0);
      assert.equal(gen.fed, offset);
      assert.deepEqual(consumer.lines, expected('old', 0, 100));
      assert.equal(await gen.contentUnchanged(), false);
      await gen.close();
    } finally {
      cleanup();
    }
  });

  it('reads a plain append across many read-ahead chunks exactly once, in order', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'audit.log');
      writeFileSync(path, lines('a', 0, 2000));
      const consumer = new RecordingConsumer();
      const events = new RecordingEvents();
      const gen = await Generation.open(path, 0, context(consumer, events));
      await gen.drain();
      appendFileSync(path, lines('a', 2000, 1000));
      await gen.drain();
      assert.deepEqual(consumer.lines, expected('a', 0, 3000));
      assert.equal(events.bytes, Buffer.byteLength(lines('a', 0, 3000)));
      await gen.close();
    } finally {
      cleanup();
    }
  });
});
