/** The tailer's poll loop: drains generations in order, detects rotation and truncation, checkpoints. */
import { stat } from 'node:fs/promises';
import type { Logger } from '../log.js';
import type { Tailer, TailerOptions } from './index.js';
import type { TailEvents } from './types.js';
import { backoffMs, systemClock, timerWaker, type Clock, type Waker } from './waker.js';
import { Generation, type GenerationContext } from './generation.js';
import { GzGeneration } from './gz.js';
import { fileId } from './identity.js';
import { Scanner } from './scan.js';
import { Checkpointer, capture } from './checkpointer.js';
import { startup } from './startup.js';
import { advance } from './advance.js';
import { handleTruncation } from './truncation.js';
import { DirWatch } from './watch.js';

/** Bytes per read: large reads keep catch-up parsing-bound (each chunk costs an event-loop round trip). */
const READ_BYTES = 4 * 1024 * 1024;


/** Minimum time between polls triggered by watch hints. */
const HINT_GAP_MS = 100;

/** Mutable tailer state shared with the start-up logic. */
export interface FollowState {
  current: Generation | GzGeneration | null;
  /** The current generation is the live path (it may still grow or be replaced). */
  live: boolean;
  /** The current generation is the copy of a file truncated in place. */
  copy: boolean;
  /** Fingerprints of generations read to the end (or deliberately skipped). */
  done: Set<string>;
}

/** Implements `Tailer` (see `createTailer`). */
export class Follower implements Tailer {
  readonly st: FollowState = { current: null, live: false, copy: false, done: new Set() };
  readonly ctx: GenerationContext;
  readonly scanner: Scanner;
  readonly events: TailEvents;
  readonly log: Logger;
  private readonly clock: Clock;
  private readonly waker: Waker;
  private stopped = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Consecutive polls that found no live file (backs the poll off). */
  missing = 0;
  private upState: boolean | null = null;
  /** The next live file opened follows a truncation in place (skip leading NULs). */
  afterTruncation = false;
  private readonly saver: Checkpointer;
  private lag = 0;
  private watch: DirWatch | null = null;

  constructor(readonly opts: TailerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.waker = opts.waker ?? timerWaker;
    this.events = opts.events;
    this.log = opts.log;
    this.scanner = new Scanner(opts.path);
    this.saver = new Checkpointer(opts, this.clock, this.log, () => capture(this));
    this.ctx = {
      maxLineBytes: opts.maxLineBytes, consumer: opts.consumer, events: opts.events,
      bufs: [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)],
      progress: () => { this.touch(); return this.saver.save(false); },
      stopping: () => this.stopped,
    };
  }

  /** Loads the checkpoint, positions the reader, starts the watch and the poll loop. */
  async start(): Promise<void> {
    await startup(this);
    if (this.opts.watch) this.watch = await DirWatch.start(this.opts.path, this.scanner, () => this.kick(), this.log);
    this.loopDone = this.loop();
  }

  /** Stops the loop, writes the final checkpoint, closes files and the watch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loopDone;
    await this.saver.save(true);
    await this.watch?.close();
    await this.st.current?.close();
  }

  /** Writes a checkpoint now (after any write in progress); rejects when it fails. */
  commit(): Promise<void> {
    return this.saver.commit();
  }

  /** Wall-clock milliseconds (checkpoint timestamps). */
  clockMs(): number {
    return this.clock.wallMs();
  }

  /** Bytes written but not yet read, as of the last poll. */
  lagBytes(): number {
    return this.lag;
  }

  /** Reports readability of the live path (on change only). */
  setUp(ok: boolean): void {
    if (this.upState === ok) return;
    this.upState = ok;
    this.events.up(ok);
  }

  /** Marks that positions or counters changed since the last checkpoint. */
  touch(): void {
    this.saver.dirty = true;
  }

  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const started = this.clock.monoMs();
      try {
        await this.pass();
      } catch (err) {
        this.fail(err, this.st.current?.path ?? this.opts.path);
      }
      if (this.stopped) break;
      if (!(await this.sleep(backoffMs(this.opts.pollIntervalMs, this.missing)))) continue;
      // Woken by a watch hint: coalesce hints so a busy log costs at most one poll per HINT_GAP_MS.
      for (let left = HINT_GAP_MS - (this.clock.monoMs() - started); left > 0 && !this.stopped; left = HINT_GAP_MS - (this.clock.monoMs() - started)) {
        await this.sleep(left);
      }
    }
  }

  /** Waits for the waker or a hint; true when a hint (or stop) came first. */
  private sleep(ms: number): Promise<boolean> {
    return Promise.race([this.waker.wait(ms).then(() => false), new Promise<boolean>((r) => { this.wake = () => r(true); })]);
  }

  /** Logs a failure (rate-limited) and reports it. */
  fail(err: unknown, path: string): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.events.readError(e, path);
    this.log.limited(`err:${(e as NodeJS.ErrnoException).code ?? e.message}`, 'warn', 'audit log read failed', { path, error: e.message });
  }

  /** One poll: read everything available, following generations in order. */
  private async pass(): Promise<void> {
    for (let guard = 0; guard < 10_000 && !this.stopped; guard++) {
      if (!this.st.current && !(await advance(this))) break;
      const cur = this.st.current!;
      // Check the content before reading on: a file refilled past our offset must not be read as a continuation.
      if (this.st.live && cur instanceof Generation && !(await cur.contentUnchanged())) {
        await handleTruncation(this, cur);
        continue;
      }
      if ((await cur.drain()) > 0) this.touch();
      if (this.stopped) break;
      if (cur instanceof GzGeneration) {
        if (!cur.complete) break;
        await this.finishCurrent();
      } else if (!this.st.live) {
        await this.finishCurrent();
      } else if (!(await this.liveChanged(cur))) {
        break;
      }
    }
    await this.updateLag();
    await this.saver.save(false);
  }

  /** Ends the current generation: final partial line, mark done, close, count the rotation. */
  async finishCurrent(): Promise<void> {
    const cur = this.st.current!;
    cur.finish();
    this.log.debug('generation finished', { path: cur.path, fingerprint: cur.fingerprint, bytes: cur.committed(), copy: this.st.copy });
    if (cur.fingerprint !== null) this.st.done.add(cur.fingerprint);
    await cur.close();
    if (!this.st.copy) this.events.rotated();
    this.st.current = null;
    this.st.live = false;
    this.st.copy = false;
    this.touch();
  }

  /**
   * After draining the live generation: whether it stopped being the live file (rotated or
   * deleted). When it did, the state is updated so the next step reads the successor.
   */
  private async liveChanged(cur: Generation): Promise<boolean> {
    let st;
    try {
      st = await stat(this.opts.path, { bigint: true });
    } catch (err) {
      this.setUp(false);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') { this.fail(err, this.opts.path); return false; }
      if ((await cur.links()) > 0) return false; // renamed; the new file is not there yet
      await this.finishCurrent(); // deleted: drained, settle the partial line, release the space
      return true;
    }
    if (!cur.is(fileId(st))) {
      await cur.drain();
      this.st.live = false;
      await this.finishCurrent();
      return true;
    }
    this.setUp(true);
    return false;
  }

  private async updateLag(): Promise<void> {
    const cur = this.st.current;
    if (cur instanceof Generation) await cur.links().catch(() => 0);
    let lag = cur instanceof Generation ? Math.max(0, cur.size - cur.fed) : 0;
    if (cur !== null && !this.st.live) lag += await stat(this.opts.path).then((s) => s.size, () => 0);
    this.lag = lag;
    this.events.lag(lag);
  }
}
