/** Per-request detail that only `report` keeps: top URIs, sources, sensitive hits, binding changes, gaps. */
import { formatMicro } from '../audit/time.js';
import type { DetailSink, RequestFacts } from '../audit/analyzer.js';
import type { AuditEvent } from '../audit/event.js';
import type { BindingWrite } from '../audit/bindings.js';

const MAX_KEYS = 100_000;
const MAX_LIST = 1000;
const KEEP_GAPS = 10;

/** One anonymous request summarised for the report. */
export interface EventSummary {
  time: string | null; verb: string; requestURI: string; code: number | null;
  source: string; sourceClass: string; userAgent: string | null; endpointClass: string;
}

/** Per-source tallies. */
export interface SourceTally { sourceClass: string; requests: number; allowed: number; publicOnly: boolean }

/** One binding change as the report lists it. */
export interface BindingChange {
  time: string | null; kind: string; verb: string; namespace: string | null; name: string | null;
  subjects: string[] | null; user: string | null; code: number | null; verified: boolean;
}

/** One gap between consecutive events. */
export interface Gap { from: string; to: string; seconds: number }

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : formatMicro(ms));
const PUBLIC = new Set(['health', 'discovery', 'bootstrap']);

function summary(f: RequestFacts): EventSummary {
  const { ev } = f;
  return {
    time: iso(ev.timeMs), verb: ev.verb, requestURI: ev.requestURI, code: ev.code ?? null,
    source: f.source, sourceClass: f.sourceClass, userAgent: ev.userAgent ?? null, endpointClass: f.endpointClass,
  };
}

/** Collects the report's detail while the analyzer counts. */
export class ReportDetail implements DetailSink {
  readonly uris = new Map<string, number>();
  urisTruncated = false;
  readonly anonSources = new Map<string, SourceTally>();
  readonly unauthSources = new Map<string, SourceTally>();
  readonly sensitiveAllowed: EventSummary[] = [];
  sensitiveAllowedCount = 0;
  readonly bindingChanges: BindingChange[] = [];
  bindingChangesCount = 0;
  readonly gaps: Gap[] = [];
  impersonated = 0;

  /** Records one anonymous request. */
  anonymous(f: RequestFacts): void {
    const { ev } = f;
    const allowed = ev.code !== undefined && ((ev.code >= 200 && ev.code < 300) || ev.code === 101);
    if (ev.username !== 'system:anonymous') this.impersonated++;
    this.bump(this.uris, ev.requestURI);
    const t = this.tally(this.anonSources, f);
    if (t) {
      t.requests++;
      if (allowed) t.allowed++;
      if (!PUBLIC.has(f.endpointClass)) t.publicOnly = false;
    }
    if (allowed && f.endpointClass === 'sensitive') {
      this.sensitiveAllowedCount++;
      if (this.sensitiveAllowed.length < MAX_LIST) this.sensitiveAllowed.push(summary(f));
    }
  }

  /** Records one 401. */
  unauthorized(f: RequestFacts): void {
    const t = this.tally(this.unauthSources, f);
    if (t) t.requests++;
  }

  /** Records one binding write (counted ones only reach here). */
  bindingWrite(ev: AuditEvent, w: BindingWrite): void {
    if (w.subjects !== undefined && w.subjects.length === 0) return;
    this.bindingChangesCount += w.subjects === undefined ? 0 : 1;
    if (w.subjects === undefined || this.bindingChanges.length >= MAX_LIST) return;
    this.bindingChanges.push({
      time: iso(ev.timeMs), kind: w.kind, verb: w.verb, namespace: ev.objectRef?.namespace ?? null,
      name: ev.objectRef?.name ?? null, subjects: w.subjects, user: ev.username ?? null, code: ev.code ?? null, verified: true,
    });
  }

  /** Records one gap above the threshold, keeping the longest few. */
  gap(fromMs: number, toMs: number): void {
    const seconds = (toMs - fromMs) / 1000;
    this.gaps.push({ from: formatMicro(fromMs), to: formatMicro(toMs), seconds });
    if (this.gaps.length > KEEP_GAPS * 4) this.trimGaps();
  }

  /** Canary requests are excluded from traffic; the analyzer counts them. */
  canary(): void { /* counted by the analyzer */ }

  /** The longest gaps, longest first. */
  longestGaps(): Gap[] { this.trimGaps(); return this.gaps; }

  private trimGaps(): void {
    this.gaps.sort((a, b) => b.seconds - a.seconds);
    this.gaps.length = Math.min(this.gaps.length, KEEP_GAPS);
  }

  private bump(m: Map<string, number>, key: string): void {
    const v = m.get(key);
    if (v !== undefined) m.set(key, v + 1);
    else if (m.size < MAX_KEYS) m.set(key, 1);
    else this.urisTruncated = true;
  }

  private tally(m: Map<string, SourceTally>, f: RequestFacts): SourceTally | undefined {
    let t = m.get(f.source);
    if (!t && m.size < MAX_KEYS) {
      t = { sourceClass: f.sourceClass, requests: 0, allowed: 0, publicOnly: true };
      m.set(f.source, t);
    }
    return t;
  }
}
