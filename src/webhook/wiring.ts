/** How the daemon runs the webhook input beside (or instead of) the file tailer. */
import type { Registry } from 'prom-client';
import type { Analyzer } from '../audit/analyzer.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import type { StateProvider } from '../tail/types.js';
import type { Tailer } from '../tail/index.js';
import { GroupCommit } from './commit.js';
import { webhookEnabled } from './config.js';
import { restoreStandalone, standaloneDurable } from './durable.js';
import { createWebhookInput, type WebhookInput } from './input.js';

/** The webhook input as the daemon sees it: extra checkpoint state, start after the tailer, stop before it. */
export interface DaemonWebhook {
  /** Checkpoint sections to add to the combined state (empty when the input is off). */
  sections: Record<string, StateProvider>;
  /** Starts listening; `tailer` is null when file tailing is off (then the input restores and writes the checkpoint itself). */
  start(tailer: Tailer | null, state: StateProvider): Promise<void>;
  /** Stops the listener and, without a tailer, writes a final checkpoint. */
  stop(): Promise<void>;
  input: WebhookInput | null;
}

/** Creates the daemon's view of the webhook input from the configuration (a no-op when `webhook.listen` is unset). */
export function daemonWebhook(config: Config, registry: Registry, analyzer: Analyzer, log: Logger): DaemonWebhook {
  if (!webhookEnabled(config)) return { sections: {}, input: null, start: async () => undefined, stop: async () => undefined };
  const wlog = log.child({ component: 'webhook' });
  const input = createWebhookInput(config, registry, analyzer, wlog);
  let final: (() => Promise<void>) | null = null;
  return {
    sections: { webhook: input.state },
    input,
    async start(tailer, state) {
      if (tailer !== null) {
        await input.start(new GroupCommit(() => tailer.commit()));
        return;
      }
      await restoreStandalone(config.state.dir, state, wlog);
      const durable = standaloneDurable(config.state.dir, state);
      final = () => durable.commit();
      await input.start(durable);
    },
    async stop() {
      await input.stop();
      await final?.().catch((e: unknown) => wlog.error('final checkpoint failed', { error: String(e) }));
    },
  };
}

/** A stand-in for the tailer when `audit.path` is "" (file tailing off). */
export const noTailer: Tailer = {
  start: async () => undefined, stop: async () => undefined, lagBytes: () => 0, commit: async () => undefined,
};
