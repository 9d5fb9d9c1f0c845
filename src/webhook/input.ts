/** The webhook input: metrics, checkpoint section, acknowledger and endpoint, wired from the configuration. */
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import type { StateProvider } from '../tail/types.js';
import { Acker } from './ack.js';
import { loadTls, loadToken } from './auth.js';
import type { Durable } from './commit.js';
import { parseListen } from './config.js';
import { feedItems, type EventSink } from './eventlist.js';
import { WebhookMetrics } from './metrics.js';
import { startWebhookServer } from './server.js';
import { WebhookState } from './state.js';

/** A webhook input ready to start once the checkpoint is restored and a durability is chosen. */
export interface WebhookInput {
  /** The `webhook` section of the checkpoint. */
  readonly state: StateProvider;
  /** Starts listening; batches are acknowledged after `durable.commit()`. */
  start(durable: Durable): Promise<void>;
  /** Answers 503 to new batches, waits for answers in flight, closes the listener. */
  stop(): Promise<void>;
  /** The listening server (after start). */
  server(): Server | null;
}

/** Creates the input; reads TLS and token files now so that bad paths fail start-up. */
export function createWebhookInput(config: Config, registry: Registry, sink: EventSink, log: Logger): WebhookInput {
  const w = config.webhook;
  const tls = loadTls(w);
  const token = loadToken(w);
  const metrics = new WebhookMetrics(registry);
  const state = new WebhookState(w.digests, () => metrics.counts(), (c) => metrics.restore(c));
  let server: Server | null = null;
  let acker: Acker | null = null;
  return {
    state,
    server: () => server,
    async start(durable) {
      acker = new Acker({ durable, digests: state.digests, apply: (items) => feedItems(items, sink), events: metrics, maxPendingEvents: w.maxPendingEvents });
      const a = acker;
      const { host, port } = parseListen(w.listen as string) as { host: string; port: number };
      if (tls === null) log.warn('webhook input uses plain HTTP (loopback only); set webhook.tls.* for anything else', { listen: w.listen });
      server = await startWebhookServer({
        host, port, path: w.path, tls, token, maxBodyBytes: w.maxBodyBytes, log,
        handle: (body) => a.handle(body), answered: (code, s) => metrics.answered(code, s),
      });
      log.info('webhook input listening', { listen: w.listen, path: w.path, tls: tls !== null, clientCerts: tls?.ca !== undefined, token: token !== null });
    },
    async stop() {
      acker?.stop();
      const s = server;
      if (s === null) return;
      // Answers in flight finish (503 for new batches); a client that holds a connection open is cut after 5 s.
      const cut = setTimeout(() => s.closeAllConnections(), 5000);
      cut.unref();
      await new Promise<void>((res) => { s.close(() => res()); s.closeIdleConnections(); });
      clearTimeout(cut);
    },
  };
}
