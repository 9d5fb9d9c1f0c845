/** The daemon's own RBAC manifest grants exactly what the watcher uses, and nothing more. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { capabilitiesOf } from '../../src/rbac/capabilities.js';
import { RESOURCES } from '../../src/rbac/state.js';
import type { Rule } from '../../src/rbac/types.js';
import { ROOT } from './support.js';

type Doc = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; roleRef?: { name: string }; subjects?: { kind: string; name: string; namespace?: string }[] };

describe('deploy/rbac.yaml', () => {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'rbac.yaml'), 'utf8')).map((d) => d.toJS() as Doc);
  const role = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'k8s-anon-exporter:rbac-reader');
  const binding = docs.find((d) => d.kind === 'ClusterRoleBinding' && d.roleRef?.name === role?.metadata.name);
  const sa = docs.find((d) => d.kind === 'ServiceAccount');

  it('has a ClusterRole granting exactly get/list/watch on the four RBAC resources', () => {
    assert.deepEqual(role?.rules, [{ apiGroups: ['rbac.authorization.k8s.io'], resources: [...RESOURCES].sort(), verbs: ['get', 'list', 'watch'] }]);
    assert.deepEqual(capabilitiesOf(role?.rules ?? []), [], 'no capability of SPEC §5 (no secrets, writes, escalate, bind, wildcards)');
  });

  it('binds that ClusterRole to the exporter ServiceAccount only, and contains no other Role or binding', () => {
    assert.equal(binding?.roleRef?.name, role?.metadata.name);
    assert.deepEqual(binding?.subjects, [{ kind: 'ServiceAccount', name: sa?.metadata.name, namespace: sa?.metadata.namespace }]);
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Namespace', 'Role', 'RoleBinding', 'Secret', 'ServiceAccount']);
  });

  it('apiserver.discover and apiserver.metrics: get/list/watch endpointslices in default, get /metrics, bound to the same ServiceAccount', () => {
    const slices = docs.find((d) => d.kind === 'Role');
    assert.equal(slices?.metadata.namespace, 'default');
    assert.deepEqual(slices?.rules, [{ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }]);
    const metrics = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'k8s-anon-exporter:apiserver-metrics');
    assert.deepEqual(metrics?.rules, [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    for (const b of docs.filter((d) => d.kind.endsWith('Binding'))) {
      assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: sa?.metadata.name, namespace: sa?.metadata.namespace }]);
    }
    assert.deepEqual(docs.find((d) => d.kind === 'RoleBinding')?.roleRef?.name, slices?.metadata.name);
  });
});
