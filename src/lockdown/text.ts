/** The lockdown preview as text; every string from the log is escaped. */
import { escapeTerminal as esc } from '../util/escape.js';
import type { Preview, PreviewEntry } from './preview.js';

const SHOW_ENTRIES = 50;
const SHOW_PATHS = 5;
const n = (v: number): string => v.toLocaleString('en-US');

function how(e: PreviewEntry): string {
  if (e.meanIntervalSeconds === null) return `${n(e.requests)} request${e.requests === 1 ? '' : 's'}`;
  return `${n(e.requests)} requests, every ${e.meanIntervalSeconds.toFixed(1)} s on average`;
}

function entryLines(e: PreviewEntry): string[] {
  const paths = e.paths.slice(0, SHOW_PATHS).map((p) => `${esc(p.path, 120)} ${n(p.count)}`);
  const more = e.paths.length - SHOW_PATHS + (e.otherPaths > 0 ? 1 : 0);
  const out = [`   ${esc(e.source).padEnd(40)} ${esc(e.sourceClass).padEnd(12)} ${how(e)}`, `      paths: ${paths.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`];
  if (e.userAgents.length > 0) out.push(`      user agents: ${e.userAgents.map((u) => esc(u, 120)).join(', ')}`);
  if (e.first !== null) out.push(`      seen ${e.first} .. ${e.last ?? e.first}`);
  return out;
}

/** The preview's lines without a trailing newline (used alone and as a `report` section). */
export function previewLines(p: Preview): string[] {
  const out = [`Sources whose anonymous requests would start failing with 401 after a lockdown: ${n(p.breaking.sources)} (${n(p.breaking.requests)} requests)`];
  for (const g of p.groups) {
    out.push('', `${g.title} [${g.group}]: ${n(g.sources)} source${g.sources === 1 ? '' : 's'}, ${n(g.requests)} request${g.requests === 1 ? '' : 's'}`);
    if (g.sources === 0) { out.push('   none'); continue; }
    out.push(`   fix: ${g.fix}`);
    for (const e of g.entries.slice(0, SHOW_ENTRIES)) out.push(...entryLines(e));
    if (g.entries.length > SHOW_ENTRIES) out.push(`   ... ${n(g.entries.length - SHOW_ENTRIES)} more sources (--format json lists all)`);
  }
  const a = p.authenticationConfiguration;
  out.push('', `Alternative: AuthenticationConfiguration with anonymous.enabled and conditions ${a.conditions.join(', ')} (KEP-4633): ${a.support}`);
  out.push(`   still breaks: ${n(a.sources)} source${a.sources === 1 ? '' : 's'}, ${n(a.requests)} request${a.requests === 1 ? '' : 's'}`);
  for (const s of a.stillBreaking.slice(0, SHOW_ENTRIES)) out.push(`   ${s.group.padEnd(14)} ${esc(s.source).padEnd(40)} ${n(s.requests)}`);
  const untracked = Object.entries(p.untracked).filter(([, v]) => v > 0);
  if (untracked.length > 0) out.push('', `Requests from sources beyond the tracking limit: ${untracked.map(([g, v]) => `${g} ${n(v)}`).join(', ')}`);
  return out;
}

/** The full text output of `lockdown-preview`. */
export function renderPreview(p: Preview): string {
  return `${previewLines(p).join('\n')}\n`;
}

/** The `report` text section (`8. Lockdown preview`), or none when the document has no preview. */
export function reportSection(p: unknown): string[][] {
  if (typeof p !== 'object' || p === null || !('groups' in p)) return [];
  return [['8. Lockdown preview (lockdown-preview prints the full list)', ...previewLines(p as Preview).map((l) => (l === '' ? '' : `   ${l}`))]];
}
