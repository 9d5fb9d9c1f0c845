import { strict as assert } from 'node:assert';
import { appendFileSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, tempDir, lines, expected } from './harness.js';

describe('tail: append-only following', () => {
  let dir: string;
  let cleanup: () => void;
  const log = (): string => join(dir, 'audit.log');
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('reads from the beginning and follows appends, each line once', async () => {
    writeFileSync(log(), lines('a', 0, 3));
    const h = await new Harness(dir, { startAt: 'beginning' }).start();
    assert.deepEqual(h.consumer.lines, expected('a', 0, 3));
    appendFileSync(log(), lines('a', 3, 2));
    await h.step();
    await h.step();
    assert.deepEqual(h.consumer.lines, expected('a', 0, 5));
    assert.equal(h.events.bytes, lines('a', 0, 5).length);
    assert.equal(h.events.isUp, true);
    assert.equal(h.tailer.lagBytes(), 0);
    await h.stop();
  });

  it('starts at the end of the last complete line with startAt end', async () => {
    writeFileSync(log(), `${lines('old', 0, 3)}partial-`);
    const h = await new Harness(dir, { startAt: 'end' }).start();
    assert.deepEqual(h.consumer.lines, []);
    appendFileSync(log(), `tail\n${lines('new', 0, 2)}`);
    await h.step();
    assert.deepEqual(h.consumer.lines, ['partial-tail', ...expected('new', 0, 2)]);
    await h.stop();
  });

  it('stop() writes a final checkpoint with positions and counters', async () => {
    writeFileSync(log(), lines('a', 0, 4));
    const h = await new Harness(dir).start();
    await h.stop();
    const cp = JSON.parse(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')) as { version: number; current: { offset: number; dev: string; ino: string }; state: { consumer: { lines: string[] } } };
    assert.equal(cp.version, 1);
    assert.equal(cp.current.offset, lines('a', 0, 4).length);
    assert.match(cp.current.ino, /^\d+$/);
    assert.equal(cp.state.consumer.lines.length, 4);
    assert.ok(!existsSync(join(dir, 'state', 'checkpoint.json.tmp')));
  });

  it('resumes after a restart without losing or repeating lines', async () => {
    writeFileSync(log(), lines('a', 0, 3));
    const h1 = await new Harness(dir).start();
    await h1.stop();
    appendFileSync(log(), lines('a', 3, 3));
    const h2 = await new Harness(dir, { startAt: 'end' }).start();
    assert.deepEqual(h2.consumer.lines, expected('a', 0, 6));
    assert.equal(h2.events.bytes, lines('a', 0, 6).length);
    await h2.stop();
  });
});
