import { strict as assert } from 'node:assert';
import { appendFileSync, writeFileSync, renameSync, readFileSync, unlinkSync, readdirSync, truncateSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Harness, tempDir, lines, expected } from './harness.js';

describe('tail: restarts, backups and checkpoints (tailing.md checklist)', () => {
  let dir: string;
  let cleanup: () => void;
  const log = (): string => join(dir, 'audit.log');
  const backup = (stamp: string): string => join(dir, `audit-2026-01-01T00-00-${stamp}.log`);
  const gzip = (path: string): void => { writeFileSync(`${path}.gz`, gzipSync(readFileSync(path))); unlinkSync(path); };
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('#9/#10 gzipped backup: resumes inside it by decompressed offset (plain twin gone)', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    appendFileSync(log(), lines('a', 2, 3));
    renameSync(log(), backup('00.000'));
    gzip(backup('00.000'));
    writeFileSync(log(), lines('b', 0, 2));
    const h2 = await new Harness(dir).start();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 5), ...expected('b', 0, 2)]);
    assert.equal(h2.events.rotations, 1);
    await h2.stop();
  });

  it('a .gz still being written beside its plain twin is not read; the plain twin is', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    appendFileSync(log(), lines('a', 1, 2));
    renameSync(log(), backup('00.000'));
    writeFileSync(`${backup('00.000')}.gz`, gzipSync(readFileSync(backup('00.000'))).subarray(0, 20));
    writeFileSync(log(), lines('b', 0, 1));
    const h2 = await new Harness(dir).start();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 3), ...expected('b', 0, 1)]);
    await h2.stop();
  });

  it('#12 several rotations while down: finishes the checkpointed file, then newer backups oldest first, then live', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    appendFileSync(log(), lines('a', 2, 1));
    renameSync(log(), backup('00.000'));
    writeFileSync(log(), lines('b', 0, 2));
    renameSync(log(), backup('01.000'));
    gzip(backup('01.000'));
    writeFileSync(log(), lines('c', 0, 2));
    renameSync(log(), backup('02.000'));
    writeFileSync(log(), lines('d', 0, 2));
    const h2 = await new Harness(dir).start();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 3), ...expected('b', 0, 2), ...expected('c', 0, 2), ...expected('d', 0, 2)]);
    assert.equal(h2.events.rotations, 3);
    assert.equal(h2.events.lost.length, 0);
    await h2.stop();
    const h3 = await new Harness(dir).start();
    assert.equal(h3.consumer.lines.length, 9, 'a further restart reads nothing again');
    await h3.stop();
  });

  it('backups present before the first start (no checkpoint) are not read; startAt beginning replays the live file', async () => {
    writeFileSync(backup('00.000'), lines('old', 0, 2));
    writeFileSync(log(), lines('a', 0, 2));
    const h = await new Harness(dir, { startAt: 'beginning' }).start();
    assert.deepEqual(h.consumer.lines, expected('a', 0, 2));
    await h.stop();
  });

  it('#12 pruned backup: the checkpointed file deleted before it was finished counts as lost', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    appendFileSync(log(), lines('a', 2, 3));
    const unread = lines('a', 2, 3).length;
    renameSync(log(), backup('00.000'));
    unlinkSync(backup('00.000'));
    writeFileSync(log(), lines('b', 0, 2));
    const h2 = await new Harness(dir).start();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 2), ...expected('b', 0, 2)]);
    assert.equal(h2.events.lost.length, 1);
    // The checkpoint saw the file only up to its offset: the unread amount is unknown, never reported as 0.
    assert.equal(h2.events.lost[0]!.unread, null, 'unread bytes unknown');
    assert.ok(h2.logs.some((l) => l.msg === 'checkpointed audit log file is gone; its unread rest is lost' && l.unreadBytes === 'unknown'));
    assert.ok(unread > 0);
    await h2.stop();
  });

  it('corrupt checkpoint: kept aside, reported, start per startAt, no crash', async () => {
    writeFileSync(log(), lines('a', 0, 2));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    writeFileSync(join(dir, 'state', 'checkpoint.json'), '{"version":1,"current":');
    appendFileSync(log(), lines('a', 2, 1));
    const h2 = await new Harness(dir, { startAt: 'end' }).start();
    assert.deepEqual(h2.consumer.lines, []);
    assert.ok(readdirSync(join(dir, 'state')).some((n) => n.startsWith('checkpoint.json.corrupt-')));
    assert.ok(h2.logs.some((l) => l.level === 'error' && String(l.msg).includes('checkpoint unusable')));
    appendFileSync(log(), lines('a', 3, 1));
    await h2.step();
    assert.deepEqual(h2.consumer.lines, expected('a', 3, 1));
    await h2.stop();
  });

  it('#11 inode reuse: same dev/ino with other content is not resumed at the old offset', async () => {
    writeFileSync(log(), lines('a', 0, 3));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    const ino = statSync(log()).ino;
    truncateSync(log(), 0);
    writeFileSync(log(), lines('reused', 0, 5));
    assert.equal(statSync(log()).ino, ino);
    const h2 = await new Harness(dir).start();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 3), ...expected('reused', 0, 5)]);
    await h2.stop();
  });

  it('a checkpoint is written at most once a second while running', async () => {
    writeFileSync(log(), lines('a', 0, 1));
    const h = await new Harness(dir).start();
    const before = h.events.checkpoints;
    appendFileSync(log(), lines('a', 1, 1));
    await h.waker.step(); // clock not advanced: too soon
    assert.equal(h.events.checkpoints, before);
    h.clock.advance(1000);
    await h.waker.step();
    assert.equal(h.events.checkpoints, before + 1);
    await h.stop();
  });
});

describe('tail: copytruncate while down', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('resumes in the copy at the checkpointed offset, counts one truncation, then reads the live file from 0', async () => {
    const log = join(dir, 'audit.log');
    writeFileSync(log, lines('a', 0, 2));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    appendFileSync(log, lines('a', 2, 2));
    const copy = join(dir, 'audit-2026-01-01T00-00-00.000.log');
    writeFileSync(copy, readFileSync(log));
    truncateSync(log, 0);
    appendFileSync(log, lines('b', 0, 1));
    const h2 = await new Harness(dir).start();
    assert.deepEqual(h2.consumer.lines, [...expected('a', 0, 4), ...expected('b', 0, 1)]);
    assert.equal(h2.events.truncations, 1);
    assert.equal(h2.events.rotations, 0);
    await h2.stop();
  });
});
