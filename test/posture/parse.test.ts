import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApiserverArgs } from '../../src/posture/flags.js';
import { containerToHost, parseManifest } from '../../src/posture/manifest.js';
import { splitCmdline } from '../../src/posture/proc.js';
import { isHealthPath, isProbeTarget } from '../../src/posture/paths.js';
import { FIXTURES } from './hosts.js';

describe('posture parsing helpers', () => {
  it('parses --anonymous-auth like pflag: bare, Go booleans, last one wins, bad values reported', () => {
    assert.equal(parseApiserverArgs(['kube-apiserver', '--anonymous-auth']).anonymousAuth, true);
    assert.equal(parseApiserverArgs(['--anonymous-auth=F']).anonymousAuth, false);
    assert.equal(parseApiserverArgs(['--anonymous-auth=false', '--anonymous-auth=1']).anonymousAuth, true);
    const bad = parseApiserverArgs(['--anonymous-auth=no']);
    assert.equal(bad.anonymousAuth, undefined);
    assert.match(bad.problems[0] ?? '', /not a boolean/);
    assert.equal(parseApiserverArgs(['--secure-port=6443']).anonymousAuth, undefined);
  });

  it('reads --authentication-config with = or as the next argument, and --feature-gates', () => {
    assert.equal(parseApiserverArgs(['--authentication-config', '/a.yaml']).authenticationConfig, '/a.yaml');
    assert.equal(parseApiserverArgs(['--authentication-config=/b.yaml']).authenticationConfig, '/b.yaml');
    assert.deepEqual(parseApiserverArgs(['--feature-gates=A=true, AnonymousAuthConfigurableEndpoints=false']).featureGates, { A: true, AnonymousAuthConfigurableEndpoints: false });
    assert.match(parseApiserverArgs(['--authentication-config']).problems[0] ?? '', /missing value/);
  });

  it('maps container paths to host paths through hostPath mounts (longest prefix, subPath)', () => {
    const mounts = [
      { mountPath: '/etc/kubernetes', hostPath: '/srv/kube' },
      { mountPath: '/etc/kubernetes/authn/', hostPath: '/srv/authn' },
      { mountPath: '/cfg/authn.yaml', hostPath: '/srv/files', subPath: 'authn-v2.yaml' },
    ];
    assert.deepEqual(containerToHost('/etc/kubernetes/authn/a.yaml', mounts), { path: '/srv/authn/a.yaml', mapped: true });
    assert.deepEqual(containerToHost('/etc/kubernetes/pki/ca.crt', mounts), { path: '/srv/kube/pki/ca.crt', mapped: true });
    assert.deepEqual(containerToHost('/cfg/authn.yaml', mounts), { path: '/srv/files/authn-v2.yaml', mapped: true });
    assert.deepEqual(containerToHost('/etc/kubernetes-other/x', mounts), { path: '/etc/kubernetes-other/x', mapped: false });
  });

  it('reads command then args from a kubeadm manifest, and its hostPath mounts', () => {
    const v = parseManifest(readFileSync(join(FIXTURES, 'manifests', 'false-args.yaml'), 'utf8'));
    assert.equal(v.argv[0], 'kube-apiserver');
    assert.equal(v.argv.at(-1), '--anonymous-auth=false');
    assert.deepEqual(v.mounts.find((m) => m.mountPath === '/etc/kubernetes/authn'), { mountPath: '/etc/kubernetes/authn', hostPath: '/srv/k8s-authn' });
    assert.throws(() => parseManifest('kind: Pod\nspec:\n  containers:\n  - name: etcd\n'), /no kube-apiserver container/);
    assert.throws(() => parseManifest('- a\n- b\n'), /not a Pod manifest/);
  });

  it('splits NUL-separated cmdlines and classifies paths', () => {
    assert.deepEqual(splitCmdline(Buffer.from('kube-apiserver\0--a=b c\0\0')), ['kube-apiserver', '--a=b c', '']);
    assert.deepEqual(splitCmdline(Buffer.alloc(0)), []);
    for (const p of ['/healthz', '/livez/etcd', '/readyz?verbose', '/version', '/version/']) assert.ok(isHealthPath(p), p);
    for (const p of ['/api', '/healthzz', '/versions', '/', '/metrics']) assert.ok(!isHealthPath(p), p);
    assert.ok(isProbeTarget('/readyz?verbose') && !isProbeTarget('/version'));
  });
});
