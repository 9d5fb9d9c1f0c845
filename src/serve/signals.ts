/** Signal policy of `serve`: stop cleanly, reload on SIGHUP, never open the inspector, never die unlogged. */
import { constants } from 'node:os';
import type { Logger } from '../log.js';

/** SIGTERM and SIGINT: the normal way to stop (exit 0 after a final checkpoint). */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Signals whose default action would kill the process without a word or a checkpoint. They are
 * logged and end the daemon like SIGTERM, but with exit code 128+n (an unexpected exit).
 */
export const FATAL_SIGNALS = ['SIGUSR2', 'SIGALRM', 'SIGQUIT', 'SIGVTALRM', 'SIGPROF', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGIO', 'SIGSTKFLT'] as const;

/** What the daemon does on signals. */
export interface SignalActions {
  /** Stop with a final checkpoint, then exit with `exitCode`. */
  stop(signal: string, exitCode: number): void;
  /** Re-read the configuration file. */
  reload(): void;
}

/** Exit code for a signal that ended the daemon: 0 for SIGTERM/SIGINT, else 128 + its number. */
export function exitCodeFor(signal: string): number {
  if ((STOP_SIGNALS as readonly string[]).includes(signal)) return 0;
  const n = (constants.signals as Record<string, number | undefined>)[signal];
  return n === undefined ? 1 : 128 + n;
}

/** Installs every handler; returns a function removing them. */
export function installSignals(actions: SignalActions, log: Logger): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  const on = (signal: string, fn: () => void): void => {
    if (!(signal in constants.signals)) return;
    try {
      process.on(signal as NodeJS.Signals, fn);
      installed.push([signal as NodeJS.Signals, fn]);
    } catch { /* not supported on this platform */ }
  };
  for (const s of STOP_SIGNALS) on(s, () => actions.stop(s, 0));
  for (const s of FATAL_SIGNALS) {
    on(s, () => {
      log.warn('terminating on an unexpected signal; writing a final checkpoint', { signal: s });
      actions.stop(s, exitCodeFor(s));
    });
  }
  on('SIGHUP', () => { log.info('SIGHUP: reloading the configuration'); actions.reload(); });
  // A listener replaces Node's default SIGUSR1 action (starting the inspector on 127.0.0.1:9229,
  // unauthenticated code execution inside the daemon).
  on('SIGUSR1', () => log.warn('SIGUSR1 ignored: the inspector stays closed'));
  return () => { for (const [s, fn] of installed) process.off(s, fn); };
}
