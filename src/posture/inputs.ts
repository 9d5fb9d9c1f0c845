/** The inspector and probe side inputs: interval-driven collectors publishing posture metrics. */
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics/registry.js';
import type { AuditObserver, SideInput } from '../inputs/types.js';
import { inspect, realInspectDeps, type InspectDeps } from './inspect.js';
import type { PostureMetrics } from './metrics.js';
import { probeInstances, type InstanceResult } from './instances.js';
import { Periodic, type Scheduler } from './scheduler.js';
import { resolveTargets, type Discover } from './targets.js';
import type { Finding, ProbeResult } from './types.js';

/** What an interval-driven posture input needs. */
export interface InputDeps {
  config: Config;
  /** Reads the default/kubernetes EndpointSlices when `apiserver.discover` is on. */
  discover?: Discover;
  metrics: PostureMetrics;
  collectors: CollectorMetrics;
  log: Logger;
  scheduler: Scheduler;
}

/** Logs findings when they appear and when they go away, not on every run. */
export class FindingLog {
  private current = new Map<string, Finding>();
  constructor(private readonly log: Logger) {}

  /** Reports the difference between the previous run's findings and `findings`. */
  update(findings: readonly Finding[]): void {
    const next = new Map(findings.map((f) => [`${f.code}\n${f.message}`, f]));
    for (const [k, f] of next) if (!this.current.has(k)) this.log.log(f.severity === 'info' ? 'info' : 'warn', 'posture finding', { ...f });
    for (const [k, f] of this.current) if (!next.has(k)) this.log.info('posture finding resolved', { code: f.code, message: f.message });
    this.current = next;
  }
}

/** A SideInput running `job` every `intervalSeconds` under collector `name`. */
abstract class PeriodicInput implements SideInput {
  private readonly periodic: Periodic;
  constructor(readonly name: string, d: InputDeps, intervalSeconds: number) {
    this.periodic = new Periodic(d.scheduler, intervalSeconds * 1000, () => d.collectors.run(name, () => this.job()).then(() => undefined));
  }
  protected abstract job(): Promise<void>;
  /** Starts the first run without waiting for it. */
  async start(): Promise<void> { void this.periodic.start(); }
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void> { return this.periodic.stop(); }
  /** Resolves when no run is in progress. */
  idle(): Promise<void> { return this.periodic.idle(); }
}

/** The anonymous-auth inspector (collector `inspector`): fails when a source is unreadable or invalid. */
export class InspectorInput extends PeriodicInput {
  private readonly findings: FindingLog;
  constructor(private readonly d: InputDeps, private readonly fs: InspectDeps = realInspectDeps) {
    super('inspector', d, d.config.inspect.intervalSeconds);
    this.findings = new FindingLog(d.log);
  }
  protected async job(): Promise<void> {
    const i = inspect(this.d.config.apiserver, this.fs);
    this.d.metrics.setInspection(i);
    this.findings.update(i.findings);
    const bad = Object.entries(i.sources).filter(([, v]) => v.state === 'error').map(([k]) => k);
    if (bad.length > 0) throw new Error(`unreadable: ${bad.join(', ')}`);
    if (i.sources.manifest.state !== 'ok' && i.sources.process.state !== 'ok') throw new Error('neither manifest nor process found');
  }
}

/** The lockdown probe (collector `probe`): fails when any path got no response. */
export class ProbeInput extends PeriodicInput implements AuditObserver {
  private last: string | undefined;
  /** Audit-IDs this process sent, so the analyzer can leave its own probes out of traffic counts. */
  private readonly sent = new Set<string>();
  constructor(private readonly d: InputDeps) { super('probe', d, d.config.probe.intervalSeconds); }
  /** True for an Audit-ID this probe sent (random per run, so a client cannot forge one). */
  ownRequest(auditID: string): boolean { return this.sent.has(auditID); }
  /** The most recent results (every instance; `apiserver` set when several are probed). */
  results: ProbeResult[] = [];
  /** The most recent per-instance results. */
  instances: InstanceResult[] = [];
  protected async job(): Promise<void> {
    const t = await resolveTargets(this.d.config.apiserver, this.d.discover);
    if (!t.ok) {
      this.d.log.limited('probe.targets', 'warn', 'cannot determine the API server instances to probe', { error: t.error });
      throw new Error(t.error);
    }
    const multi = t.targets.length > 1 || t.discovered;
    this.instances = await probeInstances(t.targets, this.d.config.apiserver, this.d.config.probe, (id) => {
      if (this.sent.size >= 1000) this.sent.delete(this.sent.values().next().value as string);
      this.sent.add(id);
    });
    this.results = this.instances.flatMap((x) => x.probes.map((p) => (multi ? { ...p, apiserver: x.apiserver } : p)));
    if (multi) this.d.metrics.setInstances(this.instances);
    else this.d.metrics.setProbes(this.results);
    const exposed = this.results.filter((r) => r.exposed).map((r) => (r.apiserver ? `${r.apiserver}${r.path}` : r.path)).join(' ');
    if (exposed !== (this.last ?? '')) this.d.log.log(exposed ? 'warn' : 'info', exposed ? 'unauthenticated probe got 2xx on a non-health path' : 'no probe path exposed', { exposed });
    this.last = exposed;
    const failed = this.results.filter((r) => r.statusCode === null);
    if (failed.length > 0) {
      this.d.log.limited('probe.failed', 'warn', 'probe got no response', { errors: failed.map((r) => `${r.apiserver ?? this.d.config.apiserver.url} ${r.path}: ${r.error ?? ''}`) });
      throw new Error('probe failed');
    }
  }
}
