/** Table tests: role shapes to capabilities, aggregation, anonymous subjects and the allow-list. */
import assert from 'node:assert/strict';
import { capabilitiesOf, isOtherNonResourceURL } from '../../src/rbac/capabilities.js';
import { anonymousSubjects, deriveBinding } from '../../src/rbac/bindings.js';
import { checkExpected, parseExpected, withinRules } from '../../src/rbac/defaults.js';
import { selectorMatches } from '../../src/rbac/roles.js';
import { RbacIndex } from '../../src/rbac/state.js';
import type { Capability, Rule } from '../../src/rbac/types.js';

const core = (resources: string[], verbs: string[], extra: Partial<Rule> = {}): Rule => ({ apiGroups: [''], resources, verbs, ...extra });

const SHAPES: { name: string; rules: Rule[]; caps: Capability[] }[] = [
  { name: 'health and version only (system:public-info-viewer)', rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }], caps: [] },
  { name: 'health sub-paths by prefix', rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz/*', '/readyz/etcd'] }], caps: [] },
  { name: 'discovery (pre-1.14 system:discovery)', rules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi/*', '/version'] }], caps: ['nonresource_other'] },
  { name: 'nonResourceURLs wildcard', rules: [{ verbs: ['get'], nonResourceURLs: ['*'] }], caps: ['wildcard', 'nonresource_other'] },
  { name: 'resourceNames-restricted configmap (kubeadm cluster-info)', rules: [core(['configmaps'], ['get'], { resourceNames: ['cluster-info'] })], caps: ['read_configmaps'] },
  { name: 'resourceNames-restricted secret still reads secrets', rules: [core(['secrets'], ['get'], { resourceNames: ['db-password'] })], caps: ['read_secrets'] },
  { name: 'wildcard verbs and resources (cluster-admin)', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
    caps: ['read_secrets', 'read_configmaps', 'list_pods', 'exec', 'write', 'rbac_escalate', 'impersonate', 'wildcard', 'nonresource_other'] },
  { name: 'wildcard verbs on pods only', rules: [core(['pods'], ['*'])], caps: ['list_pods', 'write', 'wildcard'] },
  { name: 'list pods, get pods/log', rules: [core(['pods', 'pods/log'], ['get', 'list'])], caps: ['list_pods'] },
  { name: 'pods/exec create', rules: [core(['pods/exec'], ['create'])], caps: ['exec', 'write'] },
  { name: 'pods/exec via */exec get (websocket)', rules: [core(['*/exec'], ['get'])], caps: ['exec'] },
  { name: 'pods/* does not match pods/exec (RBAC has no prefix match)', rules: [core(['pods/*'], ['get'])], caps: [] },
  { name: 'escalate verb on clusterroles', rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }], caps: ['rbac_escalate'] },
  { name: 'bind verb on roles', rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] }], caps: ['rbac_escalate'] },
  { name: 'create rolebindings', rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] }], caps: ['write', 'rbac_escalate'] },
  { name: 'impersonate users and groups', rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }], caps: ['impersonate'] },
  { name: 'impersonate userextras/scopes', rules: [{ apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes'], verbs: ['impersonate'] }], caps: ['impersonate'] },
  { name: 'self-reviews are not writes (system:basic-user)', rules: [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }], caps: [] },
  { name: 'apiGroups wildcard with read of configmaps', rules: [{ apiGroups: ['*'], resources: ['configmaps'], verbs: ['list'] }], caps: ['read_configmaps', 'wildcard'] },
  { name: 'secrets in another API group do not count', rules: [{ apiGroups: ['example.com'], resources: ['secrets'], verbs: ['get'] }], caps: [] },
  { name: 'rule without verbs grants nothing', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: [] }], caps: [] },
  { name: 'watch secrets', rules: [core(['secrets'], ['watch'])], caps: ['read_secrets'] },
];

describe('rbac capabilities', () => {
  for (const s of SHAPES) {
    it(`maps ${s.name}`, () => assert.deepEqual(capabilitiesOf(s.rules), s.caps));
  }

  it('classifies non-resource URLs', () => {
    assert.equal(isOtherNonResourceURL('/readyz'), false);
    assert.equal(isOtherNonResourceURL('/livez/ping'), false);
    assert.equal(isOtherNonResourceURL('/healthz/'), true, 'a bare prefix slash is not a health check');
    assert.equal(isOtherNonResourceURL('/metrics'), true);
    assert.equal(isOtherNonResourceURL('/.well-known/openid-configuration'), true);
  });
});

