/** Collecting, per group and source, the anonymous requests a lockdown would break (bounded memory). */
import { pathOf } from '../audit/classify.js';
import type { DetailSink, RequestFacts } from '../audit/analyzer.js';
import { groupOf, wouldBreak, type Group } from './groups.js';

/** At most this many group/source pairs are kept; later ones are counted only. */
export const MAX_SOURCES = 10_000;
/** At most this many distinct paths and user agents are kept per source; the rest are counted as `other`. */
export const MAX_PATHS = 20;
export const MAX_AGENTS = 5;

/** Everything known about one source in one group. */
export interface SourceRecord {
  group: Group;
  source: string;
  sourceClass: string;
  requests: number;
  /** Requests whose path is one of the conditions (still allowed with the AuthenticationConfiguration alternative). */
  conditionAllowed: number;
  firstMs: number | undefined;
  lastMs: number | undefined;
  paths: Map<string, number>;
  otherPaths: number;
  userAgents: Map<string, number>;
}


/** One range's tally, posted by a parallel `report` worker. */
export interface TallyPart { records: SourceRecord[]; dropped: Map<Group, number> }

/** Adds `n` uses of `key` to a bounded first-sighting map; false when the bound turned a new key away. */
function bumpBy(m: Map<string, number>, key: string, n: number, max: number): boolean {
  const v = m.get(key);
  if (v !== undefined) m.set(key, v + n);
  else if (m.size < max) m.set(key, n);
  else return false;
  return true;
}

/** A DetailSink that keeps only what the lockdown preview needs. */
export class LockdownTally implements DetailSink {
  private readonly recs = new Map<string, SourceRecord>();
  private readonly conditions: Set<string>;
  /** Breaking requests of pairs beyond MAX_SOURCES, by group. */
  readonly dropped = new Map<Group, number>();

  constructor(conditions: readonly string[]) { this.conditions = new Set(conditions); }

  /** Records one anonymous request (only those a lockdown would break are kept). */
  anonymous(f: RequestFacts): void {
    const { ev } = f;
    if (!wouldBreak(ev.username, ev.code)) return;
    const group = groupOf(f.endpointClass);
    const r = this.record(group, f);
    if (!r) { this.dropped.set(group, (this.dropped.get(group) ?? 0) + 1); return; }
    const path = pathOf(ev.requestURI);
    r.requests++;
    if (this.conditions.has(path)) r.conditionAllowed++;
    if (ev.timeMs !== undefined) {
      if (r.firstMs === undefined || ev.timeMs < r.firstMs) r.firstMs = ev.timeMs;
      if (r.lastMs === undefined || ev.timeMs > r.lastMs) r.lastMs = ev.timeMs;
    }
    if (!bumpBy(r.paths, path, 1, MAX_PATHS)) r.otherPaths++;
    if (ev.userAgent !== undefined) bumpBy(r.userAgents, ev.userAgent, 1, MAX_AGENTS);
  }

  /** 401s already fail: nothing to keep. */
  unauthorized(): void { /* not breaking */ }
  /** Not used by the preview. */
  bindingWrite(): void { /* not used */ }
  /** Not used by the preview. */
  gap(): void { /* not used */ }
  /** Not used by the preview. */
  canary(): void { /* not used */ }

  /** Every kept record. */
  records(): SourceRecord[] { return [...this.recs.values()]; }

  /** This tally as one range's part (records in first-sighting order). */
  part(): TallyPart { return { records: this.records(), dropped: this.dropped }; }

  /**
   * Adds the part of the range that follows everything seen so far, exactly as one sequential pass
   * would have counted it; false when that part hit a bound of its own (a user-agent table may have
   * turned one away unseen, or sources were dropped), so only a sequential pass is exact.
   */
  absorb(p: TallyPart): boolean {
    if (p.dropped.size > 0 || p.records.some((r) => r.otherPaths > 0 || r.userAgents.size >= MAX_AGENTS)) return false;
    for (const r of p.records) {
      const key = `${r.group}\n${r.source}`;
      let into = this.recs.get(key);
      if (!into && this.recs.size >= MAX_SOURCES) { this.dropped.set(r.group, (this.dropped.get(r.group) ?? 0) + r.requests); continue; }
      if (!into) {
        into = { ...r, requests: 0, conditionAllowed: 0, firstMs: undefined, lastMs: undefined, paths: new Map(), otherPaths: 0, userAgents: new Map() };
        this.recs.set(key, into);
      }
      into.requests += r.requests;
      into.conditionAllowed += r.conditionAllowed;
      if (r.firstMs !== undefined && (into.firstMs === undefined || r.firstMs < into.firstMs)) into.firstMs = r.firstMs;
      if (r.lastMs !== undefined && (into.lastMs === undefined || r.lastMs > into.lastMs)) into.lastMs = r.lastMs;
      for (const [path, n] of r.paths) if (!bumpBy(into.paths, path, n, MAX_PATHS)) into.otherPaths += n;
      for (const [ua, n] of r.userAgents) bumpBy(into.userAgents, ua, n, MAX_AGENTS);
    }
    return true;
  }

  private record(group: Group, f: RequestFacts): SourceRecord | undefined {
    const key = `${group}\n${f.source}`;
    let r = this.recs.get(key);
    if (!r && this.recs.size < MAX_SOURCES) {
      r = { group, source: f.source, sourceClass: f.sourceClass, requests: 0, conditionAllowed: 0, firstMs: undefined, lastMs: undefined, paths: new Map(), otherPaths: 0, userAgents: new Map() };
      this.recs.set(key, r);
    }
    return r;
  }
}

/** Fans one analyzer detail stream out to several sinks. */
export function teeSink(...sinks: DetailSink[]): DetailSink {
  return {
    anonymous: (f) => { for (const s of sinks) s.anonymous(f); },
    unauthorized: (f) => { for (const s of sinks) s.unauthorized(f); },
    bindingWrite: (ev, w) => { for (const s of sinks) s.bindingWrite(ev, w); },
    gap: (a, b) => { for (const s of sinks) s.gap(a, b); },
    canary: (ev) => { for (const s of sinks) s.canary(ev); },
  };
}
