/** Contracts between the tailer, the line consumer (the analyzer) and self-metrics. */

/** Receives complete lines from the tailer, in file order. */
export interface LineConsumer {
  /** One complete line `buf[start, end)` without its trailing `\n` (a trailing `\r` may remain). */
  line(buf: Buffer, start: number, end: number): void;
  /** A line longer than `audit.maxLineBytes` was skipped up to its newline. */
  tooLong(): void;
  /**
   * Optional: every complete line of `buf[start, end)` at once (`end - 1` is a newline), lines longer
   * than `maxLineBytes` as `tooLong()`; the same as calling `line` for each, in order.
   */
  block?(buf: Buffer, start: number, end: number, maxLineBytes: number): void;
}

/** Counter state the checkpoint stores atomically with the read positions. */
export interface StateProvider {
  /** A JSON-serialisable snapshot of every counter and histogram, taken between lines. */
  snapshot(): unknown;
  /** Restores a snapshot taken by `snapshot()` (called once, before the first line). */
  restore(state: unknown): void;
}

/** What happened to the followed files, reported by the tailer; self-metrics implement it. */
export interface TailEvents {
  /** The log became readable (true) or not (false). */
  up(ok: boolean): void;
  /** `n` bytes were read and consumed. */
  bytesRead(n: number): void;
  /** Bytes written but not yet read, across the live file and unread backups. */
  lag(bytes: number): void;
  /** The live file was replaced by a new one (rename+create, delete+create). */
  rotated(): void;
  /** The file shrank or was truncated in place (copytruncate). */
  truncated(): void;
  /** A generation vanished before it was fully read; `unreadBytes` from the last size observed, null when unknown. */
  fileLost(unreadBytes: number | null, path: string): void;
  /** A checkpoint was written at `unixSeconds`. */
  checkpointWritten(unixSeconds: number): void;
  /** A checkpoint write failed (counters and positions are not durable until the next success). */
  checkpointFailed(err: Error): void;
  /** A read, stat or open failed (`err.code` gives the reason: ENOENT, EACCES, ENOTREG...). */
  readError(err: Error, path: string): void;
}

/** Extra named checkpoint sections owned by other inputs, written and restored with the positions. */
export interface SectionProvider {
  /** The sections to store (JSON-serialisable), taken between lines. */
  snapshot(): Record<string, unknown>;
  /** Restores sections from a checkpoint (absent in older checkpoints: called with `{}`). */
  restore(sections: Record<string, unknown>): void;
}

/** The bounded `reason` values of `k8s_anon_audit_read_errors_total`. */
export const READ_ERROR_REASONS = ['enoent', 'eacces', 'not_regular_file', 'other'] as const;

/** One of `READ_ERROR_REASONS`. */
export type ReadErrorReason = (typeof READ_ERROR_REASONS)[number];
