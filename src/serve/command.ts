/** `serve`: the daemon entry point, with clean shutdown on SIGTERM/SIGINT. */
import { prepare, type CommandDef } from '../config/cli.js';
import { Logger } from '../log.js';
import { startDaemon, type Daemon } from './daemon.js';

/** The command line of `serve`. */
export const SERVE: CommandDef = { name: 'serve' };

/** Entry point of `serve`. */
export async function run(argv: string[]): Promise<number> {
  const p = prepare(SERVE, argv);
  if ('exit' in p) return p.exit;
  const log = new Logger({}, p.config.log.level);
  // Signals are handled from the start: a SIGTERM during start-up still ends with a final checkpoint.
  let signalled: ((signal: string) => void) | undefined;
  let pending: string | undefined;
  const onSignal = (signal: string): void => { if (signalled) signalled(signal); else pending ??= signal; };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  let daemon: Daemon;
  try {
    daemon = await startDaemon(p.config, log);
  } catch (e) {
    log.error('failed to start', { error: (e as Error).message });
    return 1;
  }
  return new Promise<number>((resolve) => {
    signalled = (signal) => {
      signalled = () => undefined;
      log.info('shutting down', { signal });
      daemon.stop().then(() => resolve(0), (e: unknown) => { log.error('shutdown failed', { error: String(e) }); resolve(1); });
    };
    if (pending) signalled(pending);
  });
}
