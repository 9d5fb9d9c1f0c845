/**
 * `npm run fuzz [-- --seed S] [--events N] [--chunk C]`: the differential fuzzer at length. Compares the
 * byte paths with the full parse on N random events (default 1,000,000) in chunks of C events, chunk k
 * using seed S+k; a failing chunk prints the line that differs and its replay command.
 */
import { parseArgs } from 'node:util';
import { describe, findDifference } from './differential.js';

function main(): number {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, events: { type: 'string', default: '1000000' }, chunk: { type: 'string', default: '50000' } } });
  const seed = Number(values.seed), events = Number(values.events), chunk = Math.min(Number(values.chunk), events);
  if (![seed, events, chunk].every((v) => Number.isInteger(v) && v >= 0) || chunk < 1) {
    process.stderr.write('usage: npm run fuzz -- [--seed S] [--events N] [--chunk C]\n');
    return 1;
  }
  const t0 = performance.now();
  for (let k = 0, done = 0; done < events; k++, done += chunk) {
    const n = Math.min(chunk, events - done);
    const d = findDifference(seed + k, n);
    if (d) {
      process.stderr.write(describe(d).replace(/--seed \d+ --events \d+/, `--seed ${seed + k} --events ${n} --chunk ${n}`));
      return 1;
    }
  }
  process.stdout.write(`fuzz: ${events} events, seeds ${seed}..${seed + Math.ceil(events / chunk) - 1}: no difference (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  return 0;
}

process.exitCode = main();
