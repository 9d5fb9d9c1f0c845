/** Per-request detail that only `report` keeps: top URIs, sources, sensitive hits, binding changes, gaps. */
import { formatMicro } from '../audit/time.js';
import type { DetailSink, RequestFacts } from '../audit/analyzer.js';
import type { AuditEvent } from '../audit/event.js';
import type { BindingWrite } from '../audit/bindings.js';

const MAX_KEYS = 100_000;
const MAX_LIST = 1000;
const KEEP_GAPS = 10;
/** Longest attacker-controlled string the report stores; longer ones keep this many characters and a marker. */
export const MAX_STORED_CHARS = 2048;
/** What replaces the tail of a string longer than MAX_STORED_CHARS (a space never occurs in a request line's URI). */
export const TRUNCATED = ' [truncated]';
/** Bytes of request URIs the top-URI table may hold; past it, new URIs are not tabled (counts elsewhere stay exact). */
const MAX_URI_TABLE_CHARS = 32 << 20;

/** Returns `s` capped at MAX_STORED_CHARS with a marker, as a fresh string (a slice would keep the whole original alive). */
export function capStored(s: string): string {
  if (s.length <= MAX_STORED_CHARS) return s;
  return Buffer.from(`${s.slice(0, MAX_STORED_CHARS)}${TRUNCATED}`, 'utf8').toString('utf8');
}

const capOpt = (s: string | undefined): string | null => (s === undefined ? null : capStored(s));

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
    time: iso(ev.timeMs), verb: capStored(ev.verb), requestURI: capStored(ev.requestURI), code: ev.code ?? null,
    source: f.source, sourceClass: f.sourceClass, userAgent: capOpt(ev.userAgent), endpointClass: f.endpointClass,
  };
}

/** What one byte range's detail hands back for merging, in the order it was collected. */
export interface DetailPart {
  uris: Map<string, number>; urisTruncated: boolean; anonSources: Map<string, SourceTally>; unauthSources: Map<string, SourceTally>;
  sensitiveAllowed: EventSummary[]; sensitiveAllowedCount: number; bindingChanges: BindingChange[]; bindingChangesCount: number; impersonated: number;
}

function addTallies(into: Map<string, SourceTally>, from: Map<string, SourceTally>): void {
  for (const [k, t] of from) {
    const have = into.get(k);
    if (!have) { into.set(k, { ...t }); continue; }
    have.requests += t.requests;
    have.allowed += t.allowed;
    have.publicOnly &&= t.publicOnly;
  }
}

/** Collects the report's detail while the analyzer counts. */
export class ReportDetail implements DetailSink {
  readonly uris = new Map<string, number>();
  /** True once a URI was left out of the table (key or byte bound reached). */
  urisTruncated = false;
  private uriChars = 0;
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
    this.bumpUri(capStored(ev.requestURI));
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
      time: iso(ev.timeMs), kind: w.kind, verb: w.verb, namespace: capOpt(ev.objectRef?.namespace),
      name: capOpt(ev.objectRef?.name), subjects: w.subjects, user: capOpt(ev.username), code: ev.code ?? null, verified: true,
    });
  }

  /** Records one gap above the threshold, keeping the longest few. */
  gap(fromMs: number, toMs: number): void {
    const seconds = (toMs - fromMs) / 1000;
    this.gaps.push({ from: formatMicro(fromMs), to: formatMicro(toMs), seconds });
    if (this.gaps.length > KEEP_GAPS * 4) this.trimGaps();
  }

  /** The parts a byte range analysed apart hands back (gaps are replayed through the analyzer instead). */
  part(): DetailPart {
    const { uris, urisTruncated, anonSources, unauthSources, sensitiveAllowed, sensitiveAllowedCount, bindingChanges, bindingChangesCount, impersonated } = this;
    return { uris, urisTruncated, anonSources, unauthSources, sensitiveAllowed, sensitiveAllowedCount, bindingChanges, bindingChangesCount, impersonated };
  }

  /**
   * Adds the detail of the next byte range, as if its requests had been recorded here in file order.
   * Returns false when a table bound was reached (here or there): which entries a bounded table keeps
   * depends on the order of first sightings, so the caller must then re-read sequentially.
   */
  absorb(p: DetailPart): boolean {
    if (p.urisTruncated || p.anonSources.size >= MAX_KEYS || p.unauthSources.size >= MAX_KEYS) return false;
    for (const [k, n] of p.uris) {
      const v = this.uris.get(k);
      if (v === undefined) { this.uris.set(k, n); this.uriChars += k.length; } else this.uris.set(k, v + n);
    }
    addTallies(this.anonSources, p.anonSources);
    addTallies(this.unauthSources, p.unauthSources);
    for (const s of p.sensitiveAllowed) if (this.sensitiveAllowed.length < MAX_LIST) this.sensitiveAllowed.push(s);
    for (const b of p.bindingChanges) if (this.bindingChanges.length < MAX_LIST) this.bindingChanges.push(b);
    this.sensitiveAllowedCount += p.sensitiveAllowedCount;
    this.bindingChangesCount += p.bindingChangesCount;
    this.impersonated += p.impersonated;
    return !this.urisTruncated && this.uris.size <= MAX_KEYS && this.uriChars <= MAX_URI_TABLE_CHARS
      && this.anonSources.size <= MAX_KEYS && this.unauthSources.size <= MAX_KEYS;
  }

  /** Canary requests are excluded from traffic; the analyzer counts them. */
  canary(): void { /* counted by the analyzer */ }

  /** The longest gaps, longest first. */
  longestGaps(): Gap[] { this.trimGaps(); return this.gaps; }

  private trimGaps(): void {
    this.gaps.sort((a, b) => b.seconds - a.seconds);
    this.gaps.length = Math.min(this.gaps.length, KEEP_GAPS);
  }

  private bumpUri(key: string): void {
    const v = this.uris.get(key);
    if (v !== undefined) { this.uris.set(key, v + 1); return; }
    if (this.uris.size < MAX_KEYS && this.uriChars + key.length <= MAX_URI_TABLE_CHARS) {
      this.uris.set(key, 1);
      this.uriChars += key.length;
    } else this.urisTruncated = true;
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
