/** The executor: performs the I/O the steps ask for, keeps the one state value, polls, checkpoints. */
import type { Logger } from '../log.js';
import type { Tailer, TailerOptions } from './options.js';
import type { LineConsumer, SectionProvider, StateProvider, TailEvents } from './types.js';
import { backoffMs, systemClock, timerWaker, type Clock, type Waker } from './waker.js';
import { Generation, type GenerationContext } from './generation.js';
import { GzGeneration } from './gz.js';
import { Scanner } from './scan.js';
import { Checkpointer, capture } from './checkpointer.js';
import { fileStore, type CheckpointStore } from './checkpoint.js';
import { realFs } from './realfs.js';
import { errorReason, type TailFs } from './fs.js';
import { INITIAL_STATE, type Exec, type FollowState } from './context.js';
import { lagBytes, planNext, type Candidate } from './plan.js';
import { openCandidate } from './open.js';
import { resume, startup } from './startup.js';
import { advance } from './advance.js';
import { handleTruncation } from './truncation.js';
import { DirWatch } from './watch.js';
import { PollLoop } from './loop.js';

/** Bytes per read: large reads keep catch-up parsing-bound (each chunk costs an event-loop round trip). */
const READ_BYTES = 4 * 1024 * 1024;

/** Implements `Tailer` (see `createTailer`). */
export class Follower implements Tailer, Exec {
  st: FollowState = INITIAL_STATE;
  readonly ctx: GenerationContext;
  readonly scanner: Scanner;
  readonly events: TailEvents;
  readonly log: Logger;
  readonly path: string;
  readonly startAt: 'end' | 'beginning';
  readonly consumer: LineConsumer;
  readonly state: StateProvider;
  readonly sections: SectionProvider | undefined;
  private readonly fs: TailFs;
  private readonly store: CheckpointStore;
  private readonly clock: Clock;
  private readonly loop: PollLoop;
  private upState: boolean | null = null;
  /** Consecutive polls that found no readable live file (backs the poll off). */
  private missing = 0;
  private readonly saver: Checkpointer;
  private lag = 0;
  private cands: readonly Candidate[] = [];
  /** Listings made by the scanner when the lag was last computed. */
  private listingsSeen = -1;
  private watch: DirWatch | null = null;

