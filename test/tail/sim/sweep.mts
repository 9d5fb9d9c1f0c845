/** Runs a range of simulator schedules outside mocha (node --import tsx test/tail/sim/sweep.mts FROM TO); SIM_TRACE=1 prints every step. */
import { runSchedule } from './run.js';
const from = Number(process.argv[2] ?? 1);
const to = Number(process.argv[3] ?? from);
const t = Date.now();
let bad = 0;
for (let seed = from; seed <= to; seed++) {
  const p = await runSchedule(seed);
  if (p.length > 0) { bad++; if (bad <= 15) console.log(seed, p.slice(0, 3).join('; ').slice(0, 300)); }
}
console.log(`${to - from + 1} schedules, ${bad} failing, ${Date.now() - t} ms`);
