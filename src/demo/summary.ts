/** The demo's one-screen live summary, rendered from the daemon's counters. */
import type { Counters } from '../audit/state.js';
import { escapeTerminal as esc } from '../util/escape.js';

const sumWhere = (fam: Map<string, number>, pred: (parts: string[]) => boolean): number => {
  let s = 0;
  for (const [k, v] of fam) if (pred(k.split('|'))) s += v;
  return s;
};

const allowed = (code: string): boolean => { const c = Number(code); return (c >= 200 && c < 300) || c === 101; };

/** Renders the summary lines for counters `c` at time `nowMs`. */
export function renderSummary(c: Counters, nowMs: number, header: string[]): string {
  const anon = sumWhere(c.anon, () => true);
  const byClass = ['health', 'discovery', 'bootstrap', 'sensitive', 'resource', 'other']
    .map((cls) => `${cls} ${sumWhere(c.anon, (p) => p[0] === cls)}`).join('   ');
  const sensAllowed = sumWhere(c.anon, (p) => p[0] === 'sensitive' && allowed(p[2] ?? ''));
  const forbidden = sumWhere(c.anon, (p) => p[2] === '403');
  const unauth = sumWhere(c.unauthorized, () => true);
  const changes = sumWhere(c.bindingChanges, () => true);
  const silence = c.lastEventMs === undefined ? 0 : Math.max(0, (nowMs - c.lastEventMs) / 1000);
  const skipped = sumWhere(c.skipped, () => true);
  const top = [...c.sources].filter(([k]) => !k.endsWith('|unauthorized')).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([k, v]) => { const [src, cls, outcome] = k.split('|'); return `${esc(src ?? '')} (${cls}, ${outcome}) ${v}`; });
  const flag = (n: number): string => (n > 0 ? '   <-- ALERT' : '');
  return [
    ...header,
    '',
    `Audit log     requests ${c.requests}   events ${sumWhere(c.events, () => true)}   silence ${silence.toFixed(0)} s${silence > 30 ? '   <-- audit log silent' : ''}   gaps>30s ${c.gapsOver}   skipped ${skipped}`,
    `Anonymous     ${anon} total: ${byClass}`,
    `              allowed ${sumWhere(c.anon, (p) => allowed(p[2] ?? ''))}   forbidden ${forbidden}   sensitive allowed ${sensAllowed}${flag(sensAllowed)}`,
    `401 rejected  ${unauth}`,
    `RBAC          binding changes naming anonymous identities ${changes}${flag(changes)}`,
    `Top sources   ${top.join('   ') || '-'}`,
    '',
  ].join('\n');
}
