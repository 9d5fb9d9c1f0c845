import assert from 'node:assert/strict';
import { SCENARIO_SECONDS, secondOfTraffic } from '../../src/demo/scenario.js';

describe('demo scenario', () => {
  it('repeats the attack in every cycle, not only in the first 30 s', () => {
    const anonymousScan = (s: number): number => secondOfTraffic(s, Date.UTC(2025, 0, 1)).filter((l) => l.includes('zgrab')).length;
    const badRead = (s: number): boolean => secondOfTraffic(s, Date.UTC(2025, 0, 1)).some((l) => l.includes('db-config'));
    for (const cycle of [0, 1, 7]) {
      const base = cycle * SCENARIO_SECONDS;
      assert.ok(anonymousScan(base + 5) > 0, `scanner in cycle ${cycle}`);
      assert.ok(badRead(base + 6), `anonymous configmap read in cycle ${cycle}`);
      assert.equal(anonymousScan(base + 100), 0, `quiet part of cycle ${cycle}`);
    }
  });
});
