/** The daemon: analyzer + tailer + side inputs + HTTP, wired from the configuration. */
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { Analyzer } from '../audit/analyzer.js';
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import { registerAuditMetrics } from '../metrics/audit.js';
import { CollectorMetrics, createRegistry } from '../metrics/registry.js';
import { TailMetrics, combineState } from '../metrics/tail.js';
import { createPostureInputs } from '../posture/index.js';
import { LockdownWindow } from '../lockdown/metrics.js';
import { createRbacInputs } from '../rbac/index.js';
import { createTailer, type Tailer } from '../tail/index.js';
import { startHttp } from './http.js';
import { Readiness, tapTailEvents } from './readiness.js';
import { daemonWebhook, noTailer } from '../webhook/wiring.js';
import { loadWebConfig } from '../web/config.js';
import type { AuditObserver, DaemonContext, SideInput } from './types.js';

/** A running daemon. */
export interface Daemon {
  registry: Registry;
  analyzer: Analyzer;
  tailer: Tailer;
  server: Server;
  inputs: SideInput[];
  readiness: Readiness;
  /** Applies the reloadable keys `keys` of `next` to the running daemon. */
  apply(next: Config, keys: readonly string[]): void;
  /** Stops everything, writing a final checkpoint. */
  stop(): Promise<void>;
}

async function startInputs(inputs: SideInput[], log: Logger): Promise<void> {
  for (const input of inputs) {
    try { await input.start(); } catch (e) { log.error('side input failed to start', { input: input.name, error: String(e) }); }
  }
}

/** Starts the daemon; resolves once `/metrics` is listening and the tailer has started. */
export async function startDaemon(config: Config, log: Logger): Promise<Daemon> {
  const registry = createRegistry(true);
  const collectors = new CollectorMetrics(registry);
  const fileOn = config.audit.path !== '';
  const readiness = new Readiness({ graceMs: config.audit.pollIntervalMs, auditFile: fileOn });
  collectors.onRecord((name, ok) => readiness.inputResult(name, ok));
  const observers: AuditObserver[] = [];
  const analyzer = new Analyzer({
    sourceClasses: config.sources.classes, sourceAddress: config.sources.address, maxSourceSeries: config.sources.maxSeries,
    sourceWindowSeconds: config.sources.windowSeconds, gapThresholdSeconds: config.gaps.thresholdSeconds, observers,
    detail: new LockdownWindow(registry, config.lockdown.windowSeconds),
  });
  registerAuditMetrics(registry, analyzer);
  const tailMetrics = fileOn ? new TailMetrics(registry) : null;
  const ctx: DaemonContext = { config, registry, log, collectors, observe: (o) => { observers.push(o); } };
  const inputs = [...createRbacInputs(ctx), ...createPostureInputs(ctx)];
  for (const i of inputs) { collectors.expect(i.name); readiness.expectInput(i.name); }
  const webhook = daemonWebhook(config, registry, analyzer, log);
  const state = combineState({ analyzer, ...(tailMetrics ? { tail: tailMetrics } : {}), ...webhook.sections });
  const tailer = tailMetrics === null ? noTailer : createTailer({
    path: config.audit.path, startAt: config.audit.startAt, maxLineBytes: config.audit.maxLineBytes,
    pollIntervalMs: config.audit.pollIntervalMs, watch: config.audit.watch, stateDir: config.state.dir,
    consumer: analyzer, readBuffers: analyzer.readBuffers(), state, events: tapTailEvents(tailMetrics, readiness), log: log.child({ component: 'tailer' }),
  });
  const web = { config: loadWebConfig(config.web.config), log: log.child({ component: 'web' }) };
  const server = await startHttp(config.web.listen, registry, () => ({ ok: true, detail: { lagBytes: tailer.lagBytes() } }), undefined, () => readiness.status(), web);
  await tailer.start();
  await webhook.start(fileOn ? tailer : null, state);
  await startInputs(inputs, log);
  const bound = server.address();
  const listen = bound && typeof bound === 'object' ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}` : config.web.listen;
  log.info('serving', { listen, auditPath: config.audit.path, inputs: inputs.map((i) => i.name) });
  const apply = (next: Config, keys: readonly string[]): void => {
    if (keys.includes('sources.classes')) config.sources.classes = next.sources.classes;
    if (keys.includes('sources.maxSeries')) config.sources.maxSeries = next.sources.maxSeries;
    if (keys.includes('gaps.thresholdSeconds')) config.gaps.thresholdSeconds = next.gaps.thresholdSeconds;
    analyzer.reconfigure({ sourceClasses: config.sources.classes, maxSourceSeries: config.sources.maxSeries, gapThresholdSeconds: config.gaps.thresholdSeconds });
  };
  const stop = async (): Promise<void> => {
    for (const i of inputs) await i.stop().catch((e: unknown) => log.warn('side input stop failed', { input: i.name, error: String(e) }));
    await webhook.stop();
    await tailer.stop();
    const closed = new Promise<void>((res) => server.close(() => res()));
    server.closeAllConnections();
    await closed;
  };
  return { registry, analyzer, tailer, server, inputs, readiness, apply, stop };
}
