/** The anonymous-auth inspector: manifest, running process and authentication config combined. */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Config } from '../config/types.js';
import { parseAuthConfig, type AuthConfigView } from './authconfig.js';
import { parseApiserverArgs, type ApiserverFlags } from './flags.js';
import { containerToHost, parseManifest, type ManifestView } from './manifest.js';
import { findApiserverProcesses, type ApiserverProcess } from './proc.js';
import { isHealthPath } from './paths.js';
import type { Finding, Inspection, SourceView } from './types.js';

/** File and process access, injectable for tests. */
export interface InspectDeps {
  readText(path: string): string;
  processes(procRoot: string): ApiserverProcess[];
}

/** Reads the real filesystem. */
export const realInspectDeps: InspectDeps = {
  readText: (p) => readFileSync(p, 'utf8'),
  processes: findApiserverProcesses,
};

type Loaded<T> = { state: 'ok'; value: T; origin: string } | { state: 'absent' | 'error'; origin: string; detail: string };
type CmdSource = { view: SourceView; flags?: ApiserverFlags; conditions?: string[] };

const errText = (e: unknown): string => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message.split('\n')[0] ?? String(e));

function loadManifest(path: string, deps: InspectDeps): Loaded<ManifestView> {
  let text: string;
  try { text = deps.readText(path); } catch (e) {
    const absent = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { state: absent ? 'absent' : 'error', origin: path, detail: absent ? 'no static-pod manifest' : errText(e) };
  }
  try { return { state: 'ok', value: parseManifest(text), origin: path }; } catch (e) {
    return { state: 'error', origin: path, detail: (e as Error).message };
  }
}

function loadProcess(procRoot: string, deps: InspectDeps, findings: Finding[]): Loaded<ApiserverProcess> {
  let procs: ApiserverProcess[];
  try { procs = deps.processes(procRoot); } catch (e) {
    return { state: 'error', origin: procRoot, detail: errText(e) };
  }
  const first = procs[0];
  if (!first) return { state: 'absent', origin: procRoot, detail: 'no kube-apiserver process running' };
  if (procs.length > 1) findings.push({ severity: 'info', code: 'several_processes', message: `${procs.length} kube-apiserver processes; showing pid ${first.pid}` });
  return { state: 'ok', value: first, origin: posix.join(procRoot, String(first.pid)) };
}

/** Resolves an `--authentication-config` path to where this host sees it (hostPath mapping, then `apiserver.hostRoot`). */
export function hostFilePath(path: string, manifest: ManifestView | undefined, hostRoot: string): string {
  const onHost = manifest ? containerToHost(path, manifest.mounts).path : posix.normalize(path);
  return posix.join(hostRoot, onHost);
}

function loadAuthConfig(file: string, deps: InspectDeps): Loaded<AuthConfigView> {
  try { return { state: 'ok', value: parseAuthConfig(deps.readText(file)), origin: file }; } catch (e) {
    return { state: 'error', origin: file, detail: errText(e) };
  }
}

function commandSource(name: string, loaded: Loaded<{ argv: string[] }>, cfgOf: (p: string) => Loaded<AuthConfigView>, findings: Finding[]): CmdSource {
  if (loaded.state !== 'ok') return { view: { state: loaded.state, origin: loaded.origin, detail: loaded.detail } };
  const flags = parseApiserverArgs(loaded.value.argv);
  for (const p of flags.problems) findings.push({ severity: 'critical', code: 'invalid_flag', message: `${name}: ${p}` });
  const base = { state: 'ok' as const, origin: loaded.origin, ...(flags.authenticationConfig ? { authenticationConfig: flags.authenticationConfig } : {}) };
  const cfg = flags.authenticationConfig ? cfgOf(flags.authenticationConfig) : undefined;
  const anon = cfg?.state === 'ok' ? cfg.value.anonymous : undefined;
  if (flags.anonymousAuthRaw !== undefined && anon) {
    findings.push({ severity: 'critical', code: 'flag_and_config', message: `${name}: ${flags.anonymousAuthRaw} and an anonymous section in ${cfg?.origin} are both set; kube-apiserver refuses to start` });
  }
  if (anon && cfg?.state === 'ok' && cfg.value.apiVersion.endsWith('/v1alpha1') && flags.featureGates.AnonymousAuthConfigurableEndpoints !== true && !findings.some((f) => f.code === 'feature_gate')) {
    findings.push({ severity: 'info', code: 'feature_gate', message: `${name}: the v1alpha1 anonymous section needs --feature-gates=AnonymousAuthConfigurableEndpoints=true on Kubernetes 1.31 (kube-apiserver refuses the file otherwise); 1.32+ enables the gate by default and serves v1beta1` });
  }
  if (flags.anonymousAuth !== undefined) return { view: { ...base, anonymousAuth: flags.anonymousAuth, detail: flags.anonymousAuthRaw ?? '' }, flags };
  if (cfg && cfg.state !== 'ok') return { view: { ...base, detail: `--anonymous-auth absent; authentication config unreadable: ${cfg.detail}` }, flags };
  if (anon) {
    const paths = anon.enabled ? (anon.conditions.length > 0 ? `, paths ${anon.conditions.join(' ')}` : ', all paths') : '';
    return { view: { ...base, anonymousAuth: anon.enabled, detail: `from authentication config: ${anon.enabled ? 'on' : 'off'}${paths}` }, flags, conditions: anon.enabled ? anon.conditions : [] };
  }
  return { view: { ...base, anonymousAuth: true, detail: '--anonymous-auth absent: default on' }, flags };
}

