/** Races between the tailer's directory listing and the writer's rotations, driven deterministically. */
import { strict as assert } from 'node:assert';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Follower } from '../../src/tail/follower.js';
import type { Snapshot } from '../../src/tail/scan.js';
import { Harness, tempDir, lines, expected } from './harness.js';

describe('tail: rotation races with the directory listing', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => { ({ dir, cleanup } = tempDir()); });
  afterEach(() => cleanup());

  it('a rotation just after the backups were listed is read in order, not skipped', async () => {
    const log = join(dir, 'audit.log');
    writeFileSync(log, lines('a', 0, 5));
    const h = new Harness(dir);
    const scanner = (h.tailer as Follower).scanner;
    const scan = scanner.snapshot.bind(scanner);
    let calls = 0;
    let rotated = false;
    // The writer rotates right after the first pass listed the backups (the start-up listing is call 1).
    scanner.snapshot = async (): Promise<Snapshot> => {
      const cands = await scan();
      if (++calls === 2) {
        rotated = true;
        renameSync(log, join(dir, 'audit-2026-01-01T00-00-00.000.log'));
        writeFileSync(log, lines('b', 0, 3));
      }
      return cands;
    };
    await h.start();
    await h.step();
    await h.step();
    assert.ok(rotated);
    assert.deepEqual(h.consumer.lines, [...expected('a', 0, 5), ...expected('b', 0, 3)]);
    assert.equal(h.events.rotations, 1);
    assert.equal(h.events.lastLag, 0);
    await h.stop();
  });
});