describe('rbac aggregation and roleRef resolution', () => {
  const index = new RbacIndex(new Set());
  index.replace('clusterroles', [
    { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'x/agg': 'true' } }] }, rules: [] },
    { metadata: { name: 'agg2' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'x/agg2', operator: 'Exists' }] }] }, rules: [] },
    { metadata: { name: 'part-exec', labels: { 'x/agg': 'true' } }, rules: [core(['pods/exec'], ['create'])] },
    { metadata: { name: 'nested', labels: { 'x/agg2': '' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'x/agg': 'true' } }] }, rules: [] },
  ] as never);

  it('collects rules of selected ClusterRoles, transitively', () => {
    const v = deriveBinding('ClusterRoleBinding', { metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'agg2' }, subjects: [{ kind: 'User', name: 'system:anonymous' }] }, index, new Set());
    assert.deepEqual(v?.capabilities, ['exec', 'write']);
    assert.equal(v?.roleFound, true);
  });

  it('reports a missing role as granting nothing', () => {
    const v = deriveBinding('RoleBinding', { metadata: { name: 'b', namespace: 'n' }, roleRef: { kind: 'Role', name: 'gone' }, subjects: [{ kind: 'Group', name: 'system:unauthenticated' }] }, index, new Set());
    assert.deepEqual([v?.roleFound, v?.capabilities, v?.expected], [false, [], false]);
  });

  it('matches selectors with Kubernetes semantics', () => {
    assert.equal(selectorMatches({}, { a: 'b' }), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['b', 'c'] }] }, { a: 'c' }), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['b'] }] }, { a: 'b' }), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {}), true);
  });
});

describe('rbac subjects and allow-list', () => {
  it('finds User system:anonymous, Group system:unauthenticated and the misconfigured Group system:anonymous', () => {
    assert.deepEqual(anonymousSubjects([
      { kind: 'Group', name: 'system:authenticated' }, { kind: 'User', name: 'system:anonymous' },
      { kind: 'Group', name: 'system:anonymous' }, { kind: 'Group', name: 'system:unauthenticated' }, { kind: 'User', name: 'system:unauthenticated' },
    ]), ['Group/system:anonymous', 'Group/system:unauthenticated', 'User/system:anonymous']);
    assert.deepEqual(anonymousSubjects(null), []);
  });

  it('parses rbac.expected entries', () => {
    const { keys, invalid } = parseExpected(['ClusterRoleBinding/a:b', 'RoleBinding/ns/x', 'RoleBinding/x', 'Role/ns/x']);
    assert.deepEqual([...keys], ['ClusterRoleBinding//a:b', 'RoleBinding/ns/x']);
    assert.deepEqual(invalid, ['RoleBinding/x', 'Role/ns/x']);
  });

  it('flags an allow-listed default whose role gained rules or whose roleRef changed', () => {
    const key = 'ClusterRoleBinding//system:public-info-viewer';
    const allow = new Set([key]);
    const ref = { kind: 'ClusterRole', name: 'system:public-info-viewer' };
    assert.deepEqual(checkExpected('ClusterRoleBinding', key, allow, ref, [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }]), { expected: true });
    assert.equal(checkExpected('ClusterRoleBinding', key, allow, ref, [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]).expected, false);
    assert.equal(checkExpected('ClusterRoleBinding', key, allow, { kind: 'ClusterRole', name: 'view' }, []).expected, false);
    assert.equal(checkExpected('ClusterRoleBinding', key, new Set(), ref, []).expected, false);
    assert.deepEqual(checkExpected('RoleBinding', 'RoleBinding/ns/custom', new Set(['RoleBinding/ns/custom']), ref, [{ verbs: ['*'] }]), { expected: true });
  });

  it('treats wildcards as wider than the default rules', () => {
    assert.equal(withinRules([core(['configmaps'], ['get'])], [core(['configmaps'], ['get'], { resourceNames: ['cluster-info'] })]), false);
    assert.equal(withinRules([core(['configmaps'], ['get'], { resourceNames: ['cluster-info'] })], [core(['configmaps'], ['get'], { resourceNames: ['cluster-info'] })]), true);
  });
});

describe('rbac subject label values', () => {
  it('uses bare names like k8s_anon_rbac_binding_changes_total, one per binding', async () => {
    const { subjectLabels } = await import('../../src/rbac/metrics.js');
    assert.deepEqual(subjectLabels(['Group/system:anonymous', 'Group/system:unauthenticated', 'User/system:anonymous']), ['system:anonymous', 'system:unauthenticated']);
  });
});

describe('rbac hostile objects', () => {
  it('never throws on malformed subjects, rules or selectors', () => {
    const index = new RbacIndex(new Set());
    index.replace('clusterroles', [
      { metadata: { name: 'weird' }, rules: [null, 'x', { verbs: 'get', resources: ['secrets', 7], apiGroups: [''] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] },
      { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [null, { matchLabels: { a: 'b' } }, { matchExpressions: { key: 'a' } }] }, rules: 'nope' },
      { metadata: {} },
    ] as never);
    index.replace('clusterrolebindings', [
      { metadata: { name: 'a' }, roleRef: { kind: 'ClusterRole', name: 'weird' }, subjects: [null, 7, { kind: 'User', name: 'system:anonymous' }] },
      { metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'agg' }, subjects: { kind: 'User', name: 'system:anonymous' } },
      { metadata: { name: 'c' }, roleRef: null, subjects: [{ kind: 'Group', name: 'system:unauthenticated' }] },
      {},
    ] as never);
    const s = index.summary();
    assert.deepEqual(s.bindings.map((b) => `${b.name}:${b.capabilities.join('+')}:${b.roleFound}`), ['a:read_secrets:true', 'c::false']);
  });
});
