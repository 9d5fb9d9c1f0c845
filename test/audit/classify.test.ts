import assert from 'node:assert/strict';
import { classify, type ObjectRefLite } from '../../src/audit/classify.js';

const cases: [string, string, ObjectRefLite | undefined, string][] = [
  ['/healthz', 'get', undefined, 'health'],
  ['/livez?verbose', 'get', undefined, 'health'],
  ['/readyz/etcd', 'get', undefined, 'health'],
  ['/version', 'get', undefined, 'health'],
  ['/version/', 'get', undefined, 'health'],
  ['/versions', 'get', undefined, 'other'],
  ['/api', 'get', undefined, 'discovery'],
  ['/api/v1', 'get', undefined, 'discovery'],
  ['/apis', 'get', undefined, 'discovery'],
  ['/apis/apps', 'get', undefined, 'discovery'],
  ['/apis/apps/v1', 'get', undefined, 'discovery'],
  ['/openapi/v2', 'get', undefined, 'discovery'],
  ['/openapi/v3/apis/apps/v1?hash=abc', 'get', undefined, 'discovery'],
  ['/.well-known/openid-configuration', 'get', undefined, 'discovery'],
  ['/openid/v1/jwks', 'get', undefined, 'discovery'],
  ['/api/v1/namespaces/kube-public/configmaps/cluster-info', 'get', { resource: 'configmaps', namespace: 'kube-public', name: 'cluster-info' }, 'bootstrap'],
  ['/api/v1/namespaces/kube-public/configmaps/cluster-info', 'update', { resource: 'configmaps', namespace: 'kube-public', name: 'cluster-info' }, 'sensitive'],
  ['/api/v1/namespaces/kube-public/configmaps/other', 'get', { resource: 'configmaps', namespace: 'kube-public', name: 'other' }, 'sensitive'],
  ['/api/v1/secrets', 'list', { resource: 'secrets' }, 'sensitive'],
  ['/api/v1/namespaces/a/serviceaccounts/b/token', 'create', { resource: 'serviceaccounts', subresource: 'token', namespace: 'a', name: 'b' }, 'sensitive'],
  ['/api/v1/namespaces/a/serviceaccounts/b', 'get', { resource: 'serviceaccounts', namespace: 'a', name: 'b' }, 'resource'],
  ['/apis/authentication.k8s.io/v1/tokenreviews', 'create', { resource: 'tokenreviews', apiGroup: 'authentication.k8s.io' }, 'sensitive'],
  ['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'create', { resource: 'selfsubjectaccessreviews', apiGroup: 'authorization.k8s.io' }, 'resource'],
  ['/apis/authentication.k8s.io/v1/selfsubjectreviews', 'create', { resource: 'selfsubjectreviews', apiGroup: 'authentication.k8s.io' }, 'resource'],
  ['/apis/rbac.authorization.k8s.io/v1/clusterroles', 'list', { resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' }, 'sensitive'],
  ['/apis/certificates.k8s.io/v1/certificatesigningrequests', 'list', { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' }, 'sensitive'],
  ['/api/v1/namespaces/a/pods/p/exec', 'get', { resource: 'pods', subresource: 'exec' }, 'sensitive'],
  ['/api/v1/namespaces/a/pods/p/log', 'get', { resource: 'pods', subresource: 'log' }, 'sensitive'],
  ['/api/v1/namespaces/a/pods/p/status', 'get', { resource: 'pods', subresource: 'status' }, 'resource'],
  ['/api/v1/nodes/n/proxy/metrics', 'get', { resource: 'nodes', subresource: 'proxy' }, 'sensitive'],
  ['/api/v1/pods', 'list', { resource: 'pods' }, 'resource'],
  ['/api/v1/namespaces', 'create', { resource: 'namespaces' }, 'sensitive'],
  ['/metrics', 'get', undefined, 'sensitive'],
  ['/logs/kube-apiserver.log', 'get', undefined, 'sensitive'],
  ['/debug/pprof/profile', 'get', undefined, 'sensitive'],
  ['/debug', 'get', undefined, 'other'],
  ['/', 'head', undefined, 'other'],
  ['/.env', 'get', undefined, 'other'],
  ['/api/v1/namespaces/a/pods/p/../../../../etc', 'get', undefined, 'other'],
];

describe('endpoint classification (SPEC §4)', () => {
  for (const [uri, verb, ref, want] of cases) {
    it(`${verb} ${uri}${ref ? ` (${ref.resource}${ref.subresource ? `/${ref.subresource}` : ''})` : ''} → ${want}`, () => {
      assert.equal(classify(uri, verb, ref), want);
    });
  }
});
