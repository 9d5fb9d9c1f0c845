/** Tailer self-metrics (SPEC §5, audit-log health); their counters are part of the checkpoint. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { READ_ERROR_REASONS, type StateProvider, type TailEvents } from '../tail/types.js';
import { errorReason } from '../tail/fs.js';

/** Snapshot of the tailer counters stored in the checkpoint. */
export interface TailMetricsState {
  bytesRead: number;
  rotations: number;
  truncations: number;
  filesLost: number;
  checkpointSeconds: number;
}

/** Implements `TailEvents` as Prometheus metrics and `StateProvider` so the counters survive restarts. */
export class TailMetrics implements TailEvents, StateProvider {
  private readonly upGauge: Gauge;
  private readonly bytes: Counter;
  private lagGauge: Gauge | null = null;
  private readonly registry: Registry;
  private readonly rotations: Counter;
  private readonly truncations: Counter;
  private readonly lost: Counter;
  private readonly checkpointTs: Gauge;
  private readonly readErrorsTotal: Counter<'reason'>;
  private readonly checkpointErrors: Counter;
  private readonly s: TailMetricsState = { bytesRead: 0, rotations: 0, truncations: 0, filesLost: 0, checkpointSeconds: 0 };
  /** Read errors since start. */
  readErrors = 0;

  constructor(registry: Registry) {
    const registers = [registry];
    this.upGauge = new Gauge({ name: 'k8s_anon_audit_up', help: 'Whether the audit log file is readable (1) or not (0).', registers });
    this.bytes = new Counter({ name: 'k8s_anon_audit_bytes_read_total', help: 'Bytes of the audit log read and processed.', registers });
    this.registry = registry;
    this.rotations = new Counter({ name: 'k8s_anon_audit_rotations_total', help: 'Audit log generations finished because the file was rotated or replaced.', registers });
    this.truncations = new Counter({ name: 'k8s_anon_audit_truncations_total', help: 'Audit log truncations in place (copytruncate).', registers });
    this.lost = new Counter({ name: 'k8s_anon_audit_files_lost_total', help: 'Rotated audit log files removed before they were fully read.', registers });
    this.checkpointTs = new Gauge({ name: 'k8s_anon_audit_checkpoint_timestamp_seconds', help: 'Unix time of the last checkpoint written.', registers });
    this.readErrorsTotal = new Counter({ name: 'k8s_anon_audit_read_errors_total', help: 'Failed attempts to open, stat or read the audit log, by reason.', labelNames: ['reason'], registers });
    this.checkpointErrors = new Counter({ name: 'k8s_anon_checkpoint_write_errors_total', help: 'Checkpoint writes that failed (unwritable or full state.dir).', registers });
    for (const reason of READ_ERROR_REASONS) this.readErrorsTotal.inc({ reason }, 0);
    this.upGauge.set(0);
  }

  /** Sets `k8s_anon_audit_up`. */
  up(ok: boolean): void { this.upGauge.set(ok ? 1 : 0); }
  /** Adds to `k8s_anon_audit_bytes_read_total`. */
  bytesRead(n: number): void { this.s.bytesRead += n; this.bytes.inc(n); }
  /** Sets `k8s_anon_audit_lag_bytes` (absent until the tailer first measured it: unknown is not 0). */
  lag(bytes: number): void {
    this.lagGauge ??= new Gauge({ name: 'k8s_anon_audit_lag_bytes', help: 'Bytes written to the audit log (live file and unread backups) but not yet read.', registers: [this.registry] });
    this.lagGauge.set(bytes);
  }
  /** Increments `k8s_anon_audit_rotations_total`. */
  rotated(): void { this.s.rotations++; this.rotations.inc(); }
  /** Increments `k8s_anon_audit_truncations_total`. */
  truncated(): void { this.s.truncations++; this.truncations.inc(); }
  /** Increments `k8s_anon_audit_files_lost_total`. */
  fileLost(_unreadBytes: number | null, _path: string): void { this.s.filesLost++; this.lost.inc(); }
  /** Sets `k8s_anon_audit_checkpoint_timestamp_seconds`. */
  checkpointWritten(unixSeconds: number): void { this.s.checkpointSeconds = unixSeconds; this.checkpointTs.set(unixSeconds); }
  /** Increments `k8s_anon_audit_read_errors_total{reason}` (the tailer logs the error). */
  readError(err: Error, _path: string): void { this.readErrors++; this.readErrorsTotal.inc({ reason: errorReason(err) }); }
  /** Increments `k8s_anon_checkpoint_write_errors_total`. */
  checkpointFailed(_err: Error): void { this.checkpointErrors.inc(); }

  /** The counter values. */
  snapshot(): TailMetricsState {
    return { ...this.s };
  }

  /** Restores counter values from a checkpoint; ignores fields of the wrong type. */
  restore(state: unknown): void {
    if (state === null || typeof state !== 'object') throw new Error('tail metrics state is not an object');
    const v = state as Partial<Record<keyof TailMetricsState, unknown>>;
    const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
    this.set(this.bytes, 'bytesRead', num(v.bytesRead));
    this.set(this.rotations, 'rotations', num(v.rotations));
    this.set(this.truncations, 'truncations', num(v.truncations));
    this.set(this.lost, 'filesLost', num(v.filesLost));
    this.s.checkpointSeconds = num(v.checkpointSeconds);
    if (this.s.checkpointSeconds > 0) this.checkpointTs.set(this.s.checkpointSeconds);
  }

  private set(c: Counter, key: 'bytesRead' | 'rotations' | 'truncations' | 'filesLost', value: number): void {
    c.reset();
    if (value > 0) c.inc(value);
    this.s[key] = value;
  }
}

/** Combines several state providers under named keys into one, for the checkpoint. */
export function combineState(parts: Record<string, StateProvider>): StateProvider {
  return {
    snapshot: () => Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p.snapshot()])),
    restore: (state: unknown) => {
      if (state === null || typeof state !== 'object') throw new Error('checkpoint state is not an object');
      const s = state as Record<string, unknown>;
      for (const [k, p] of Object.entries(parts)) if (k in s) p.restore(s[k]);
    },
  };
}