  constructor(readonly opts: TailerOptions) {
    this.path = opts.path;
    this.startAt = opts.startAt;
    this.consumer = opts.consumer;
    this.state = opts.state;
    this.sections = opts.sections;
    this.events = opts.events;
    this.log = opts.log;
    this.clock = opts.clock ?? systemClock;
    this.fs = opts.fs ?? realFs;
    this.store = opts.store ?? fileStore(opts.stateDir);
    this.scanner = new Scanner(this.fs, opts.path);
    this.saver = new Checkpointer(this.store, this.clock, this.log, this.events, () => capture(this.st, opts, this.clock.wallMs()));
    const size = opts.readBytes ?? READ_BYTES;
    this.ctx = {
      maxLineBytes: opts.maxLineBytes, consumer: opts.consumer, events: opts.events, fs: this.fs,
      bufs: opts.readBuffers ?? [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)],
      progress: () => { this.touch(); this.reportLag(); return this.saver.save(false); },
      stopping: () => this.loop.stopped,
    };
    const waker: Waker = opts.waker ?? timerWaker;
    this.loop = new PollLoop(this.clock, waker, () => this.pass(), (err) => this.fail(err, this.st.current?.path ?? this.path),
      () => backoffMs(opts.pollIntervalMs, this.upState === false ? this.missing : 0));
  }

  /** Loads the checkpoint, positions the reader, reports the lag on disk, starts the watch and the poll loop. */
  async start(): Promise<void> {
    this.st = await startup(this, this.store, this.st, this.clock.wallMs());
    // Durable at once: a crash before the first periodic checkpoint must not turn backups made
    // meanwhile into "present before the first start" (which are skipped).
    await this.saver.save(true);
    await this.updateLag();
    if (this.opts.watch) this.watch = await DirWatch.start(this.path, this.scanner, () => this.loop.kick(), this.log);
    this.loop.start();
  }

  /** Stops the loop, writes the final checkpoint, closes files and the watch. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.saver.save(true);
    await this.watch?.close();
    await this.st.current?.close();
  }

  /** Writes a checkpoint now (after any write in progress); rejects when it fails. */
  commit(): Promise<void> {
    return this.saver.commit();
  }

  /** Bytes written but not yet read, as of the last poll. */
  lagBytes(): number {
    return this.lag;
  }

  /** Reports readability of the live path (on change only). */
  setUp(ok: boolean): void {
    this.missing = ok ? 0 : this.missing + 1;
    if (this.upState === ok) return;
    this.upState = ok;
    this.events.up(ok);
  }

  /** Marks that positions or counters changed since the last checkpoint. */
  touch(): void {
    this.saver.dirty = true;
  }

  /** Logs a failure (rate-limited) and reports it. */
  fail(err: unknown, path: string): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.events.readError(e, path);
    this.log.limited(`err:${(e as NodeJS.ErrnoException).code ?? e.message}`, 'warn', 'audit log read failed', { path, error: e.message, reason: errorReason(e) });
  }

  /** One poll: read everything available, following generations in order, at most a bounded amount per step. */
  private async pass(): Promise<void> {
    for (let guard = 0; guard < 10_000 && !this.loop.stopped; guard++) {
      if (this.st.resume) {
        this.st = await resume(this, this.st);
        if (this.st.resume) break;
      }
      if (!this.st.current) this.st = await advance(this, this.st);
      const cur = this.st.current;
      if (!cur) break;
      // Check the content before reading on: a file refilled past our offset must not be read as a continuation.
      if (this.st.live && cur instanceof Generation && !(await cur.contentUnchanged())) {
        this.st = await handleTruncation(this, this.st, cur);
        continue;
      }
      if ((await cur.drain()) > 0) this.touch();
      if (this.loop.stopped) break;
      if (cur instanceof GzGeneration) {
        if (cur.vanished) this.gzVanished(cur);
        else if (!cur.complete) break;
        else await this.finishCurrent();
      } else if (!cur.atEof) {
        continue; // byte budget spent: recheck the path, then read on
      } else if (!this.st.live) {
        await this.finishCurrent();
      } else if (!(await this.liveChanged(cur)) && !(await this.readSideBackup(cur))) {
        break;
      }
    }
    await this.updateLag();
    await this.saver.save(false);
  }

  /** Ends the current generation: final partial line, mark done, close, count the rotation. */
  private async finishCurrent(): Promise<void> {
    const cur = this.st.current!;
    cur.finish();
    this.log.debug('generation finished', { path: cur.path, fingerprint: cur.fingerprint, bytes: cur.committed(), copy: this.st.copy });
    const done = new Set(this.st.done);
    if (cur.fingerprint !== null) done.add(cur.fingerprint);
    await cur.close();
    if (!this.st.copy) this.events.rotated();
    this.st = { ...this.st, current: null, live: false, copy: false, done };
    this.touch();
  }

  /**
   * At the end of the live file: a backup that is neither read nor the live generation's own copy
   * holds lines never seen (e.g. copied by copytruncate before the first read of a new file). It is
   * read whole now, without checkpoints in between, so a crash cannot record half of it. True if one was read.
   */
  private async readSideBackup(cur: Generation): Promise<boolean> {
    const snap = await this.scanner.snapshot();
    this.cands = snap.cands;
    this.listingsSeen = this.scanner.listings;
    const done = new Set(this.st.done);
    if (cur.fingerprint !== null) done.add(cur.fingerprint);
    // The live generation itself may show up as a backup (renamed since the last stat): never read it twice.
    const next = planNext(snap.cands.filter((c) => !cur.is(c.id)), done, this.st.lost);
    if (next === 'live') return false;
    const side = await openCandidate({ ...this.ctx, progress: () => Promise.resolve() }, next.cand, next.offset).catch(() => null);
    if (!side) return false;
    do await side.drain(); while (side instanceof Generation && !side.atEof && !this.loop.stopped);
    const complete = side instanceof GzGeneration ? side.complete : side.atEof;
    if (!complete) { await side.close(); return false; }
    side.finish();
    await side.close();
    this.log.info('read a backup that appeared beside the live file', { path: next.cand.path, offset: next.offset });
    const lost = this.st.lost.filter((l) => l.fingerprint !== next.cand.fingerprint);
    this.st = { ...this.st, done: new Set([...this.st.done, next.cand.fingerprint!]), lost };
    this.touch();
    return true;
  }

  /** A `.gz` backup removed before it was read to the end: its rest is lost (amount unknown: sizes are compressed). */
  private gzVanished(cur: GzGeneration): void {
    this.events.fileLost(null, cur.path);
    this.log.warn('rotated audit log removed before it was read', { path: cur.path, offset: cur.committed(), unreadBytes: 'unknown' });
    const done = new Set(this.st.done);
    done.add(cur.fingerprint);
    this.st = { ...this.st, current: null, live: false, copy: false, done };
    this.touch();
  }

  /**
   * After draining the live generation: whether it stopped being the live file (rotated, deleted
   * or replaced by something else). When it did, it is finished so the next step reads the successor.
   */
  private async liveChanged(cur: Generation): Promise<boolean> {
    let st;
    try {
      st = await this.fs.stat(this.path);
    } catch (err) {
      this.setUp(false);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') { this.fail(err, this.path); return false; }
      if ((await cur.links()) > 0) return false; // renamed; the new file is not there yet
      await this.finishCurrent(); // deleted: drained, settle the partial line, release the space
      return true;
    }
    if (st.kind !== 'file' || !cur.is(st)) {
      await cur.drain();
      if (!cur.atEof) return true; // more to read first: the next step drains on
      this.st = { ...this.st, live: false };
      await this.finishCurrent();
      return true;
    }
    this.setUp(true);
    return false;
  }

  /**
   * Reports the bytes on disk not read yet. The directory is listed again unless the live file
   * is current and was just checked (then only its size can have changed, and it is known).
   */
  private async updateLag(): Promise<void> {
    const cur = this.st.current;
    if (!(cur instanceof Generation && this.st.live && this.scanner.listings === this.listingsSeen)) {
      this.cands = (await this.scanner.snapshot()).cands;
    }
    this.listingsSeen = this.scanner.listings;
    this.reportLag();
  }

  private reportLag(): void {
    const cur = this.st.current;
    const info = cur ? { size: cur instanceof Generation ? cur.size : cur.fed, fed: cur.fed, live: this.st.live } : null;
    this.lag = lagBytes(info, this.cands, this.st.done, cur?.fingerprint ?? null);
    this.events.lag(this.lag);
  }
}
