/** The RBAC side input: client-node informers feeding the in-memory index, with restart and re-list logic. */
import { makeInformer, type Informer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { DaemonContext, SideInput } from '../inputs/types.js';
import { parseExpected } from './defaults.js';
import { describeFailures, listers, loadKubeConfig, resourcePath, type KubeSource, type ListResult } from './kube.js';
import { registerRbacMetrics } from './metrics.js';
import { RbacIndex, RESOURCES, type RbacSummary, type Resource } from './state.js';
import type { BindingKind } from './types.js';

/** Timer functions, injectable so tests step time instead of sleeping. */
export interface Timers { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void }

/** Tunables of the watcher (defaults suit production; tests shorten them). */
export interface WatcherOptions {
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How long after an audited binding write the watch may take before a forced re-list. */
  confirmWindowMs?: number;
  /** start() resolves after the first round or after this long, whichever comes first (a black-holed API server must not hold up the daemon). */
  startTimeoutMs?: number;
  now?: () => number;
  timers?: Timers;
}

const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms).unref(), clear: (h) => clearTimeout(h as NodeJS.Timeout) };
const KIND_RESOURCE: Record<BindingKind, Resource> = { ClusterRoleBinding: 'clusterrolebindings', RoleBinding: 'rolebindings' };

/** Watches ClusterRoleBindings, RoleBindings, ClusterRoles and Roles and exports the anonymous-binding view. */
export class RbacWatcher implements SideInput {
  readonly name = 'rbac';
  readonly index: RbacIndex;
  private readonly informers = new Map<Resource, Informer<KubernetesObject>>();
  private readonly healthy = new Set<Resource>();
  private readonly failures = new Map<Resource, unknown>();
  private readonly lastEvent: Record<BindingKind, number> = { ClusterRoleBinding: 0, RoleBinding: 0 };
  private readonly lastWrite: Record<BindingKind, number> = { ClusterRoleBinding: 0, RoleBinding: 0 };
  private readonly confirmTimers = new Map<BindingKind, unknown>();
  /** resourceVersion of the last list per resource: objects at or below it came from the list, not the watch. */
  private readonly listedRv = new Map<Resource, number>();
  private lists: Record<Resource, () => Promise<ListResult>> | undefined;
  private server = '';
  private lastSync = 0;
  private backoffMs: number;
  private restartTimer: unknown;
  private inRound = false;
  private stopped = false;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly ctx: DaemonContext, private readonly source: KubeSource | undefined, private readonly opts: WatcherOptions = {}) {
    const { keys, invalid } = parseExpected(ctx.config.rbac.expected);
    if (invalid.length > 0) ctx.log.warn('ignoring malformed rbac.expected entries', { entries: invalid });
    this.index = new RbacIndex(keys);
    this.backoffMs = opts.backoffInitialMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
  }

  /** Current view of anonymous bindings. */
  summary(): RbacSummary { return this.index.summary(); }
  /** True when every informer is listed and watching. */
  up(): boolean { return this.healthy.size === RESOURCES.length && this.failures.size === 0; }

  /** Registers metrics and the audit observer, then starts the informers; never throws. */
  async start(): Promise<void> {
    registerRbacMetrics(this.ctx.registry, { summary: () => this.summary(), up: () => this.up(), lastSyncSeconds: () => this.lastSync / 1000 });
    this.ctx.observe({ bindingWrite: (kind) => this.onBindingWrite(kind) });
    const kc = this.setup();
    if (!kc) return;
    for (const r of RESOURCES) this.informers.set(r, this.makeOne(kc, r));
    let timer: unknown;
    const cap = new Promise<void>((resolve) => { timer = this.timers.set(resolve, this.opts.startTimeoutMs ?? 10_000); });
    await Promise.race([this.round(), cap]);
    this.timers.clear(timer);
  }

  /** Stops informers and timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clear(this.restartTimer);
    for (const h of this.confirmTimers.values()) this.timers.clear(h);
    await Promise.all([...this.informers.values()].map(async (i) => { try { await i.stop(); } catch { /* already stopped */ } }));
  }

  private setup(): KubeConfig | undefined {
    try {
      if (!this.source) throw new Error('no kubeconfig: set rbac.kubeconfig, run in-cluster, or set $KUBECONFIG');
      const kc = loadKubeConfig(this.source);
      this.server = kc.getCurrentCluster()?.server ?? '';
      this.lists = listers(kc);
      return kc;
    } catch (e) {
      this.ctx.log.error('rbac watch disabled', { error: (e as Error).message });
      this.ctx.collectors.record('rbac', false, 0);
      return undefined;
    }
  }

  private makeOne(kc: KubeConfig, r: Resource): Informer<KubernetesObject> {
    const inf = makeInformer<KubernetesObject>(kc, resourcePath(r), async () => {
      const list = await (this.lists as Record<Resource, () => Promise<ListResult>>)[r]();
      this.index.replace(r, list.items);
      this.listedRv.set(r, Number(list.metadata?.resourceVersion));
      this.synced();
      return list as never;
    });
    inf.on('add', (o) => this.onObject(r, o, false));
    inf.on('update', (o) => this.onObject(r, o, false));
    inf.on('delete', (o) => this.onObject(r, o, true));
    inf.on('error', (err) => this.onError(r, err));
    return inf;
  }

  private onObject(r: Resource, obj: KubernetesObject, deleted: boolean): void {
    try {
      if (deleted) this.index.remove(r, obj);
      else this.index.upsert(r, obj);
      const rv = Number(obj.metadata?.resourceVersion);
      const fromWatch = !(Number.isFinite(rv) && rv <= (this.listedRv.get(r) ?? NaN));
      if (fromWatch && r === 'clusterrolebindings') this.lastEvent.ClusterRoleBinding = this.now();
      if (fromWatch && r === 'rolebindings') this.lastEvent.RoleBinding = this.now();
      this.synced();
    } catch (e) {
      this.ctx.log.limited('rbac-object', 'warn', 'rbac object skipped', { resource: r, error: String(e) });
    }
  }

  private synced(): void { this.lastSync = this.now(); }

  private onError(r: Resource, err: unknown): void {
    if (this.stopped) return; // stopping aborts the watch request, which client-node reports as an error
    this.failures.set(r, err);
    this.healthy.delete(r);
    if (this.inRound) return;
    this.ctx.collectors.record('rbac', false, 0);
    this.ctx.log.limited('rbac-interrupted', 'warn', 'rbac watch interrupted; restarting', { resource: r, error: describeFailures([{ resource: r, err }], this.server), retryInMs: this.backoffMs });
    this.scheduleRound();
  }

  /** Starts every informer that is not running; logs one line per failed round and schedules the next. */
  private async round(): Promise<void> {
    if (this.stopped) return;
    this.inRound = true;
    const t0 = performance.now();
    const pending = RESOURCES.filter((r) => !this.healthy.has(r));
    await Promise.all(pending.map((r) => this.startOne(r)));
    this.inRound = false;
    const failed = [...this.failures].map(([resource, err]) => ({ resource, err }));
    this.ctx.collectors.record('rbac', failed.length === 0, (performance.now() - t0) / 1000);
    if (failed.length === 0) {
      this.backoffMs = this.opts.backoffInitialMs ?? 1000;
      return;
    }
    const msg = describeFailures(failed, this.server);
    this.ctx.log.limited(`rbac-fail:${msg}`, 'error', 'rbac watch failed', { error: msg, retryInMs: this.backoffMs });
    this.scheduleRound();
  }

  private async startOne(r: Resource): Promise<void> {
    this.failures.delete(r);
    try {
      await this.informers.get(r)?.start();
    } catch (e) {
      this.failures.set(r, e);
    }
    if (!this.failures.has(r)) this.healthy.add(r);
  }

  private scheduleRound(): void {
    if (this.stopped || this.restartTimer !== undefined) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.backoffMaxMs ?? 60_000);
    this.restartTimer = this.timers.set(() => { this.restartTimer = undefined; void this.round(); }, delay);
  }

  private onBindingWrite(kind: BindingKind): void {
    const at = this.now();
    this.lastWrite[kind] = at;
    if (this.stopped || this.confirmTimers.has(kind) || !this.lists) return;
    const windowMs = this.opts.confirmWindowMs ?? 2000;
    this.confirmTimers.set(kind, this.timers.set(() => {
      this.confirmTimers.delete(kind);
      if (this.lastEvent[kind] >= this.lastWrite[kind] - windowMs) return; // the watch delivered a change around the write
      void this.relist(KIND_RESOURCE[kind]);
    }, windowMs));
  }

  /** Lists one resource now and replaces its part of the index (the audit log showed a write the watch did not). */
  async relist(r: Resource): Promise<void> {
    try {
      const list = await (this.lists as Record<Resource, () => Promise<ListResult>>)[r]();
      this.index.replace(r, list.items);
      this.synced();
      this.ctx.log.info('rbac re-listed after an audited binding write', { resource: r });
    } catch (err) {
      this.ctx.log.limited(`rbac-relist-${r}`, 'warn', 'rbac re-list failed', { error: describeFailures([{ resource: r, err }], this.server) });
    }
  }
}
