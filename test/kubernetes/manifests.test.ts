import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { generated } from '../../packaging/kubernetes.js';
import { REPO } from '../integration/helpers.js';
import { isCoreKind, typeErrors, type KubeObject } from './validate.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const BASE = join(REPO, 'deploy', 'kubernetes');

/** The base as `kubectl kustomize` renders it. */
function render(): KubeObject[] {
  const r = spawnSync('kubectl', ['kustomize', BASE], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as KubeObject);
}

/** Without kubectl: the resource files the kustomization lists, unrendered (the checks below still apply). */
function rawResources(): KubeObject[] {
  const k = parseAllDocuments(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8'))[0]?.toJS() as { resources: string[] };
  return k.resources.flatMap((f) => parseAllDocuments(readFileSync(join(BASE, f), 'utf8')).map((d) => d.toJS() as KubeObject));
}

describe('deploy/kubernetes: the kustomize base', function () {
  this.timeout(60_000);
  let objects: KubeObject[] = [];
  let ds: DaemonSet;
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  let rendered = false;
  before(() => {
    rendered = has('kubectl');
    objects = rendered ? render() : rawResources();
    ds = byKind('DaemonSet')[0] as DaemonSet;
  });

  it('renders the namespace, service account, RBAC, config, DaemonSet, PodMonitor and PrometheusRule', function () {
    if (!rendered) this.skip();
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'Namespace', 'PodMonitor', 'PrometheusRule', 'Role', 'RoleBinding', 'ServiceAccount']);
    for (const o of objects) if (!o.kind.startsWith('Cluster') && o.kind !== 'Namespace') assert.equal(o.metadata.namespace, 'k8s-anon-exporter', o.kind);
  });

  it('every built-in object matches the Kubernetes 1.30 API types exactly', () => {
    assert.deepEqual(typeErrors(objects.filter(isCoreKind)), []);
  });

  it('the type check catches a misspelt field and a wrong value type (it can fail)', () => {
    const bad = structuredClone(ds) as unknown as KubeObject & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
    const c = bad.spec.template.spec.containers[0] as Record<string, unknown>;
    c.securityContext = { ...(c.securityContext as object), readOnlyRootFileSystem: true };
    c.ports = [{ containerPort: '19100' }];
    const errors = typeErrors([bad]);
    assert.ok(errors.some((e) => /readOnlyRootFileSystem/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /string.*number/.test(e)), errors.join('\n'));
  });

  it('DaemonSet: control-plane nodes only, tolerating their taints', () => {
    const spec = ds.spec?.template.spec;
    const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    assert.deepEqual(terms.map((t) => t.matchExpressions), [
      [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
      [{ key: 'node-role.kubernetes.io/master', operator: 'Exists' }],
    ]);
    const tol = (key: string) => spec?.tolerations?.find((t) => t.key === key);
    assert.deepEqual(tol('node-role.kubernetes.io/control-plane'), { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' });
    assert.deepEqual(tol('node-role.kubernetes.io/master'), { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('DaemonSet: audit dir, manifests and /proc mounted read-only from the host; only the state dir writable', () => {
    const spec = ds.spec?.template.spec;
    const c = spec?.containers[0];
    const hostPath = (name: string) => spec?.volumes?.find((v) => v.name === name)?.hostPath?.path;
    const mounts = new Map((c?.volumeMounts ?? []).map((m) => [m.name, m]));
    for (const [name, host] of [['audit', '/var/log/kubernetes/audit'], ['manifests', '/etc/kubernetes/manifests'], ['proc', '/proc']]) {
      assert.equal(hostPath(name as string), host);
      assert.equal(mounts.get(name as string)?.readOnly, true, `${name} read-only`);
    }
    assert.equal(hostPath('state'), '/var/lib/k8s-anon-exporter');
    assert.notEqual(mounts.get('state')?.readOnly, true);
    const writable = [...mounts.values()].filter((m) => m.readOnly !== true).map((m) => m.name);
    assert.deepEqual(writable, ['state']);
    assert.equal(spec?.volumes?.some((v) => v.hostPath?.path === '/etc/kubernetes'), false, 'never the whole /etc/kubernetes (it holds the PKI keys)');
  });

  it('DaemonSet: liveness /healthz and readiness /readyz on the metrics port', () => {
    const c = ds.spec?.template.spec?.containers[0];
    assert.deepEqual([c?.livenessProbe?.httpGet?.path, c?.livenessProbe?.httpGet?.port], ['/healthz', 'metrics']);
    assert.deepEqual([c?.readinessProbe?.httpGet?.path, c?.readinessProbe?.httpGet?.port], ['/readyz', 'metrics']);
    assert.equal(c?.ports?.find((p) => p.name === 'metrics')?.containerPort, 19100);
  });

  it('DaemonSet: uid 0 with only DAC_READ_SEARCH, no escalation, read-only root file system', () => {
    const sc = ds.spec?.template.spec?.containers[0]?.securityContext;
    assert.deepEqual(sc, {
      runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] },
    });
    assert.equal(ds.spec?.template.spec?.hostPID, undefined);
  });

  it('PodMonitor keeps each node identity and the cluster label; PrometheusRule holds rules promtool accepts', function () {
    const pm = byKind('PodMonitor')[0] as KubeObject & { spec: { podMetricsEndpoints: Array<{ port: string; relabelings: Array<{ targetLabel: string; sourceLabels?: string[] }> }> } };
    assert.equal(pm.apiVersion, 'monitoring.coreos.com/v1');
    const ep = pm.spec.podMetricsEndpoints[0];
    assert.equal(ep?.port, 'metrics');
    const rl = new Map((ep?.relabelings ?? []).map((r) => [r.targetLabel, r]));
    assert.deepEqual(rl.get('node')?.sourceLabels, ['__meta_kubernetes_pod_node_name']);
    assert.deepEqual(rl.get('instance')?.sourceLabels, ['__meta_kubernetes_pod_node_name']);
    assert.ok(rl.has('cluster'));
    const pr = byKind('PrometheusRule')[0] as KubeObject & { spec: { groups: unknown[] } };
    assert.equal(pr.apiVersion, 'monitoring.coreos.com/v1');
    if (!has('promtool')) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'promrule-'));
    try {
      writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: pr.spec.groups }));
      const r = spawnSync('promtool', ['check', 'rules', join(dir, 'rules.yaml')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('deploy/kubernetes: generated files are up to date', () => {
  it('rbac.yaml and prometheusrule.yaml match their sources (npm run kube:generate)', () => {
    for (const g of generated()) assert.equal(readFileSync(join(REPO, g.path), 'utf8'), g.text, `${g.path} is stale: run npm run kube:generate`);
  });
});
