/** Contracts between the tailer, the line consumer (the analyzer) and self-metrics. */

/** Receives complete lines from the tailer, in file order. */
export interface LineConsumer {
  /** One complete line `buf[start, end)` without its trailing `\n` (a trailing `\r` may remain). */
  line(buf: Buffer, start: number, end: number): void;
  /** A line longer than `audit.maxLineBytes` was skipped up to its newline. */
  tooLong(): void;
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
  /** A rotated file vanished before it was fully read. */
  fileLost(unreadBytes: number, path: string): void;
  /** A checkpoint was written at `unixSeconds`. */
  checkpointWritten(unixSeconds: number): void;
  /** Writing a checkpoint failed (unwritable or full `state.dir`). */
  checkpointFailed?(err: Error): void;
  /** A read, stat or open failed. */
  readError(err: Error, path: string): void;
}
