/** `k8s_anon_lockdown_breaking_sources{group}`: distinct sources whose anonymous requests succeeded within the window and would break on lockdown. */
import { Gauge, type Registry } from 'prom-client';
import type { DetailSink, RequestFacts } from '../audit/analyzer.js';
import { GROUPS, groupOf, wouldBreak, type Group } from './groups.js';

/** At most this many sources are remembered per group (the least recently seen are forgotten first). */
export const MAX_TRACKED = 10_000;

/** Remembers, per group, when each source last made a breaking request; the gauge counts those within the window at scrape time. */
export class LockdownWindow implements DetailSink {
  private readonly seen = new Map<Group, Map<string, number>>(GROUPS.map((g) => [g, new Map()]));

  constructor(registry: Registry, private readonly windowSeconds: number, private readonly now: () => number = Date.now) {
    const count = (g: Group): number => this.count(g);
    new Gauge({
      name: 'k8s_anon_lockdown_breaking_sources',
      help: 'Distinct source addresses whose anonymous requests got 2xx/101 within the window (lockdown.windowSeconds, by event time) and would get 401 after a lockdown, by what breaks.',
      labelNames: ['group'],
      registers: [registry],
      collect() { for (const g of GROUPS) this.set({ group: g }, count(g)); },
    });
  }

  /** Records one anonymous request. */
  anonymous(f: RequestFacts): void {
    if (!wouldBreak(f.ev.username, f.ev.code)) return;
    const m = this.seen.get(groupOf(f.endpointClass)) as Map<string, number>;
    const t = f.ev.timeMs ?? this.now();
    const prev = m.get(f.source);
    if (prev !== undefined && prev >= t) return;
    m.delete(f.source);
    m.set(f.source, t);
    if (m.size > MAX_TRACKED) m.delete(m.keys().next().value as string);
  }

  /** Sources of `group` seen within the window; older entries are dropped. */
  count(group: Group): number {
    const m = this.seen.get(group) as Map<string, number>;
    const since = this.now() - this.windowSeconds * 1000;
    let n = 0;
    for (const [k, t] of m) if (t >= since) n++; else m.delete(k);
    return n;
  }

  /** 401s already fail. */
  unauthorized(): void { /* not breaking */ }
  /** Not used. */
  bindingWrite(): void { /* not used */ }
  /** Not used. */
  gap(): void { /* not used */ }
  /** Not used. */
  canary(): void { /* not used */ }
}
