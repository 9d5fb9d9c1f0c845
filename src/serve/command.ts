/** `serve`: the daemon entry point, with signal handling from the first moment (see `signals.ts`). */
import { prepare, type CommandDef, type Prepared } from '../config/cli.js';
import { Logger } from '../log.js';
import { startDaemon, type Daemon } from './daemon.js';
import { reloadConfig } from './reload.js';
import { installSignals } from './signals.js';

/** The command line of `serve`. */
export const SERVE: CommandDef = { name: 'serve' };

/** Signals that arrive while the daemon starts are remembered and acted on once it runs. */
class Lifecycle {
  daemon: Daemon | undefined;
  private stopping: { signal: string; code: number } | undefined;
  private reloadPending = false;
  private finish: (code: number) => void = () => undefined;
  /** Resolves to the exit code once the daemon has stopped. */
  readonly done = new Promise<number>((resolve) => { this.finish = resolve; });

  constructor(private readonly p: Prepared, private readonly log: Logger) {}

  /** A stop signal: stop now, or as soon as the daemon runs. */
  stop(signal: string, code: number): void {
    if (this.stopping) return;
    this.stopping = { signal, code };
    if (this.daemon) this.shutdown(this.daemon);
  }

  /** SIGHUP: reload now, or as soon as the daemon runs. */
  reload(): void {
    if (!this.daemon) { this.reloadPending = true; return; }
    if (this.stopping) return;
    const cfg = this.p.values.config;
    const r = reloadConfig(this.p.config, typeof cfg === 'string' ? cfg : undefined, this.p.overrides, this.log);
    if (r.ok) this.daemon.apply(r.config, r.applied);
  }

  /** The daemon runs: act on what arrived meanwhile. */
  started(d: Daemon): void {
    this.daemon = d;
    if (this.stopping) this.shutdown(d);
    else if (this.reloadPending) this.reload();
  }

  private shutdown(d: Daemon): void {
    const { signal, code } = this.stopping as { signal: string; code: number };
    this.log.info('shutting down', { signal });
    d.stop().then(() => this.finish(code), (e: unknown) => { this.log.error('shutdown failed', { error: String(e) }); this.finish(1); });
  }
}

/** Entry point of `serve`. */
export async function run(argv: string[]): Promise<number> {
  const p = await prepare(SERVE, argv);
  if ('exit' in p) return p.exit;
  const log = new Logger({}, p.config.log.level);
  const life = new Lifecycle(p, log);
  // Signals are handled from the start: a SIGTERM during start-up still ends with a final checkpoint.
  const uninstall = installSignals({ stop: (s, code) => life.stop(s, code), reload: () => life.reload() }, log);
  try {
    life.started(await startDaemon(p.config, log));
  } catch (e) {
    log.error('failed to start', { error: (e as Error).message });
    uninstall();
    return 1;
  }
  const code = await life.done;
  uninstall();
  return code;
}
