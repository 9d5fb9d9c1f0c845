/** `serve`: the daemon entry point, with signal handling from the first moment (see `signals.ts`). */
import { helpText, prepare } from '../config/cli.js';
import { Logger } from '../log.js';
import { startDaemon, type Daemon } from './daemon.js';
import { reloadConfig } from './reload.js';
import { installSignals } from './signals.js';

const HELP = helpText('k8s-anon-exporter serve [--config FILE] [--key.name=value ...]', []);

/** Entry point of `serve`. */
export async function run(argv: string[]): Promise<number> {
  const p = prepare(argv, HELP);
  if ('exit' in p) return p.exit;
  const log = new Logger({}, p.config.log.level);
  const cfgOpt = p.args.options.get('config');
  const configPath = typeof cfgOpt === 'string' ? cfgOpt : undefined;
  // Signals are handled from the start: a SIGTERM during start-up still ends with a final checkpoint.
  let daemon: Daemon | undefined;
  let stopping: { signal: string; code: number } | undefined;
  let reloadPending = false;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => { finish = resolve; });
  const shutdown = (d: Daemon, signal: string, code: number): void => {
    log.info('shutting down', { signal });
    d.stop().then(() => finish(code), (e: unknown) => { log.error('shutdown failed', { error: String(e) }); finish(1); });
  };
  const reload = (d: Daemon): void => {
    const r = reloadConfig(p.config, configPath, p.args.overrides, log);
    if (r.ok) d.apply(r.config, r.applied);
  };
  const uninstall = installSignals({
    stop: (signal, code) => {
      if (stopping) return;
      stopping = { signal, code };
      if (daemon) shutdown(daemon, signal, code);
    },
    reload: () => { if (daemon && !stopping) reload(daemon); else reloadPending = true; },
  }, log);
  try {
    daemon = await startDaemon(p.config, log);
  } catch (e) {
    log.error('failed to start', { error: (e as Error).message });
    uninstall();
    return 1;
  }
  if (stopping) shutdown(daemon, stopping.signal, stopping.code);
  else if (reloadPending) reload(daemon);
  const code = await done;
  uninstall();
  return code;
}
