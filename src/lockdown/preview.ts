/** The lockdown preview document: breaking sources grouped by what breaks, and what the AuthenticationConfiguration alternative would still break. */
import { formatMicro } from '../audit/time.js';
import { GROUPS, GROUP_TEXT, type Group } from './groups.js';
import type { SourceRecord } from './tally.js';

/** One source in a group, as the preview lists it. */
export interface PreviewEntry {
  source: string;
  sourceClass: string;
  requests: number;
  paths: { path: string; count: number }[];
  /** Requests on paths beyond the per-source limit. */
  otherPaths: number;
  userAgents: string[];
  first: string | null;
  last: string | null;
  /** Mean seconds between requests (null with fewer than two timed requests). */
  meanIntervalSeconds: number | null;
}

/** One group of the preview. */
export interface PreviewGroup {
  group: Group;
  title: string;
  fix: string;
  sources: number;
  requests: number;
  entries: PreviewEntry[];
}

/** What an AuthenticationConfiguration limited to `conditions` would still break. */
export interface Alternative {
  conditions: string[];
  /** Whether the named Kubernetes version supports it; null when no version was given. */
  supported: boolean | null;
  support: string;
  sources: number;
  requests: number;
  stillBreaking: { group: Group; source: string; requests: number }[];
}

/** The whole preview (`lockdown-preview --format json`, and `lockdownPreview` in `report --format json`). */
export interface Preview {
  breaking: { sources: number; requests: number };
  groups: PreviewGroup[];
  authenticationConfiguration: Alternative;
  /** Breaking requests from sources beyond the tracking limit, by group. */
  untracked: Record<string, number>;
}

const byCount = <T extends { requests: number; source: string }>(a: T, b: T): number => b.requests - a.requests || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : formatMicro(ms));

function entry(r: SourceRecord): PreviewEntry {
  const paths = [...r.paths].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([path, count]) => ({ path, count }));
  const span = r.firstMs !== undefined && r.lastMs !== undefined ? (r.lastMs - r.firstMs) / 1000 : undefined;
  return {
    source: r.source, sourceClass: r.sourceClass, requests: r.requests, paths, otherPaths: r.otherPaths,
    userAgents: [...r.userAgents].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ua]) => ua),
    first: iso(r.firstMs), last: iso(r.lastMs),
    meanIntervalSeconds: span !== undefined && r.requests > 1 ? Math.round((span / (r.requests - 1)) * 1000) / 1000 : null,
  };
}

/** Support of KEP-4633 by Kubernetes minor version: alpha 1.31 (feature gate), beta 1.32 (on by default), GA 1.34. */
export function supportOf(version: string | undefined): { supported: boolean | null; support: string } {
  const m = version === undefined ? null : /^v?1\.(\d+)/.exec(version);
  if (!m) return { supported: null, support: 'needs Kubernetes 1.32+ (beta, on by default; 1.31 with --feature-gates=AnonymousAuthConfigurableEndpoints=true)' };
  const minor = Number(m[1]);
  if (minor >= 32) return { supported: true, support: `supported by Kubernetes 1.${minor} (apiserver.config.k8s.io/${minor >= 34 ? 'v1' : 'v1beta1'})` };
  if (minor === 31) return { supported: true, support: 'Kubernetes 1.31: alpha, needs --feature-gates=AnonymousAuthConfigurableEndpoints=true (apiserver.config.k8s.io/v1alpha1)' };
  return { supported: false, support: `not supported by Kubernetes 1.${minor} (needs 1.31+): only --anonymous-auth=false is available` };
}

/** Builds the preview from the tally's records (pure: same records, same document). */
export function buildPreview(records: readonly SourceRecord[], conditions: readonly string[], version?: string, untracked: ReadonlyMap<Group, number> = new Map()): Preview {
  const groups = GROUPS.map((group): PreviewGroup => {
    const mine = records.filter((r) => r.group === group).sort(byCount);
    return { group, ...GROUP_TEXT[group], sources: mine.length, requests: mine.reduce((s, r) => s + r.requests, 0) + (untracked.get(group) ?? 0), entries: mine.map(entry) };
  });
  const still = records.filter((r) => r.requests > r.conditionAllowed)
    .map((r) => ({ group: r.group, source: r.source, requests: r.requests - r.conditionAllowed }))
    .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || byCount(a, b));
  return {
    breaking: { sources: records.length, requests: groups.reduce((s, g) => s + g.requests, 0) },
    groups,
    authenticationConfiguration: {
      conditions: [...conditions], ...supportOf(version),
      sources: still.length, requests: still.reduce((s, r) => s + r.requests, 0), stillBreaking: still,
    },
    untracked: Object.fromEntries(untracked),
  };
}
