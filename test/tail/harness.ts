/** Test harness: a tailer over a temp directory with recording consumer/events and stepped time. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTailer, ManualClock, ManualWaker, type Tailer } from '../../src/tail/index.js';
import type { LineConsumer, StateProvider, TailEvents } from '../../src/tail/types.js';
import { combineState } from '../../src/metrics/tail.js';
import { Logger } from '../../src/log.js';

/** Collects lines; its state (the lines themselves) survives restarts through the checkpoint. */
export class RecordingConsumer implements LineConsumer, StateProvider {
  lines: string[] = [];
  tooLongs = 0;
  line(buf: Buffer, start: number, end: number): void { this.lines.push(buf.toString('utf8', start, end)); }
  tooLong(): void { this.tooLongs++; }
  snapshot(): unknown { return { lines: [...this.lines], tooLongs: this.tooLongs }; }
  restore(state: unknown): void {
    const s = state as { lines: string[]; tooLongs: number };
    if (!Array.isArray(s?.lines)) throw new Error('bad consumer state');
    this.lines = [...s.lines];
    this.tooLongs = s.tooLongs;
  }
}

/** Records every tail event; its counters survive restarts too. */
export class RecordingEvents implements TailEvents, StateProvider {
  upHistory: boolean[] = [];
  bytes = 0;
  lastLag = -1;
  rotations = 0;
  truncations = 0;
  lost: Array<{ unread: number | null; path: string }> = [];
  checkpointErrors = 0;
  checkpoints = 0;
  errors: string[] = [];
  up(ok: boolean): void { this.upHistory.push(ok); }
  bytesRead(n: number): void { this.bytes += n; }
  lag(b: number): void { this.lastLag = b; }
  rotated(): void { this.rotations++; }
  truncated(): void { this.truncations++; }
  fileLost(unread: number | null, path: string): void { this.lost.push({ unread, path }); }
  checkpointFailed(): void { this.checkpointErrors++; }
  checkpointWritten(): void { this.checkpoints++; }
  readError(err: Error): void { this.errors.push(err.message); }
  get isUp(): boolean | undefined { return this.upHistory[this.upHistory.length - 1]; }
  snapshot(): unknown { return { bytes: this.bytes, rotations: this.rotations, truncations: this.truncations, lost: this.lost.length }; }
  restore(state: unknown): void {
    const s = state as { bytes: number; rotations: number; truncations: number };
    this.bytes = s.bytes; this.rotations = s.rotations; this.truncations = s.truncations;
  }
}

/** One tailer instance over `dir`, with its own consumer, events, waker and clock. */
export class Harness {
  readonly consumer = new RecordingConsumer();
  readonly events = new RecordingEvents();
  readonly waker = new ManualWaker();
  readonly clock: ManualClock;
  readonly logs: Array<Record<string, unknown>> = [];
  readonly tailer: Tailer;

  constructor(readonly dir: string, opts: { startAt?: 'end' | 'beginning'; maxLineBytes?: number; clock?: ManualClock } = {}) {
    this.clock = opts.clock ?? new ManualClock(Date.now());
    const log = new Logger({}, 'debug', (l) => { this.logs.push(JSON.parse(l) as Record<string, unknown>); });
    this.tailer = createTailer({
      path: join(dir, 'audit.log'), startAt: opts.startAt ?? 'beginning', maxLineBytes: opts.maxLineBytes ?? 1024 * 1024,
      pollIntervalMs: 500, watch: false, stateDir: join(dir, 'state'),
      consumer: this.consumer, state: combineState({ consumer: this.consumer, events: this.events }),
      events: this.events, log, clock: this.clock, waker: this.waker,
    });
  }

  /** Starts the tailer and waits until its first poll is done. */
  async start(): Promise<this> {
    await this.tailer.start();
    await this.waker.idle();
    return this;
  }

  /** Runs one poll pass, with the clock moved past the checkpoint interval. */
  async step(): Promise<void> {
    this.clock.advance(1000);
    await this.waker.step();
  }

  /** Stops (final checkpoint). */
  async stop(): Promise<void> { await this.tailer.stop(); }
}

/** A fresh temp directory, removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-tail-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `n` numbered lines with a prefix, each ending in a newline. */
export function lines(prefix: string, from: number, n: number): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += `${prefix}-${i} {"kind":"Event","n":${i}}\n`;
  return s;
}

/** The same lines without newlines, as the consumer records them. */
export function expected(prefix: string, from: number, n: number): string[] {
  return lines(prefix, from, n).split('\n').slice(0, -1);
}
