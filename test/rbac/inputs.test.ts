/** createRbacInputs: when the daemon watches RBAC, and which credentials it uses. */
import assert from 'node:assert/strict';
import { createRbacInputs } from '../../src/rbac/index.js';
import { findKubeSource } from '../../src/rbac/kube.js';
import { testContext } from './support.js';

describe('rbac inputs and kubeconfig discovery', () => {
  const none = (): boolean => false;

  it('returns no input when rbac.enabled=false, even with a kubeconfig', () => {
    assert.deepEqual(createRbacInputs(testContext({ enabled: 'false', kubeconfig: '/etc/kubernetes/admin.conf' })), []);
  });

  it('returns no input in auto mode without in-cluster credentials or a kubeconfig', () => {
    const ctx = testContext({ enabled: 'auto' });
    assert.deepEqual(createRbacInputs(ctx, { env: {}, exists: none }), []);
    assert.match(String(ctx.lines[0]?.msg), /rbac watch off/);
  });

  it('returns one input named rbac when enabled=true even without credentials (it reports up 0)', () => {
    const inputs = createRbacInputs(testContext({ enabled: 'true' }), { env: {}, exists: none });
    assert.deepEqual(inputs.map((i) => i.name), ['rbac']);
  });

  it('prefers rbac.kubeconfig, then in-cluster, then the first existing $KUBECONFIG entry', () => {
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount/token';
    const inCluster = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBECONFIG: '/k/a:/k/b' };
    assert.deepEqual(findKubeSource('/x', inCluster, () => true), { kind: 'file', path: '/x' });
    assert.deepEqual(findKubeSource(undefined, inCluster, (p) => p === sa), { kind: 'in-cluster' });
    assert.deepEqual(findKubeSource(undefined, inCluster, (p) => p === '/k/a'), { kind: 'file', path: '/k/a' });
    assert.equal(findKubeSource(undefined, { KUBECONFIG: '/k/missing' }, none), undefined);
    assert.deepEqual(findKubeSource(undefined, {}, (p) => p === '/home/u/.kube/config', '/home/u'), { kind: 'file', path: '/home/u/.kube/config' });
    assert.equal(findKubeSource(undefined, {}, (p) => p === '/home/u/.kube/config'), undefined, 'the daemon gives no home: no fallback');
  });
});
