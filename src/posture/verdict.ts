/** The `check` verdict: probes first (they see the endpoint), the inspector when probes say nothing. */
import { isHealthPath, isProbeTarget } from './paths.js';
import type { Finding, Inspection, ProbeResult, Verdict } from './types.js';

/** A verdict with the reasons behind it and what the operator should do next. */
export interface Decision {
  verdict: Verdict;
  reasons: string[];
  nextSteps: string[];
  /** Findings that only the combination of inspector and probes reveals. */
  findings: Finding[];
}

const LOCKDOWN = 'Lock down: on Kubernetes 1.32+ drop --anonymous-auth from the static-pod manifest and point --authentication-config at an AuthenticationConfiguration with anonymous.enabled: true and conditions /livez, /readyz, /healthz; on older releases set --anonymous-auth=false in the manifest.';
const LB_401 = 'Health paths answer 401 without credentials: load-balancer HTTP checks must accept 401 or authenticate, or keep /livez, /readyz and /healthz open with AuthenticationConfiguration conditions.';

/** The verdict the probes alone support; undefined when no non-health path got an answer. */
export function fromProbes(probes: readonly ProbeResult[]): Pick<Decision, 'verdict' | 'reasons'> | undefined {
  const exposed = probes.filter((p) => p.exposed);
  if (exposed.length > 0) return { verdict: 'exposed', reasons: exposed.map((p) => `${p.path} answered ${p.statusCode} without credentials`) };
  const answered = probes.filter((p) => !p.health && p.statusCode !== null && p.statusCode < 500);
  const passed = answered.filter((p) => p.statusCode !== 401);
  if (passed.length > 0) {
    return { verdict: 'exposed', reasons: passed.map((p) => `${p.path} answered ${p.statusCode}: anonymous requests get past authentication and only RBAC stands in the way`) };
  }
  if (answered.length > 0) return { verdict: 'locked_down', reasons: [`every non-health path answered 401 (${answered.map((p) => p.path).join(', ')})`] };
  return undefined;
}

function fromInspection(i: Inspection): Pick<Decision, 'verdict' | 'reasons'> {
  if (i.unrestricted === undefined) return { verdict: 'unknown', reasons: ['the inspector could not read the anonymous-auth setting (no readable manifest, process or authentication config)'] };
  if (i.unrestricted) return { verdict: 'exposed', reasons: ['inspector: anonymous authentication is on for every path'] };
  const open = i.allowedPaths.filter((p) => !isHealthPath(p));
  if (open.length > 0) return { verdict: 'exposed', reasons: [`inspector: anonymous requests are allowed on ${open.join(', ')}`] };
  return { verdict: 'locked_down', reasons: [i.allowedPaths.length > 0 ? `inspector: anonymous allowed only on ${i.allowedPaths.join(', ')}` : 'inspector: anonymous authentication is off'] };
}

/** What the operator should do next for verdict `v`. */
export function steps(v: Verdict, i: Inspection, probes: readonly ProbeResult[] | undefined): string[] {
  const out: string[] = [];
  const codes = new Set(i.findings.map((f) => f.code));
  if (codes.has('flag_and_config')) out.push('Remove --anonymous-auth from the manifest: it cannot be combined with an anonymous section in the authentication config.');
  if (codes.has('manifest_process_mismatch')) out.push('The running kube-apiserver does not match the manifest yet: wait for the kubelet to restart it, then run check again.');
  if (probes?.some((p) => p.exposed)) out.push('Remove the RBAC grant that lets anonymous requests through (`k8s-anon-exporter rbac` lists it with the kubectl delete command).');
  if (v === 'exposed') out.push(LOCKDOWN);
  if (v === 'locked_down' && probes?.some((p) => isProbeTarget(p.path) && p.statusCode === 401)) out.push(LB_401);
  if (v === 'locked_down' && out.length === 0) out.push('Nothing to change. Keep `k8s-anon-exporter serve` running with the probe on, so a regression raises k8s_anon_probe_exposed.');
  if (v === 'unknown') out.push('Check that apiserver.url reaches this node\'s API server, and run as root on a control-plane node so the manifest and the process command line are readable.');
  return out;
}

/** Combines the inspection with probe results (undefined when probing is disabled) into the verdict. */
export function decide(i: Inspection, probes: readonly ProbeResult[] | undefined): Decision {
  const byProbe = probes ? fromProbes(probes) : undefined;
  let base = byProbe ?? fromInspection(i);
  if (probes && probes.length > 0 && !byProbe) base = { ...base, reasons: ['no non-health probe got an answer; the verdict comes from the inspector', ...base.reasons] };
  const findings: Finding[] = [];
  if (byProbe?.verdict === 'locked_down' && i.unrestricted === true) {
    findings.push({ severity: 'warning', code: 'probe_inspector_disagree', message: 'probes see a locked-down server but the inspector reads anonymous auth on for every path: is apiserver.url this node\'s API server?' });
  }
  return { ...base, nextSteps: steps(base.verdict, i, probes), findings };
}

/** The verdict over several instances: any exposed instance makes the cluster exposed; the inspector only adds findings. */
export function decideInstances(i: Inspection, results: readonly { verdict: Verdict; probes: ProbeResult[] }[], overall: { verdict: Verdict; reasons: string[] }): Decision {
  const probes = results.flatMap((r) => r.probes);
  const findings: Finding[] = [];
  if (overall.verdict === 'locked_down' && i.unrestricted === true) {
    findings.push({ severity: 'warning', code: 'probe_inspector_disagree', message: 'every probed instance is locked down but the inspector reads anonymous auth on for every path on this node: is this node\'s API server among the probed instances?' });
  }
  return { ...overall, nextSteps: steps(overall.verdict, i, probes), findings };
}