function authConfigSource(path: string | undefined, cfg: Loaded<AuthConfigView> | undefined, findings: Finding[]): SourceView {
  if (path === undefined || cfg === undefined) return { state: 'absent', origin: '-', detail: 'no --authentication-config' };
  if (cfg.state !== 'ok') {
    findings.push({ severity: 'warning', code: 'authentication_config_unreadable', message: `${cfg.origin}: ${cfg.detail}` });
    return { state: 'error', origin: cfg.origin, detail: cfg.detail };
  }
  for (const p of cfg.value.problems) findings.push({ severity: 'critical', code: 'authentication_config_invalid', message: `${cfg.origin}: ${p}` });
  const a = cfg.value.anonymous;
  if (!a) return { state: 'ok', origin: cfg.origin, detail: `${cfg.value.apiVersion}: no anonymous section (the flag decides)` };
  const paths = a.enabled ? (a.conditions.length > 0 ? `, conditions ${a.conditions.join(' ')}` : ', no conditions (all paths)') : '';
  return { state: 'ok', origin: cfg.origin, anonymousAuth: a.enabled, detail: `${cfg.value.apiVersion}: enabled ${a.enabled}${paths}` };
}

function compare(m: CmdSource, p: CmdSource, findings: Finding[]): void {
  if (m.view.state !== 'ok' || p.view.state !== 'ok') return;
  const diff: string[] = [];
  if (m.flags?.anonymousAuthRaw !== p.flags?.anonymousAuthRaw) diff.push(`--anonymous-auth: manifest ${m.flags?.anonymousAuthRaw ?? 'absent'}, process ${p.flags?.anonymousAuthRaw ?? 'absent'}`);
  if (m.flags?.authenticationConfig !== p.flags?.authenticationConfig) diff.push(`--authentication-config: manifest ${m.flags?.authenticationConfig ?? 'absent'}, process ${p.flags?.authenticationConfig ?? 'absent'}`);
  if (m.view.anonymousAuth !== p.view.anonymousAuth) diff.push(`anonymous auth: manifest ${String(m.view.anonymousAuth)}, process ${String(p.view.anonymousAuth)}`);
  if (diff.length > 0) findings.push({ severity: 'warning', code: 'manifest_process_mismatch', message: `manifest and running process disagree (the kubelet may not have applied an edit yet): ${diff.join('; ')}` });
}

/** Runs the inspector once over the manifest, the proc tree and the authentication config they name. */
export function inspect(cfg: Config['apiserver'], deps: InspectDeps = realInspectDeps): Inspection {
  const findings: Finding[] = [];
  const manifest = loadManifest(cfg.manifest, deps);
  if (manifest.state === 'error') findings.push({ severity: 'warning', code: 'manifest_invalid', message: `${manifest.origin}: ${manifest.detail}` });
  const mview = manifest.state === 'ok' ? manifest.value : undefined;
  const cache = new Map<string, Loaded<AuthConfigView>>();
  const cfgOf = (p: string): Loaded<AuthConfigView> => {
    const file = hostFilePath(p, mview, cfg.hostRoot);
    if (!cache.has(file)) cache.set(file, loadAuthConfig(file, deps));
    return cache.get(file) as Loaded<AuthConfigView>;
  };
  const m = commandSource('manifest', manifest, cfgOf, findings);
  const proc = loadProcess(cfg.procRoot, deps, findings);
  const p = commandSource('process', proc, cfgOf, findings);
  compare(m, p, findings);
  const cfgPath = p.view.authenticationConfig ?? m.view.authenticationConfig;
  const ac = authConfigSource(cfgPath, cfgPath ? cfgOf(cfgPath) : undefined, findings);
  const primary = p.view.state === 'ok' ? p : m.view.state === 'ok' ? m : undefined;
  const on = primary?.view.anonymousAuth;
  const allowedPaths = on ? primary?.conditions ?? [] : [];
  for (const path of allowedPaths.filter((x) => !isHealthPath(x))) {
    findings.push({ severity: 'warning', code: 'non_health_condition', message: `anonymous requests are allowed on ${path}, which is not a health path` });
  }
  return { sources: { manifest: m.view, process: p.view, authentication_config: ac }, allowedPaths, unrestricted: on === undefined ? undefined : on && allowedPaths.length === 0, findings };
}
