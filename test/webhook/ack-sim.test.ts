/** Seeded simulation of count → commit → acknowledge with crashes, lost answers, fsync errors and duplicates. */
import assert from 'node:assert/strict';
import { simulate, type SimOptions } from './sim.js';

const OPTS: SimOptions = { clients: 4, batchesPerClient: 6, eventsPerBatch: 5, maxCrashes: 3, maxPendingEvents: 12 };
// Replay one seed: SIM_SEED=123 npx mocha ... test/webhook/ack-sim.test.ts
const ONE = process.env.SIM_SEED;
const SEEDS = ONE !== undefined ? [Number(ONE)] : Array.from({ length: Number(process.env.SIM_SEEDS ?? 300) }, (_, i) => i + 1);

describe('webhook acknowledgement simulation', function () {
  this.timeout(60_000);
  it(`counts every event exactly once and acknowledges only durable batches (${SEEDS.length} seeds)`, async () => {
    let crashes = 0, acks = 0, writes = 0, dups = 0;
    for (const seed of SEEDS) {
      const r = await simulate(seed, OPTS);
      assert.equal(r.error, null, `${r.error}\nreplay: SIM_SEED=${seed} npx mocha --no-config --node-option import=tsx --extension ts test/webhook/ack-sim.test.ts`);
      crashes += r.crashes; acks += r.acks; writes += r.writes; dups += r.duplicates;
    }
    if (ONE === undefined) {
      // The seeds do exercise what they claim to.
      assert.ok(crashes > SEEDS.length / 2, `crashes ${crashes}`);
      assert.ok(dups > SEEDS.length / 2, `duplicate sends ${dups}`);
      assert.ok(writes < acks, `group commit: ${writes} fsyncs for ${acks} acknowledgements`);
    }
  });

  it('replays a seed identically', async () => {
    const a = await simulate(42, OPTS);
    const b = await simulate(42, OPTS);
    assert.deepEqual(a, b);
  });
});
