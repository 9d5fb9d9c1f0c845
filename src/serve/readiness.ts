/** Readiness: whether the daemon currently sees what it watches, with the reasons when it does not (`/readyz`). */
import type { TailEvents } from '../tail/types.js';

/** One reason the daemon is not ready. */
export interface NotReadyReason {
  /** `audit_unreadable`, `checkpoint_failing` or `input_never_succeeded`. */
  reason: 'audit_unreadable' | 'checkpoint_failing' | 'input_never_succeeded';
  /** One line for the operator. */
  message: string;
  /** The side input concerned (`input_never_succeeded`). */
  input?: string;
  /** Seconds the condition has lasted. */
  seconds?: number;
}

/** The `/readyz` answer. */
export interface ReadyStatus { ready: boolean; reasons: NotReadyReason[] }

/** Readiness settings. */
export interface ReadinessOptions {
  /** The audit log may be unreadable this long (one poll interval) before the daemon is not ready. */
  graceMs: number;
  /** False when no audit file is tailed (webhook-only): then there is no file to be blind to. Default true. */
  auditFile?: boolean;
  /** Monotonic-enough milliseconds (tests inject a stepped clock). */
  now?: () => number;
}

/** Collects the blind-state signals (audit readability, checkpoint writes, side inputs) and answers readiness. */
export class Readiness {
  private unreadableSince: number | undefined;
  private unreadableWhy = 'not yet opened';
  private checkpointError: { since: number; error: string } | undefined;
  private readonly inputs = new Map<string, boolean>();
  private readonly now: () => number;

  constructor(private readonly opts: ReadinessOptions) {
    this.now = opts.now ?? Date.now;
    this.unreadableSince = opts.auditFile === false ? undefined : this.now();
  }

  /** The audit log became readable (true) or unreadable (false). */
  audit(readable: boolean): void {
    if (readable) this.unreadableSince = undefined;
    else this.unreadableSince ??= this.now();
  }

  /** The latest error reading the audit log (shown while it is unreadable). */
  auditError(why: string): void {
    this.unreadableWhy = why;
  }

  /** A checkpoint write succeeded (no error) or failed. */
  checkpoint(error?: string): void {
    if (error === undefined) { this.checkpointError = undefined; return; }
    this.checkpointError = { since: this.checkpointError?.since ?? this.now(), error };
  }

  /** An enabled side input the daemon runs; not ready until its first success. */
  expectInput(name: string): void {
    if (!this.inputs.has(name)) this.inputs.set(name, false);
  }

  /** A run of side input `name` ended. */
  inputResult(name: string, ok: boolean): void {
    if (ok) this.inputs.set(name, true);
    else if (!this.inputs.has(name)) this.inputs.set(name, false);
  }

  /** Current readiness and every reason against it. */
  status(): ReadyStatus {
    const t = this.now();
    const reasons: NotReadyReason[] = [];
    if (this.unreadableSince !== undefined && t - this.unreadableSince > this.opts.graceMs) {
      reasons.push({ reason: 'audit_unreadable', message: `audit log unreadable: ${this.unreadableWhy}`, seconds: (t - this.unreadableSince) / 1000 });
    }
    if (this.checkpointError) {
      reasons.push({ reason: 'checkpoint_failing', message: `checkpoint cannot be written: ${this.checkpointError.error}`, seconds: (t - this.checkpointError.since) / 1000 });
    }
    for (const [input, ok] of this.inputs) {
      if (!ok) reasons.push({ reason: 'input_never_succeeded', input, message: `side input ${input} has never succeeded` });
    }
    return { ready: reasons.length === 0, reasons };
  }
}

/** Forwards every tailer event to `events` and tells `r` about readability and checkpoint outcomes. */
export function tapTailEvents(events: TailEvents, r: Readiness): TailEvents {
  return {
    up: (ok) => { r.audit(ok); events.up(ok); },
    bytesRead: (n) => events.bytesRead(n),
    lag: (b) => events.lag(b),
    rotated: () => events.rotated(),
    truncated: () => events.truncated(),
    fileLost: (n, p) => events.fileLost(n, p),
    checkpointWritten: (s) => { r.checkpoint(); events.checkpointWritten(s); },
    checkpointFailed: (err) => { r.checkpoint(err.message); events.checkpointFailed?.(err); },
    readError: (err, p) => { r.auditError(err.message); events.readError(err, p); },
  };
}
