/** Reading the kube-apiserver static-pod manifest: its command line and hostPath mounts. */
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A container mount backed by a hostPath volume. */
export interface HostMount {
  mountPath: string;
  hostPath: string;
  subPath?: string;
}

/** What the inspector needs from the manifest. */
export interface ManifestView {
  /** `command` followed by `args` of the kube-apiserver container. */
  argv: string[];
  /** The container's hostPath-backed mounts. */
  mounts: HostMount[];
}

/** The manifest could not be understood; `message` says why. */
export class ManifestError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);

function pickContainer(spec: Obj): Obj {
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObj) : [];
  const byName = containers.find((c) => c.name === 'kube-apiserver');
  const byCmd = containers.find((c) => strings(c.command).some((s) => posix.basename(s) === 'kube-apiserver'));
  const found = byName ?? byCmd;
  if (!found) throw new ManifestError('no kube-apiserver container in spec.containers');
  return found;
}

function hostMounts(spec: Obj, container: Obj): HostMount[] {
  const hostPaths = new Map<string, string>();
  for (const v of Array.isArray(spec.volumes) ? spec.volumes.filter(isObj) : []) {
    if (typeof v.name === 'string' && isObj(v.hostPath) && typeof v.hostPath.path === 'string') hostPaths.set(v.name, v.hostPath.path);
  }
  const out: HostMount[] = [];
  for (const m of Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isObj) : []) {
    const hostPath = typeof m.name === 'string' ? hostPaths.get(m.name) : undefined;
    if (hostPath === undefined || typeof m.mountPath !== 'string') continue;
    out.push({ mountPath: m.mountPath, hostPath, ...(typeof m.subPath === 'string' && m.subPath !== '' ? { subPath: m.subPath } : {}) });
  }
  return out;
}

/** Parses manifest YAML text; throws ManifestError on invalid YAML or an unexpected shape. */
export function parseManifest(text: string): ManifestView {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ManifestError(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc) || !isObj(doc.spec)) throw new ManifestError('not a Pod manifest (no spec)');
  const container = pickContainer(doc.spec);
  return { argv: [...strings(container.command), ...strings(container.args)], mounts: hostMounts(doc.spec, container) };
}

/**
 * Maps a path as the container sees it to the host path through the hostPath mounts (longest
 * mountPath prefix wins); a path no mount covers is returned unchanged with `mapped: false`.
 */
export function containerToHost(path: string, mounts: readonly HostMount[]): { path: string; mapped: boolean } {
  const p = posix.normalize(path);
  let best: HostMount | undefined;
  for (const m of mounts) {
    const mp = posix.normalize(m.mountPath).replace(/\/+$/, '') || '/';
    const covers = p === mp || p.startsWith(mp === '/' ? '/' : `${mp}/`);
    if (covers && (!best || mp.length > posix.normalize(best.mountPath).length)) best = m;
  }
  if (!best) return { path: p, mapped: false };
  const rest = p.slice((posix.normalize(best.mountPath).replace(/\/+$/, '') || '').length);
  const base = best.subPath ? posix.join(best.hostPath, best.subPath) : best.hostPath;
  return { path: posix.join(base, rest), mapped: true };
}
