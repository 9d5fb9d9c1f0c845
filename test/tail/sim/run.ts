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

const DEFAULTS: SimOptions = { lines: 10, crashes: 3, actionRate: 0.3, crashRate: 0.03 };
const trace = process.env.SIM_TRACE ? (m: string): void => { process.stderr.write(`${m}\n`); } : null;

/** One seeded schedule: the world (directory, writer, clock, durable checkpoint) and the reader's lives. */
class Schedule {
  readonly rand: () => number;
  readonly dir = new SimDir();
  readonly writer: SimWriter;
  readonly clock = new ManualClock(Date.UTC(2026, 0, 1));
  readonly fs: SimFs;
  readonly store: SimStore;
  /** Line ids in files removed by retention while the durable checkpoint knew the file. */
  readonly mustReport = new Set<number>();
  private crashesLeft: number;
  /** The writer acts and the reader may crash (off for the first start and the final catch-up). */
  chaos = true;
  private crash: (() => void) | null = null;

  constructor(seed: number, private readonly o: SimOptions) {
    this.rand = rng(seed);
    this.writer = new SimWriter(this.dir, this.rand, o.lines);
    this.crashesLeft = o.crashes;
    this.fs = new SimFs(this.dir, (op) => this.tick(op), this.rand);
    this.store = new SimStore(async (op) => { await Promise.resolve(); if (!this.tick(op)) await halt(); });
    this.writer.onRetention = (data) => this.retained(data);
  }

  /** An await point: time passes, the writer may act, the reader may crash (false: it never resumes). */
  tick(op: string): boolean {
    this.clock.advance(250);
    trace?.(`  op ${op}`);
    if (!this.chaos) return true;
    if (this.rand() < this.o.actionRate) this.act();
    if (this.crashesLeft > 0 && this.crash && this.rand() < this.o.crashRate) {
      trace?.('CRASH');
      this.crashesLeft--;
      const c = this.crash;
      this.crash = null;
      c();
      return false;
    }
    return true;
  }

  act(): void {
    const did = this.writer.act();
    trace?.(`writer: ${did} | ${[...this.dir.names].map(([n, node]) => `${n}#${node.ino}:${node.data.length}`).join(' ')}`);
  }

  private retained(data: Buffer): void {
    const fp = fingerprintOf(data.subarray(0, HEAD_BYTES));
    const cp = this.store.durable === null ? null : JSON.parse(this.store.durable) as Checkpoint;
    const known = cp && ((cp.current?.fingerprint === fp && cp.current.offset < data.length) || cp.unread?.some((u) => u.fingerprint === fp));
    if (fp !== null && known) for (const id of idsIn(data)) this.mustReport.add(id);
  }

  /** A new reader from the last durable checkpoint; resolves to its sink, or null when it crashed. */
  async life(first: boolean): Promise<SimSink | null> {
    const sink = new SimSink();
    trace?.(`--- start, checkpoint ${this.store.durable}`);
    const waker = new ManualWaker();
    const crashed = new Promise<'crash'>((r) => { this.crash = () => r('crash'); });
    const tailer: Tailer = createTailer({
      path: '/sim/audit.log', startAt: 'beginning', maxLineBytes: 1 << 20, pollIntervalMs: 500, watch: false, stateDir: '/nonexistent',
      consumer: sink, state: sink, events: sink, clock: this.clock, waker, fs: this.fs, store: this.store, readBytes: 16 + Math.floor(this.rand() * 48),
      log: trace ? new Logger({}, 'debug', (l) => trace(`    LOG ${l.slice(0, 400)}`)) : silentLogger,
    });
    // The first start happens before the writer acts: backups present before it are deliberately not read.
    const calm = first && this.chaos;
    if (calm) this.chaos = false;
    const started = await Promise.race([tailer.start().then(() => waker.idle()), crashed]);
    if (calm) this.chaos = true;
    if (started === 'crash') return null;
    for (let pass = 0; pass < 200 && !(this.writer.finished && !this.chaos); pass++) {
      if (this.chaos && this.rand() < 0.7) this.act();
      if (this.writer.finished && this.chaos) { this.chaos = false; this.writer.finish(); }
      if ((await Promise.race([waker.step(), crashed])) === 'crash') return null;
    }
    // Quiesce: passes until the lag is 0 and nothing new was counted, twice in a row.
    for (let i = 0, still = 0; i < 16 && still < 2; i++) {
      const before = sink.seen.length;
      await waker.step();
      still = sink.seen.length === before && sink.lastLag === 0 ? still + 1 : 0;
    }
    await tailer.stop();
    return sink;
  }
}

/** Runs schedule `seed`; returns a list of problems (empty when the property holds). */
export async function runSchedule(seed: number, o: SimOptions = DEFAULTS): Promise<string[]> {
  const s = new Schedule(seed, o);
  let sink: SimSink | null = null;
  for (let life = 0; life < 50 && !sink; life++) sink = await s.life(life === 0);
  if (!sink) return ['every life crashed'];
  return check(s.writer, sink, s.mustReport);
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
