import { strict as assert } from 'node:assert';
import { appendFileSync, writeFileSync, renameSync, copyFileSync, truncateSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, tempDir, lines, expected } from './harness.js';

describe('tail: rotation, truncation, deletion (tailing.md checklist)', () => {
  let dir: string;
  let cleanup: () => void;
  const log = (): string => join(dir, 'audit.log');
  const backup = (stamp: string): string => join(dir, `audit-2026-01-01T00-00-${stamp}.log`);
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('#1 rename and create: drains the old file before reading the new one from 0', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h = await new Harness(dir).start();
    appendFileSync(log(), lines('a', 2, 3)); // unread when the rotation happens
    renameSync(log(), backup('00.000'));
    writeFileSync(log(), lines('b', 0, 2));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 5), ...expected('b', 0, 2)]);
    assert.equal(h.events.rotations, 1);
    await h.stop();
  });

  it('#2 new file appears (and grows) before the old one is drained: never starts it at EOF', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h = await new Harness(dir).start();
    appendFileSync(log(), lines('a', 1, 2));
    renameSync(log(), backup('00.000'));
    writeFileSync(log(), lines('b', 0, 1));
    await h.step();
    appendFileSync(log(), lines('b', 1, 2));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 3), ...expected('b', 0, 3)]);
    await h.stop();
  });

  it('renamed without a new file yet: keeps the handle, reports up 0, resumes when it appears', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h = await new Harness(dir).start();
    appendFileSync(log(), lines('a', 1, 1));
    renameSync(log(), backup('00.000'));
    await h.step();
    assert.deepEqual(h.consumer.lines, expected('a', 0, 2));
    assert.equal(h.events.isUp, false);
    writeFileSync(log(), lines('b', 0, 1));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 2), ...expected('b', 0, 1)]);
    assert.equal(h.events.isUp, true);
    await h.stop();
  });

  it('two rotations between polls: reads the middle generation from its backup, in order', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h = await new Harness(dir).start();
    appendFileSync(log(), lines('a', 1, 1));
    renameSync(log(), backup('00.000'));
    writeFileSync(log(), lines('b', 0, 2));
    renameSync(log(), backup('01.000'));
    writeFileSync(log(), lines('c', 0, 2));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 2), ...expected('b', 0, 2), ...expected('c', 0, 2)]);
    assert.equal(h.events.rotations, 2);
    await h.stop();
  });

  it('#3 copytruncate: reads the unread rest from the copy (found by fingerprint), then the file from 0', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h = await new Harness(dir).start();
    appendFileSync(log(), lines('a', 2, 2)); // written between our last read and the copy
    copyFileSync(log(), backup('00.000'));
    truncateSync(log(), 0);
    appendFileSync(log(), lines('b', 0, 1));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 4), ...expected('b', 0, 1)]);
    assert.equal(h.events.truncations, 1);
    assert.equal(h.events.rotations, 0);
    await h.stop();
  });

  it('#3 copytruncate by a writer without O_APPEND: leading NULs are skipped', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h = await new Harness(dir).start();
    const size = lines('a', 0, 2).length;
    truncateSync(log(), 0);
    writeFileSync(log(), Buffer.concat([Buffer.alloc(size + 10), Buffer.from(lines('b', 0, 1))]));
    await h.step();
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 2), ...expected('b', 0, 1)]);
    assert.equal(h.events.truncations, 1);
    await h.stop();
  });

  it('#4 truncated and refilled past the old offset: detected by content, read from 0', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h = await new Harness(dir).start();
    truncateSync(log(), 0);
    appendFileSync(log(), lines('refill', 0, 6));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 2), ...expected('refill', 0, 6)]);
    assert.equal(h.events.truncations, 1);
    await h.stop();
  });

  it('#5 deleted and recreated: drains the unlinked file, then follows the new one from 0', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h = await new Harness(dir).start();
    appendFileSync(log(), `${lines('a', 1, 1)}last-no-newline`);
    unlinkSync(log());
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 2), 'last-no-newline']);
    assert.equal(h.events.isUp, false);
    writeFileSync(log(), lines('b', 0, 2));
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 2), 'last-no-newline', ...expected('b', 0, 2)]);
    assert.equal(h.events.rotations, 1);
    assert.equal(h.events.isUp, true);
    await h.stop();
  });

  it('#6 missing at start: up 0, retries with backoff, reads from 0 when it appears', async () => {
    const h = await new Harness(dir, { startAt: 'end' }).start();
    assert.equal(h.events.isUp, false);
    const first = h.waker.lastMs;
    await h.step();
    await h.step();
    assert.ok(h.waker.lastMs > first, `backoff grows: ${first} -> ${h.waker.lastMs}`);
    assert.ok(h.waker.lastMs <= 5000);
    writeFileSync(log(), lines('a', 0, 3));
    await h.step();
    assert.deepEqual(h.consumer.lines, expected('a', 0, 3));
    assert.equal(h.events.isUp, true);
    assert.equal(h.waker.lastMs, 500);
    await h.stop();
  });

  it('#7 partial last line: waits for its newline, checkpoints before it, never processes it twice', async () => {
    writeFileSync(log(), `${lines('a', 0, 1)}{"half":`);
    const h = await new Harness(dir).start();
    assert.deepEqual(h.consumer.lines, expected('a', 0, 1));
    await h.stop();
    const h2 = await new Harness(dir).start();
    appendFileSync(log(), '1}\n');
    await h2.step();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 1), '{"half":1}']);
    await h2.step();
    assert.equal(h2.consumer.lines.length, 2);
    await h2.stop();
  });

  it('#8 over-long line: skipped to its newline, counted, never stalls', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h = await new Harness(dir, { maxLineBytes: 1024 }).start();
    appendFileSync(log(), 'x'.repeat(300 * 1024));
    await h.step();
    appendFileSync(log(), `${'y'.repeat(10)}\n${lines('b', 0, 1)}`);
    await h.step();
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 1), ...expected('b', 0, 1)]);
    assert.equal(h.consumer.tooLongs, 1);
    assert.equal(h.tailer.lagBytes(), 0);
    await h.stop();
  });
});
