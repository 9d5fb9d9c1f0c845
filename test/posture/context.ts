/** A daemon context for posture tests: private registry, captured logs, collected observers. */
import type { Registry } from 'prom-client';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { Logger } from '../../src/log.js';
import { CollectorMetrics, createRegistry } from '../../src/metrics/registry.js';
import type { AuditObserver, DaemonContext } from '../../src/serve/types.js';

/** The context plus what tests inspect. */
export interface TestContext extends DaemonContext {
  observers: AuditObserver[];
  logs: Record<string, unknown>[];
}

/** Builds a context around `config` (default configuration when omitted). */
export function testContext(config: Config = defaultConfig()): TestContext {
  const registry = createRegistry();
  const logs: Record<string, unknown>[] = [];
  const observers: AuditObserver[] = [];
  return {
    config, registry, observers, logs,
    log: new Logger({}, 'debug', (l) => { logs.push(JSON.parse(l) as Record<string, unknown>); }),
    collectors: new CollectorMetrics(registry),
    observe: (o) => { observers.push(o); },
  };
}

/** The value of one sample, or undefined when the series is absent. */
export async function sample(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const family = (await registry.getMetricsAsJSON()).find((m) => m.name === name || name.startsWith(`${m.name}_`));
  if (!family) return undefined;
  const hit = (family.values as { value: number; labels: Record<string, unknown>; metricName?: string }[]).find((v) =>
    (v.metricName ?? family.name) === name && Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x) && Object.keys(v.labels).filter((k) => k !== 'le').length === Object.keys(labels).length);
  return hit?.value;
}
