/** `check` output: text for people, JSON per SPEC §6 (with extra fields) for tools. */
import { escapeTerminal } from '../util/escape.js';
import { isProbeTarget } from './paths.js';
import type { InstanceResult } from './instances.js';
import type { Decision } from './verdict.js';
import { SOURCES, type Finding, type Inspection, type ProbeResult } from './types.js';

/** Everything `check` learned. */
export interface CheckResult {
  url: string;
  inspection: Inspection;
  /** Undefined when `probe.enabled` is false. */
  probes: ProbeResult[] | undefined;
  decision: Decision;
  /** Per-instance results when several instances are probed (or discovered); then `probes` carry `apiserver`. */
  instances?: InstanceResult[];
}

/** All findings: the inspector's and the verdict's. */
export function allFindings(r: CheckResult): Finding[] {
  return [...r.inspection.findings, ...r.decision.findings];
}

/** The JSON document: SPEC §6 fields `anonymousAuth`, `allowedPaths`, `probes`, `verdict`, plus details. */
export function toJson(r: CheckResult): Record<string, unknown> {
  const anonymousAuth: Record<string, boolean> = {};
  for (const s of SOURCES) {
    const v = r.inspection.sources[s].anonymousAuth;
    if (v !== undefined) anonymousAuth[s] = v;
  }
  return {
    anonymousAuth,
    allowedPaths: r.inspection.allowedPaths,
    probes: (r.probes ?? []).map((p) => ({ ...(p.apiserver ? { apiserver: p.apiserver } : {}), path: p.path, statusCode: p.statusCode, exposed: p.exposed, health: p.health, ...(p.error ? { error: p.error } : {}) })),
    verdict: r.decision.verdict,
    unrestricted: r.inspection.unrestricted ?? null,
    sources: r.inspection.sources,
    apiserverUrl: r.url,
    probed: r.probes !== undefined,
    reasons: r.decision.reasons,
    findings: allFindings(r),
    nextSteps: r.decision.nextSteps,
    ...(r.instances ? { instances: r.instances.map((x) => ({ apiserver: x.apiserver, url: x.url, verdict: x.verdict, readyz: x.readyz })) } : {}),
  };
}

const HEADLINE = { locked_down: 'LOCKED DOWN', exposed: 'EXPOSED', unknown: 'UNKNOWN' } as const;
const onOff = (v: boolean | undefined): string => (v === undefined ? '?' : v ? 'on' : 'off');

function probeLine(p: ProbeResult): string {
  const code = p.statusCode === null ? `no answer: ${p.error ?? 'error'}` : String(p.statusCode);
  let note = '';
  if (p.exposed) note = 'EXPOSED';
  else if (p.statusCode === 401) note = isProbeTarget(p.path) ? 'locked down (load-balancer checks must accept 401)' : 'locked down';
  else if (p.health && p.statusCode !== null && p.statusCode < 300) note = 'open health path';
  else if (!p.health && p.statusCode !== null && p.statusCode < 500) note = 'anonymous gets past authentication';
  return `  ${escapeTerminal(p.path).padEnd(42)} ${code.padEnd(6)} ${note}`.trimEnd();
}

function instanceLines(instances: readonly InstanceResult[]): string[] {
  const out = [`Instances: ${instances.length}`];
  for (const x of instances) {
    out.push(`  ${escapeTerminal(x.apiserver)}: ${HEADLINE[x.verdict]} (${escapeTerminal(x.url)})`);
    out.push(...x.probes.map((p) => `  ${probeLine(p)}`));
  }
  return out;
}

/** Renders the human-readable report. */
export function toText(r: CheckResult): string {
  const i = r.inspection;
  const out = [`Anonymous-auth posture: ${HEADLINE[r.decision.verdict]}`, ...r.decision.reasons.map((x) => `  - ${escapeTerminal(x)}`), '', 'Sources (anonymous authentication):'];
  for (const s of SOURCES) {
    const v = i.sources[s];
    const state = v.state === 'ok' ? onOff(v.anonymousAuth) : v.state;
    out.push(`  ${s.padEnd(22)} ${state.padEnd(7)} ${escapeTerminal(v.detail)} [${escapeTerminal(v.origin)}]`);
  }
  if (i.allowedPaths.length > 0) out.push(`  allowed paths (conditions): ${i.allowedPaths.map((p) => escapeTerminal(p)).join(' ')}`);
  out.push('');
  if (r.instances) out.push(...instanceLines(r.instances));
  else if (r.probes) out.push(`Probes (no credentials) of ${escapeTerminal(r.url)}:`, ...r.probes.map(probeLine));
  else out.push('Probes: disabled (probe.enabled=false)');
  const findings = allFindings(r);
  if (findings.length > 0) out.push('', 'Findings:', ...findings.map((f) => `  [${f.severity}] ${f.code}: ${escapeTerminal(f.message)}`));
  if (r.decision.nextSteps.length > 0) out.push('', 'Next steps:', ...r.decision.nextSteps.map((s) => `  - ${s}`));
  return `${out.join('\n')}\n`;
}
