/** Structured logging: one JSON object per line on stderr, with per-key rate limiting. */

export type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger writing JSON lines to a sink (stderr by default). */
export class Logger {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly fields: Record<string, unknown> = {},
    private readonly minLevel: Level = 'info',
    private readonly sink: (line: string) => void = (l) => process.stderr.write(l),
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns a logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.fields, ...fields }, this.minLevel, this.sink, this.now);
  }

  /** Writes one line at `level`. */
  log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    const rec = { ts: new Date(this.now()).toISOString(), level, msg, ...this.fields, ...fields };
    this.sink(`${JSON.stringify(rec)}\n`);
  }

  /** Logs at debug level. */
  debug(msg: string, fields?: Record<string, unknown>): void { this.log('debug', msg, fields); }
  /** Logs at info level. */
  info(msg: string, fields?: Record<string, unknown>): void { this.log('info', msg, fields); }
  /** Logs at warn level. */
  warn(msg: string, fields?: Record<string, unknown>): void { this.log('warn', msg, fields); }
  /** Logs at error level. */
  error(msg: string, fields?: Record<string, unknown>): void { this.log('error', msg, fields); }

  /**
   * Logs at most once per `intervalMs` for `key`; the next line that gets through reports
   * how many were suppressed meanwhile.
   */
  limited(key: string, level: Level, msg: string, fields: Record<string, unknown> = {}, intervalMs = 60_000): void {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev && t - prev.at < intervalMs) {
      prev.suppressed++;
      return;
    }
    const suppressed = prev?.suppressed ?? 0;
    this.last.set(key, { at: t, suppressed: 0 });
    this.log(level, msg, suppressed > 0 ? { ...fields, suppressed } : fields);
  }
}

/** A logger that discards everything, for tests and quiet commands. */
export const silentLogger = new Logger({}, 'error', () => undefined);
