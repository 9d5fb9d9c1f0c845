/**
 * Deterministic simulation of the tailer against a lumberjack writer, gzip twins, copytruncate,
 * retention, non-atomic listings and crashes. Replay one schedule: SIM_SEED=<n> npx mocha --no-config
 * --node-option import=tsx --extension ts test/tail/sim.test.ts (SIM_SCHEDULES=<n> changes the count;
 * SIM_TRACE=1 prints every writer action, filesystem operation, crash and tailer log line).
 */
import { strict as assert } from 'node:assert';
import { runSchedule } from './sim/run.js';

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 100_000);
const ONE = process.env.SIM_SEED;

describe('tail: deterministic simulation', function () {
  this.timeout(600_000);

  it(ONE ? `replays schedule ${ONE}` : `${SCHEDULES} seeded schedules: every line exactly once, or lost to retention and reported`, async () => {
    const seeds = ONE ? [Number(ONE)] : Array.from({ length: SCHEDULES }, (_, i) => i + 1);
    const failures: string[] = [];
    for (const seed of seeds) {
      const problems = await runSchedule(seed);
      if (problems.length > 0) {
        failures.push(`seed ${seed}: ${problems.slice(0, 3).join('; ')} (replay: SIM_SEED=${seed} npx mocha --no-config --node-option import=tsx --extension ts test/tail/sim.test.ts)`);
        if (failures.length >= 10) break;
      }
    }
    assert.deepEqual(failures, []);
  });
});
