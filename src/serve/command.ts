/** `serve`: the daemon entry point, with clean shutdown on SIGTERM/SIGINT. */
import { helpText, prepare } from '../config/cli.js';
import { Logger } from '../log.js';
import { startDaemon } from './daemon.js';

const HELP = helpText('k8s-anon-exporter serve [--config FILE] [--key.name=value ...]', []);

/** Entry point of `serve`. */
export async function run(argv: string[]): Promise<number> {
  const p = prepare(argv, HELP);
  if ('exit' in p) return p.exit;
  const log = new Logger({}, p.config.log.level);
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  try {
    daemon = await startDaemon(p.config, log);
  } catch (e) {
    log.error('failed to start', { error: (e as Error).message });
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal });
      daemon.stop().then(() => resolve(0), (e: unknown) => { log.error('shutdown failed', { error: String(e) }); resolve(1); });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
