/**
 * One seeded schedule: the real tailer (planner + executor) over the simulated directory, with the
 * writer acting at every await point, crashes at random await points and restarts from the last
 * durable checkpoint. Returns what went wrong (empty: every line counted exactly once, or lost to retention and reported).
 */
import { createTailer, ManualClock, ManualWaker, type Tailer } from '../../../src/tail/index.js';
import type { Checkpoint, CheckpointStore, LoadResult } from '../../../src/tail/checkpoint.js';
import type { LineConsumer, StateProvider, TailEvents } from '../../../src/tail/types.js';
import { Logger, silentLogger } from '../../../src/log.js';
import { rng } from '../writer.js';
import { fingerprintOf, HEAD_BYTES } from '../../../src/tail/identity.js';
import { SimDir, SimFs, halt } from './simfs.js';
import { SimWriter, idsIn } from './writer.js';

/** Counts line ids and tail events; all of it is checkpointed state. */
class SimSink implements LineConsumer, TailEvents, StateProvider {
  seen: number[] = [];
  lost = 0;
  lostBytes: Array<number | null> = [];
  line(buf: Buffer, start: number, end: number): void { this.seen.push(Number(buf.toString('latin1', start, end).split(' ')[0])); }
  tooLong(): void { this.seen.push(-1); }
  up(): void { /* not checked */ }
  bytesRead(): void { /* not checked */ }
  lastLag = -1;
  lag(bytes: number): void { this.lastLag = bytes; }
  rotated(): void { /* not checked */ }
  truncated(): void { /* not checked */ }
  fileLost(unread: number | null): void { this.lost++; this.lostBytes.push(unread); }
  checkpointWritten(): void { /* not checked */ }
  checkpointFailed(): void { /* not checked */ }
  readError(): void { /* not checked */ }
  snapshot(): unknown { return { seen: [...this.seen], lost: this.lost }; }
  restore(s: unknown): void {
    const v = s as { seen: number[]; lost: number };
    this.seen = [...v.seen];
    this.lost = v.lost;
  }
}

/** Durable checkpoint storage: a save either happened completely or not at all. */
class SimStore implements CheckpointStore {
  durable: string | null = null;
  constructor(private readonly step: (op: string) => Promise<void>) {}
  async load(): Promise<LoadResult> {
    await this.step('load');
    return this.durable === null ? { kind: 'none' } : { kind: 'ok', checkpoint: JSON.parse(this.durable) as Checkpoint };
  }
  async save(cp: Checkpoint): Promise<void> {
    const text = JSON.stringify(cp);
    await this.step('save');
    this.durable = text;
  }
  discard(): Promise<string | null> { this.durable = null; return Promise.resolve(null); }
}

/** Knobs of one schedule. */
export interface SimOptions { lines: number; crashes: number; actionRate: number; crashRate: number }

/** Runs schedule `seed`; returns a list of problems (empty when the property holds). */
export async function runSchedule(seed: number, o: SimOptions = { lines: 10, crashes: 3, actionRate: 0.3, crashRate: 0.03 }): Promise<string[]> {
  const rand = rng(seed);
  const dir = new SimDir();
  const writer = new SimWriter(dir, rand, o.lines);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let crashesLeft = o.crashes;
  let chaos = true;
  let crash: (() => void) | null = null;
  const trace = process.env.SIM_TRACE ? (m: string): void => { process.stderr.write(`${m}\n`); } : null;
  const tick = (op = 'store'): boolean => {
    clock.advance(250);
    trace?.(`  op ${op}`);
    if (!chaos) return true;
    if (rand() < o.actionRate) {
      const did = writer.act();
      trace?.(`writer: ${did} | ${[...dir.names.keys()].map((n) => `${n}#${dir.names.get(n)!.ino}:${dir.names.get(n)!.data.length}`).join(' ')}`);
    }
    if (crashesLeft > 0 && crash && rand() < o.crashRate) { trace?.('CRASH'); crashesLeft--; const c = crash; crash = null; c(); return false; }
    return true;
  };
  const fs = new SimFs(dir, tick, rand);
  // Retention of a file the durable checkpoint knows (its position, or a backup listed unread) must be reported.
  const mustReport = new Set<number>();
  writer.onRetention = (data) => {
    const fp = fingerprintOf(data.subarray(0, HEAD_BYTES));
    const cp = store.durable === null ? null : JSON.parse(store.durable) as Checkpoint;
    if (fp !== null && cp && ((cp.current?.fingerprint === fp && cp.current.offset < data.length) || cp.unread?.some((u) => u.fingerprint === fp))) for (const id of idsIn(data)) mustReport.add(id);
  };
  const store = new SimStore(async (op) => { await Promise.resolve(); if (!tick(op)) await halt(); });
  let sink = new SimSink();
  for (let life = 0; life < 50; life++) {
    sink = new SimSink();
    trace?.(`--- start, checkpoint ${store.durable}`);
    const waker = new ManualWaker();
    const crashed = new Promise<'crash'>((r) => { crash = () => r('crash'); });
    const tailer: Tailer = createTailer({
      path: '/sim/audit.log', startAt: 'beginning', maxLineBytes: 1 << 20, pollIntervalMs: 500, watch: false, stateDir: '/nonexistent',
      consumer: sink, state: sink, events: sink, log: trace ? new Logger({}, 'debug', (l) => trace(`    LOG ${l.slice(0, 400)}`)) : silentLogger, clock, waker, fs, store, readBytes: 16 + Math.floor(rand() * 48),
    });
    // The first start happens before the writer acts: backups present before it are deliberately not read.
    const calm = life === 0 && chaos;
    if (calm) chaos = false;
    const started = await Promise.race([tailer.start().then(() => waker.idle()), crashed]);
    if (calm) chaos = true;
    if (started === 'crash') continue;
    let died = false;
    for (let pass = 0; pass < 200 && !died; pass++) {
      if (writer.finished && !chaos) break;
      if (chaos && rand() < 0.7) {
        const did = writer.act();
        trace?.(`writer: ${did}`);
      }
      if (writer.finished && chaos) { chaos = false; writer.finish(); }
      died = (await Promise.race([waker.step(), crashed])) === 'crash';
    }
    if (died) continue;
    // Quiesce: passes until the lag is 0 and nothing new was counted twice in a row.
    for (let i = 0, still = 0; i < 16 && still < 2; i++) {
      const before = sink.seen.length;
      await waker.step();
      still = sink.seen.length === before && sink.lastLag === 0 ? still + 1 : 0;
    }
    await tailer.stop();
    break;
  }
  return check(writer, sink, mustReport);
}

function check(writer: SimWriter, sink: SimSink, mustReport: ReadonlySet<number>): string[] {
  const problems: string[] = [];
  const count = new Map<number, number>();
  for (const id of sink.seen) count.set(id, (count.get(id) ?? 0) + 1);
  let unreported = 0;
  for (const id of writer.written) {
    const n = count.get(id) ?? 0;
    if (n > 1) problems.push(`line ${id} counted ${n} times`);
    if (n === 0 && !writer.retained.has(id)) problems.push(`line ${id} never counted (not removed by retention)`);
    if (n === 0 && mustReport.has(id)) unreported++;
  }
  if (sink.seen.includes(-1)) problems.push('a line was reported too long');
  if (unreported > 0 && sink.lost === 0) problems.push(`${unreported} lines lost to retention of a file the checkpoint knew, but files_lost is 0`);
  if (!writer.finished) problems.push('the schedule ended before the writer finished');
  return problems;
}
