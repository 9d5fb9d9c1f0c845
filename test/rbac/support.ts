/** Shared test support for the RBAC tests: fixtures, a daemon context, and bounded polling. */
import { matchGolden as match } from '../helpers/golden.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Registry } from 'prom-client';
import { defaultConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { Logger } from '../../src/log.js';
import { CollectorMetrics } from '../../src/metrics/registry.js';
import type { AuditObserver, DaemonContext } from '../../src/serve/types.js';
import type { FakeKube, FakeResource } from '../helpers/fake-kube.js';

/** Repository root, resolved from this file. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'rbac');

/** One fixture object with the resource it belongs to. */
export interface FixtureObject { resource: FakeResource; obj: { metadata: { name: string; namespace?: string } } & Record<string, unknown> }

/** Loads a multi-document fixture file (`resource:` key names the plural resource). */
export function loadFixture(name: string): FixtureObject[] {
  return parseAllDocuments(readFileSync(join(FIXTURES, name), 'utf8')).map((d) => {
    const { resource, ...obj } = d.toJS() as { resource: FakeResource } & FixtureObject['obj'];
    return { resource, obj };
  });
}

/** Applies every object of a fixture file to the fake server. */
export function applyFixture(kube: FakeKube, name: string): void {
  for (const { resource, obj } of loadFixture(name)) kube.apply(resource, obj);
}

/** A daemon context with its own registry, captured log lines and observers. */
export interface TestContext extends DaemonContext { lines: Record<string, unknown>[]; observers: AuditObserver[] }

/** Builds a daemon context whose logs are captured as parsed JSON objects. */
export function testContext(rbac: Partial<Config['rbac']> = {}): TestContext {
  const config = defaultConfig();
  Object.assign(config.rbac, rbac);
  const registry = new Registry();
  const lines: Record<string, unknown>[] = [];
  const observers: AuditObserver[] = [];
  const log = new Logger({}, 'debug', (l) => { lines.push(JSON.parse(l) as Record<string, unknown>); });
  return { config, registry, log, collectors: new CollectorMetrics(registry), observe: (o) => { observers.push(o); }, lines, observers };
}

/** Polls `cond` every 10 ms until it holds or `ms` elapse (for waiting on the real client). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The RBAC lines of the exposition text (collector self-metrics excluded: their durations vary). */
export async function rbacExposition(registry: Registry): Promise<string> {
  const text = await registry.metrics();
  return text.split('\n').filter((l) => /^(# (HELP|TYPE) )?k8s_anon_rbac_/.test(l)).join('\n') + '\n';
}

/** Manual timers: callbacks run only when the test fires them (backoff and re-list windows without sleeping). */
export class ManualTimers {
  private readonly pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  /** Schedules `fn`; it runs on `fire()`. */
  set(fn: () => void, ms: number): unknown { const id = this.next++; this.pending.set(id, { fn, ms }); return id; }
  /** Cancels a scheduled callback. */
  clear(h: unknown): void { this.pending.delete(h as number); }
  /** Delays of the scheduled callbacks, in scheduling order. */
  get delays(): number[] { return [...this.pending.values()].map((p) => p.ms); }
  /** Runs every scheduled callback once. */
  fire(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const p of due) p.fn();
  }
}

/** Compares `actual` with `test/golden/rbac/<name>`, rewriting it when UPDATE_GOLDEN=1. */
export function matchGolden(name: string, actual: string): void {
  match('rbac', name, actual);
}
