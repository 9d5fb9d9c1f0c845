/** Which API server instances to probe: `apiserver.url`, `apiserver.urls`, or the discovered EndpointSlice endpoints. */
import type { Config } from '../config/types.js';

/** One API server instance: its base URL and its `apiserver` label value (host:port). */
export interface Target {
  url: string;
  label: string;
}

/** The instances to probe, or why they could not be determined. */
export type Targets = { ok: true; targets: Target[]; discovered: boolean } | { ok: false; error: string };

/** Reads the instance addresses of the `default/kubernetes` EndpointSlices as base URLs. */
export type Discover = () => Promise<string[]>;

/** The host:port label of a base URL (default port 443 for https, 80 for http); undefined when it is no http(s) URL. */
export function instanceLabel(url: string): string | undefined {
  let u: URL;
  try { u = new URL(url); } catch { return undefined; }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

function toTargets(urls: readonly string[]): Targets {
  const seen = new Map<string, Target>();
  for (const url of urls) {
    const label = instanceLabel(url);
    if (label === undefined) return { ok: false, error: `apiserver.urls: ${JSON.stringify(url)} is not an http(s) URL` };
    if (!seen.has(label)) seen.set(label, { url: url.replace(/\/+$/, ''), label });
  }
  return { ok: true, targets: [...seen.values()], discovered: false };
}

/** Resolves the probe targets: discovery first, then `apiserver.urls`, then `apiserver.url`. */
export async function resolveTargets(cfg: Config['apiserver'], discover?: Discover): Promise<Targets> {
  if (cfg.discover) {
    if (!discover) return { ok: false, error: 'apiserver.discover: no kubeconfig (set rbac.kubeconfig, or run in-cluster)' };
    let urls: string[];
    try { urls = await discover(); } catch (e) { return { ok: false, error: `apiserver.discover: ${(e as Error).message.split('\n')[0]}` }; }
    if (urls.length === 0) return { ok: false, error: 'apiserver.discover: the default/kubernetes EndpointSlices list no endpoints' };
    const t = toTargets(urls);
    return t.ok ? { ...t, targets: t.targets.sort(byLabel), discovered: true } : t;
  }
  return toTargets(cfg.urls.length > 0 ? cfg.urls : [cfg.url]);
}

function byLabel(a: Target, b: Target): number {
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Base URLs from EndpointSlice objects: every address of every endpoint, with the slice's `https` port (else its first port). */
export function sliceUrls(slices: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const s of slices) {
    if (!isObj(s)) continue;
    const ports = Array.isArray(s.ports) ? s.ports.filter(isObj) : [];
    const port = (ports.find((p) => p.name === 'https') ?? ports[0])?.port;
    if (typeof port !== 'number') continue;
    for (const ep of Array.isArray(s.endpoints) ? s.endpoints.filter(isObj) : []) {
      for (const a of Array.isArray(ep.addresses) ? ep.addresses : []) {
        if (typeof a !== 'string' || a === '') continue;
        out.add(`https://${a.includes(':') ? `[${a}]` : a}:${port}`);
      }
    }
  }
  return [...out];
}
