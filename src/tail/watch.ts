/** Directory watch (chokidar v5) whose events only hint that a poll is worth doing now. */
import { basename, dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../log.js';
import type { Scanner } from './scan.js';

/** Watches the log's directory (depth 0, relevant names only) and calls `hint` on any event. */
export class DirWatch {
  private constructor(private readonly watcher: FSWatcher) {}

  /** Starts watching; on failure logs once and returns null (the stat poll still runs). */
  static async start(livePath: string, scanner: Scanner, hint: () => void, log: Logger): Promise<DirWatch | null> {
    const dir = dirname(livePath);
    try {
      const watcher = watch(dir, {
        depth: 0,
        ignoreInitial: true,
        persistent: false,
        ignored: (p: string) => p !== dir && !scanner.relevant(basename(p)),
      });
      watcher.on('all', () => hint());
      watcher.on('error', (err) => {
        log.limited('watch-error', 'warn', 'directory watch failed; relying on the stat poll', { dir, error: String(err) });
      });
      return new DirWatch(watcher);
    } catch (err) {
      log.warn('directory watch unavailable; relying on the stat poll', { dir, error: (err as Error).message });
      return null;
    }
  }

  /** Stops watching. */
  async close(): Promise<void> {
    await this.watcher.close();
  }
}
