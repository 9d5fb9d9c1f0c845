import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze } from '../../src/report/command.js';
import { defaultConfig } from '../../src/config/load.js';
import { PUBLIC_FIXTURES, ROOT } from '../helpers/cli.js';

const cfg = defaultConfig();
const pub = (p: string): string => join(PUBLIC_FIXTURES, p);
type Doc = Awaited<ReturnType<typeof analyze>> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function report(...files: string[]): Promise<Doc> {
  return (await analyze(files, cfg, false)) as Doc;
}

describe('counting: public fixtures', () => {
  it('audit2rbac 2017 raw: RequestReceived never counts, 437 requests, Metadata-level binding writes unverified', async () => {
    const d = await report(pub('audit2rbac-2017-raw/demo.log'));
    assert.equal(d.events, 757);
    assert.equal(d.requests, 437);
    assert.equal(d.anonymous.requests, 0);
    assert.equal(d.unauthorized.requests, 0);
    assert.deepEqual(d.linesSkipped, {});
    assert.equal(d.rbac.bindingChangesCount, 0);
    // 2xx writes at ResponseComplete: rolebindings create 29 + delete 28, clusterrolebindings create 11 + delete 9 + patch 30.
    assert.equal(d.rbac.unverifiedWritesCount, 107);
  });

  it('audit2rbac v1: 37 requests, impersonated non-anonymous users are not anonymous', async () => {
    const d = await report(pub('audit2rbac/demo.log'));
    assert.equal(d.requests, 37);
    assert.equal(d.anonymous.requests, 0);
  });

  it('falco traces: the edited anonymous namespace create is a sensitive allowed request; sorted-key lines parse', async () => {
    const names = ['anonymous_creates_namespace_foo', 'attach_cluster_admin_role', 'create_clusterrolebinding', 'delete_clusterrolebinding',
      'exec_pod', 'minikube_creates_namespace_foo', 'some-user_creates_namespace_foo'];
    const d = await report(...names.map((n) => pub(`falco-k8s-audit/${n}.json`)));
    assert.equal(d.events, 7);
    assert.equal(d.requests, 6, 'exec ResponseStarted 101 is not a request');
    assert.equal(d.anonymous.requests, 1);
    assert.deepEqual(d.anonymous.byEndpointClass, { sensitive: 1 });
    assert.equal(d.anonymous.sensitiveAllowedCount, 1);
    assert.equal(d.rbac.bindingChangesCount, 0, 'subjects name minikube, not anonymous');
    assert.equal(d.rbac.unverifiedWritesCount, 1, 'the delete carries DeleteOptions without subjects');
    assert.ok(d.findings.some((f) => f.severity === 'critical'));
  });

  it('upstream examples: 2 anonymous, 2 401s (ResponseStarted, empty user), exec 101 not counted', async () => {
    const d = await report(pub('upstream-examples/examples.jsonl'));
    assert.equal(d.events, 6);
    assert.equal(d.requests, 5);
    assert.equal(d.anonymous.requests, 2);
    assert.deepEqual(d.anonymous.byCode, { 200: 1, 403: 1 });
    assert.deepEqual(d.anonymous.byEndpointClass, { health: 1, other: 1 });
    assert.equal(d.unauthorized.requests, 2);
    assert.deepEqual(d.unauthorized.bySource.map((s: { source: string }) => s.source).sort(), ['10.0.152.130', 'invalid']);
  });
});

describe('counting: every stage combination', () => {
  let d: Doc;
  before(async () => { d = await report(join(ROOT, 'test/fixtures/audit/stages.jsonl')); });

  it('counts each request once at its counting stage', () => {
    assert.equal(d.events, 30);
    assert.equal(d.requests, 15);
    assert.deepEqual(d.linesSkipped, {});
  });

  it('classifies anonymous requests, including v1beta1, Panic, watches and impersonation', () => {
    assert.equal(d.anonymous.requests, 9);
    assert.deepEqual(d.anonymous.byEndpointClass, { health: 2, resource: 1, sensitive: 4, bootstrap: 1, discovery: 1 });
    assert.deepEqual(d.anonymous.byCode, { 200: 5, 403: 3, 500: 1 });
    assert.equal(d.anonymous.allowed, 5);
    assert.equal(d.anonymous.forbidden, 3);
    assert.equal(d.anonymous.impersonated, 1);
  });

  it('takes the source from the last sourceIPs entry, ignoring a forged X-Forwarded-For chain', () => {
    assert.equal(d.anonymous.sensitiveAllowedCount, 1);
    assert.equal(d.anonymous.sensitiveAllowed[0].source, '10.0.0.99');
    const sources = d.anonymous.bySource.map((s: { source: string }) => s.source);
    assert.ok(!sources.includes('1.2.3.4') && !sources.includes('8.8.8.8'));
  });

  it('counts 401s at ResponseStarted with an empty user, and excludes the canary', () => {
    assert.equal(d.unauthorized.requests, 1);
    assert.equal(d.unauthorized.bySource[0].source, '203.0.113.7');
    assert.equal(d.canaryRequests, 1);
  });

  it('detects binding changes naming anonymous identities and unverified writes', () => {
    assert.equal(d.rbac.bindingChangesCount, 1);
    assert.deepEqual(d.rbac.bindingChanges[0].subjects, ['system:unauthenticated']);
    assert.equal(d.rbac.unverifiedWritesCount, 1);
  });

  it('finds the 45 s silence', () => {
    assert.equal(d.gaps.count, 1);
    assert.ok(d.gaps.maxSeconds > 45 && d.gaps.maxSeconds < 47, String(d.gaps.maxSeconds));
    assert.deepEqual(d.findings.filter((f) => f.severity === 'critical').map((f) => f.code).sort(), ['anonymous_binding_change', 'anonymous_sensitive_allowed']);
  });
});
