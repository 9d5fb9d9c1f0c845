/** Renders the report document as text that mirrors the manual grep | jq procedure. */
import { escapeTerminal as esc } from '../util/escape.js';
import type { Finding } from './findings.js';
import { reportSection } from '../lockdown/text.js';

type Doc = Record<string, unknown>;
type Row = Record<string, unknown>;

const n = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
const obj = (v: unknown): Doc => (v ?? {}) as Doc;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
const pairs = (v: unknown): string => Object.entries(obj(v)).sort((a, b) => (b[1] as number) - (a[1] as number)).map(([k, c]) => `${esc(k)} ${n(c)}`).join(', ') || '-';

function baseline(d: Doc): string[] {
  const a = obj(d.anonymous);
  return [
    '1. Baseline: anonymous requests, counted once per request (RequestReceived never counts; 401s are in section 4)',
    `   requests ${n(d.requests)}   events ${n(d.events)}   skipped lines: ${pairs(d.linesSkipped)}`,
    `   anonymous ${n(a.requests)} (allowed ${n(a.allowed)}, forbidden ${n(a.forbidden)}, impersonated ${n(a.impersonated)})`,
    `   by endpoint class: ${pairs(a.byEndpointClass)}`,
    `   by code: ${pairs(a.byCode)}`,
    '   top requestURIs:',
    ...rows(a.topRequestURIs).map((r) => `   ${n(r.count).padStart(10)}  ${esc(String(r.requestURI), 200)}`),
  ];
}

function sensitive(d: Doc): string[] {
  const a = obj(d.anonymous);
  const list = rows(a.sensitiveAllowed);
  return [
    `2. Successful anonymous requests to sensitive endpoints: ${n(a.sensitiveAllowedCount)}${list.length < (a.sensitiveAllowedCount as number) ? ` (first ${list.length} shown)` : ''}`,
    ...list.map((r) => `   ${esc(String(r.time))}  ${esc(String(r.verb))} ${esc(String(r.requestURI), 200)}  code ${n(r.code)}  from ${esc(String(r.source))} (${esc(String(r.sourceClass))})  ua ${esc(String(r.userAgent), 120)}`),
  ];
}

function sourcesSection(d: Doc): string[] {
  const list = rows(obj(d.anonymous).bySource);
  const fmt = (r: Row): string => `   ${esc(String(r.source)).padEnd(40)} ${esc(String(r.sourceClass)).padEnd(12)} requests ${n(r.requests)}, allowed ${n(r.allowed)}`;
  const expected = list.filter((r) => r.expected === true);
  const suspicious = list.filter((r) => r.expected !== true);
  return [
    `3. Anonymous sources: ${expected.length} expected (configured classes hitting health/discovery/bootstrap only), ${suspicious.length} suspicious`,
    ...(suspicious.length ? ['   suspicious:', ...suspicious.slice(0, 50).map(fmt)] : []),
    ...(expected.length ? ['   expected:', ...expected.slice(0, 20).map(fmt)] : []),
  ];
}

function unauthorized(d: Doc): string[] {
  const u = obj(d.unauthorized);
  return [
    `4. 401 rejections (failed authentication): ${n(u.requests)}`,
    ...rows(u.bySource).slice(0, 50).map((r) => `   ${esc(String(r.source)).padEnd(40)} ${esc(String(r.sourceClass)).padEnd(12)} ${n(r.requests)}`),
  ];
}

function bindings(d: Doc): string[] {
  const r = obj(d.rbac);
  return [
    `5. Binding changes naming anonymous identities: ${n(r.bindingChangesCount)} (writes logged without objects, unverified: ${n(r.unverifiedWritesCount)})`,
    ...rows(r.bindingChanges).map((b) => `   ${esc(String(b.time))}  ${esc(String(b.verb))} ${esc(String(b.kind))} ${b.namespace ? `${esc(String(b.namespace))}/` : ''}${esc(String(b.name))}  subjects ${esc((b.subjects as string[]).join(','))}  by ${esc(String(b.user))}  code ${n(b.code)}`),
  ];
}

function gaps(d: Doc): string[] {
  const g = obj(d.gaps);
  return [
    `6. Gaps over ${n(g.thresholdSeconds)} s between consecutive events: ${n(g.count)} (longest interval: ${(g.maxSeconds as number).toFixed(1)} s)`,
    ...rows(g.longest).map((x) => `   ${(x.seconds as number).toFixed(1).padStart(10)} s  ${String(x.from)} -> ${String(x.to)}`),
  ];
}

/** Renders the whole report; every attacker-controlled string is escaped. */
export function renderText(d: Doc): string {
  const files = rows(d.files);
  const tr = obj(d.timeRange);
  const findings = (d.findings as Finding[]).map((f) => `   ${f.severity.toUpperCase().padEnd(8)} ${f.code}: ${esc(f.message)}`);
  const head = `k8s-anon-exporter report: ${files.length} input(s), ${n(files.reduce((s, f) => s + (f.lines as number), 0))} lines, ${String(tr.first)} .. ${String(tr.last)}`;
  const sections = [baseline(d), sensitive(d), sourcesSection(d), unauthorized(d), bindings(d), gaps(d), ['7. Findings', ...(findings.length ? findings : ['   none'])], ...reportSection(d.lockdownPreview)];
  return `${[head, ...files.map((f) => `   ${esc(String(f.path))}: ${n(f.bytes)} bytes, ${n(f.lines)} lines`), ''].join('\n')}\n${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
