/** Builds the `report --format json` document (SPEC §6) from the analyzer and the report detail. */
import { formatMicro } from '../audit/time.js';
import type { Analyzer } from '../audit/analyzer.js';
import type { ReportDetail, SourceTally } from './detail.js';
import { deriveFindings, type Finding } from './findings.js';

/** One input file as the report lists it. */
export interface FileInfo { path: string; bytes: number; lines: number }

const TOP_URIS = 20;
const MAX_SOURCES = 1000;
const PUBLIC = new Set(['health', 'discovery', 'bootstrap']);
const BUILTIN_CLASSES = new Set(['loopback', 'private', 'public', 'unknown']);

const sum = (m: Map<string, number>): number => { let s = 0; for (const v of m.values()) s += v; return s; };
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : formatMicro(ms));

function sources(m: Map<string, SourceTally>, withAllowed: boolean): Record<string, unknown>[] {
  return [...m.entries()]
    .sort((a, b) => b[1].requests - a[1].requests || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_SOURCES)
    .map(([source, t]) => {
      const base: Record<string, unknown> = { source, sourceClass: t.sourceClass, requests: t.requests };
      if (!withAllowed) return base;
      const expected = !BUILTIN_CLASSES.has(t.sourceClass) && t.publicOnly;
      return { ...base, allowed: t.allowed, expected };
    });
}

function anonBreakdown(a: Analyzer): { byClass: Record<string, number>; byCode: Record<string, number>; total: number; allowed: number; forbidden: number } {
  const byClass: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  let total = 0, allowed = 0, forbidden = 0;
  for (const [key, n] of a.c.anon) {
    const [cls = '', , code = ''] = key.split('|');
    byClass[cls] = (byClass[cls] ?? 0) + n;
    byCode[code] = (byCode[code] ?? 0) + n;
    total += n;
    const c = Number(code);
    if ((c >= 200 && c < 300) || c === 101) allowed += n;
    if (c === 403) forbidden += n;
  }
  return { byClass, byCode, total, allowed, forbidden };
}

function nonPublic(a: Analyzer): { all: number; allowed: number } {
  let all = 0, allowed = 0;
  for (const [key, n] of a.c.anon) {
    const [cls = '', , code = ''] = key.split('|');
    if (PUBLIC.has(cls)) continue;
    all += n;
    const c = Number(code);
    if ((c >= 200 && c < 300) || c === 101) allowed += n;
  }
  return { all, allowed };
}

/** Returns the report document; `findings` decides the exit code. */
export function buildReport(a: Analyzer, d: ReportDetail, files: FileInfo[], thresholdSeconds: number): Record<string, unknown> & { findings: Finding[] } {
  const c = a.c;
  const anon = anonBreakdown(a);
  const np = nonPublic(a);
  const gaps = d.longestGaps();
  const findings = deriveFindings({
    requests: c.requests, responseStartedEvents: c.events.get('ResponseStarted') ?? 0,
    sensitiveAllowed: d.sensitiveAllowedCount, anonymousNonPublic: np.all, anonymousNonPublicAllowed: np.allowed,
    bindingChanges: d.bindingChangesCount, unverifiedBindingWrites: sum(c.bindingUnverified),
    unauthorized: sum(c.unauthorized), gaps: c.gapsOver, maxGapSeconds: a.maxGapSeconds, thresholdSeconds,
    skipped: sum(c.skipped), canary: c.canary,
  });
  return {
    files,
    events: sum(c.events),
    requests: c.requests,
    linesSkipped: Object.fromEntries(c.skipped),
    timeRange: { first: iso(c.firstEventMs), last: iso(c.lastEventMs) },
    anonymous: {
      requests: anon.total, allowed: anon.allowed, forbidden: anon.forbidden, impersonated: d.impersonated,
      byEndpointClass: anon.byClass, byCode: anon.byCode,
      bySource: sources(d.anonSources, true),
      topRequestURIs: [...d.uris.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TOP_URIS)
        .map(([requestURI, count]) => ({ requestURI, count })),
      // False when some URIs were left out of the table (bounds reached): the top list may then be incomplete.
      topRequestURIsComplete: !d.urisTruncated,
      sensitiveAllowedCount: d.sensitiveAllowedCount,
      sensitiveAllowed: d.sensitiveAllowed,
    },
    unauthorized: { requests: sum(c.unauthorized), bySource: sources(d.unauthSources, false) },
    rbac: { bindingChangesCount: d.bindingChangesCount, bindingChanges: d.bindingChanges, unverifiedWritesCount: sum(c.bindingUnverified) },
    gaps: { thresholdSeconds, count: c.gapsOver, maxSeconds: a.maxGapSeconds, longest: gaps },
    canaryRequests: c.canary,
    findings,
  };
}
