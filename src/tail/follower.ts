/** The tailer's poll loop: drains generations in order, detects rotation and truncation, checkpoints. */
import { stat } from 'node:fs/promises';
import type { Logger } from '../log.js';
import type { Tailer, TailerOptions } from './index.js';
import type { TailEvents } from './types.js';
import { systemClock, timerWaker, type Clock, type Waker } from './waker.js';
import { Generation, type GenerationContext } from './generation.js';
import { GzGeneration } from './gz.js';
import { fileId } from './identity.js';
import { Scanner, gzReadable, type Candidate } from './scan.js';
import { saveCheckpoint, type Checkpoint } from './checkpoint.js';
import { openCandidate, startup } from './startup.js';
import { DirWatch } from './watch.js';

const MAX_BACKOFF_MS = 5000;
const CHECKPOINT_EVERY_MS = 1000;

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
  private missing = 0;
  private upState: boolean | null = null;
  private afterTruncation = false;
  private dirty = false;
  private lastCheckpoint = Number.NEGATIVE_INFINITY;
  private lag = 0;
  private watch: DirWatch | null = null;

  constructor(readonly opts: TailerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.waker = opts.waker ?? timerWaker;
    this.events = opts.events;
    this.log = opts.log.child({ component: 'tail' });
    this.scanner = new Scanner(opts.path);
    this.ctx = {
      maxLineBytes: opts.maxLineBytes, consumer: opts.consumer, events: opts.events,
      buf: Buffer.allocUnsafe(256 * 1024),
      progress: () => { this.dirty = true; return this.checkpoint(false); },
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
    await this.checkpoint(true);
    await this.watch?.close();
    await this.st.current?.close();
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
    this.dirty = true;
  }

  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pass();
      } catch (err) {
        this.fail(err, this.st.current?.path ?? this.opts.path);
      }
      if (this.stopped) break;
      const ms = this.missing > 0
        ? Math.min(MAX_BACKOFF_MS, this.opts.pollIntervalMs * 2 ** Math.min(this.missing - 1, 10))
        : this.opts.pollIntervalMs;
      await Promise.race([this.waker.wait(ms), new Promise<void>((r) => { this.wake = r; })]);
    }
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
      if (!this.st.current && !(await this.advance())) break;
      const cur = this.st.current!;
      // Check the content before reading on: a file refilled past our offset must not be read as a continuation.
      if (this.st.live && cur instanceof Generation && !(await cur.contentUnchanged())) {
        await this.truncated(cur);
        continue;
      }
      if ((await cur.drain()) > 0) this.dirty = true;
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
    await this.checkpoint(false);
  }

  /** Ends the current generation: final partial line, mark done, close, count the rotation. */
  async finishCurrent(): Promise<void> {
    const cur = this.st.current!;
    cur.finish();
    if (cur.fingerprint !== null) this.st.done.add(cur.fingerprint);
    await cur.close();
    if (!this.st.copy) this.events.rotated();
    this.st.current = null;
    this.st.live = false;
    this.st.copy = false;
    this.dirty = true;
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

  /** Handles a truncation in place: read the copy from our offset if one exists, then restart at 0. */
  private async truncated(cur: Generation): Promise<void> {
    const fp = cur.fingerprint;
    const offset = cur.committed();
    await cur.close();
    this.st.current = null;
    this.st.live = false;
    this.events.truncated();
    this.afterTruncation = true;
    this.dirty = true;
    this.log.info('audit log truncated in place', { path: this.opts.path, offset });
    if (fp === null) return;
    const cands = await this.scanner.scan();
    const copy = cands.find((c) => c.kind !== 'live' && c.fingerprint === fp && (c.kind === 'gz' ? gzReadable(c, cands) : c.size >= offset));
    if (!copy) { this.st.done.add(fp); return; }
    this.st.current = await openCandidate(this, copy, offset);
    this.st.copy = true;
  }

  /** Picks the next generation: the oldest unread backup, else the live file. False when none is available. */
  private async advance(): Promise<boolean> {
    const cands = await this.scanner.scan();
    this.pruneDone(cands);
    for (const c of cands) {
      if (c.kind === 'live' || c.fingerprint === null || this.st.done.has(c.fingerprint)) continue;
      if (c.kind === 'gz' && !gzReadable(c, cands)) continue;
      try {
        this.st.current = await openCandidate(this, c, 0);
        this.st.live = false;
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        return this.backupVanished(c);
      }
    }
    return this.openLive();
  }

  /** A backup disappeared between listing and opening: lost, unless a twin (`.gz`) still has it. */
  private async backupVanished(c: Candidate): Promise<boolean> {
    const again = await this.scanner.scan();
    if (!again.some((o) => o.fingerprint === c.fingerprint)) {
      this.events.fileLost(c.size, c.path);
      this.log.warn('rotated audit log removed before it was read', { path: c.path, unreadBytesEstimate: c.size });
      this.st.done.add(c.fingerprint!);
      this.dirty = true;
    }
    return this.advance();
  }

  private async openLive(): Promise<boolean> {
    try {
      const gen = await Generation.open(this.opts.path, 0, this.ctx);
      gen.skipNul = this.afterTruncation;
      this.afterTruncation = false;
      this.st.current = gen;
      this.st.live = true;
      this.missing = 0;
      this.setUp(true);
      return true;
    } catch (err) {
      this.missing++;
      this.setUp(false);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') {
        this.log.limited('eacces', 'error', 'permission denied reading the audit log: the daemon needs read access to the file and search access to its directory (see the file access section of the README)', { path: this.opts.path });
      } else if (code === 'ENOENT') {
        this.log.limited('enoent', 'warn', 'audit log missing; retrying', { path: this.opts.path });
      } else {
        this.fail(err, this.opts.path);
      }
      return false;
    }
  }

  /** Forgets done fingerprints whose files are gone (keeps the set bounded by the backups on disk). */
  private pruneDone(cands: Candidate[]): void {
    const present = new Set(cands.map((c) => c.fingerprint));
    for (const fp of this.st.done) if (!present.has(fp)) this.st.done.delete(fp);
  }

  private async updateLag(): Promise<void> {
    const cur = this.st.current;
    if (cur instanceof Generation) await cur.links().catch(() => 0);
    const lag = cur instanceof Generation ? Math.max(0, cur.size - cur.fed) : 0;
    this.lag = lag;
    this.events.lag(lag);
  }

  /** Captures positions and counters together (synchronously) and writes them, at most once a second unless forced. */
  async checkpoint(force: boolean): Promise<void> {
    const now = this.clock.monoMs();
    if (!force && (!this.dirty || now - this.lastCheckpoint < CHECKPOINT_EVERY_MS)) return;
    const cp = this.capture();
    if (cp === null) return;
    this.dirty = false;
    this.lastCheckpoint = now;
    try {
      await saveCheckpoint(this.opts.stateDir, cp);
      this.events.checkpointWritten(cp.writtenAtMs / 1000);
    } catch (err) {
      this.dirty = true;
      this.log.limited('checkpoint', 'error', 'checkpoint write failed', { dir: this.opts.stateDir, error: (err as Error).message });
    }
  }

  private capture(): Checkpoint | null {
    const cur = this.st.current;
    let current: Checkpoint['current'] = null;
    if (cur) {
      const offset = cur.committed();
      if (cur.fingerprint === null && offset > 0) return null;
      if (cur.fingerprint !== null) {
        const size = cur instanceof Generation ? Math.max(cur.size, offset) : offset;
        current = { path: cur.path, dev: cur.id.dev, ino: cur.id.ino, fingerprint: cur.fingerprint, offset, size, copy: this.st.copy };
      }
    }
    return {
      version: 1, writtenAtMs: this.clock.wallMs(), path: this.opts.path,
      current, done: [...this.st.done], state: this.opts.state.snapshot(),
    };
  }
}
