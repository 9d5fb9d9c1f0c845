import assert from 'node:assert/strict';
import { inspect } from '../../src/posture/inspect.js';
import { makeHost, type HostSpec } from './hosts.js';
import type { Inspection } from '../../src/posture/types.js';

function run(spec: HostSpec): Inspection {
  const h = makeHost(spec);
  try { return inspect(h.apiserver); } finally { h.cleanup(); }
}
const codes = (i: Inspection): string[] => i.findings.map((f) => f.code);

describe('posture inspector: kubeadm manifests', () => {
  for (const form of ['command', 'args']) {
    for (const [name, expected] of [['absent', true], ['true', true], ['false', false]] as const) {
      it(`--anonymous-auth ${name} in ${form}: manifest says ${expected}`, () => {
        const i = run({ manifest: `${name}-${form}`, proc: 'without-apiserver' });
        assert.equal(i.sources.manifest.state, 'ok');
        assert.equal(i.sources.manifest.anonymousAuth, expected);
        assert.equal(i.sources.process.state, 'absent');
        assert.equal(i.sources.authentication_config.state, 'absent');
        assert.equal(i.unrestricted, expected);
        assert.deepEqual(i.allowedPaths, []);
        assert.deepEqual(i.findings, []);
      });
    }
  }
  it('the absent flag is reported as the default', () => {
    assert.match(run({ manifest: 'absent-command', proc: [] }).sources.manifest.detail, /default on/);
  });
});

describe('posture inspector: --authentication-config files', () => {
  for (const form of ['command', 'args']) {
    for (const v of ['v1alpha1', 'v1beta1', 'v1']) {
      it(`${v} with conditions (${form}): on, restricted to health paths`, () => {
        const i = run({ manifest: `authconfig-${form}`, authConfig: `${v}-conditions`, proc: [] });
        assert.equal(i.sources.manifest.anonymousAuth, true);
        assert.equal(i.sources.authentication_config.state, 'ok');
        assert.equal(i.sources.authentication_config.anonymousAuth, true);
        assert.match(i.sources.authentication_config.origin, /srv\/k8s-authn\/authentication-config\.yaml$/);
        assert.deepEqual(i.allowedPaths, ['/livez', '/readyz', '/healthz']);
        assert.equal(i.unrestricted, false);
        assert.deepEqual(codes(i), v === 'v1alpha1' ? ['feature_gate'] : []);
      });
      it(`${v} without conditions (${form}): on for every path`, () => {
        const i = run({ manifest: `authconfig-${form}`, authConfig: `${v}-no-conditions`, proc: [] });
        assert.equal(i.sources.authentication_config.anonymousAuth, true);
        assert.deepEqual(i.allowedPaths, []);
        assert.equal(i.unrestricted, true);
      });
    }
  }
  it('v1alpha1: the gate is checked per command line (process has it, manifest does not)', () => {
    const h = makeHost({ manifest: 'authconfig-command', authConfig: 'v1alpha1-conditions', proc: ['kube-apiserver', '--feature-gates=AnonymousAuthConfigurableEndpoints=true', '--authentication-config=/etc/kubernetes/authn/authentication-config.yaml'] });
    try {
      const i = inspect(h.apiserver);
      assert.deepEqual(codes(i).filter((c) => c !== 'manifest_process_mismatch'), ['feature_gate']);
      assert.match(i.findings.find((f) => f.code === 'feature_gate')?.message ?? '', /^manifest:/);
    } finally { h.cleanup(); }
  });
  it('enabled: false turns anonymous off', () => {
    const i = run({ manifest: 'authconfig-command', authConfig: 'v1-disabled', proc: [] });
    assert.equal(i.sources.manifest.anonymousAuth, false);
    assert.equal(i.sources.authentication_config.anonymousAuth, false);
    assert.equal(i.unrestricted, false);
  });
  it('a file without an anonymous section leaves the flag default (on)', () => {
    const i = run({ manifest: 'authconfig-command', authConfig: 'v1-no-anonymous', proc: [] });
    assert.equal(i.sources.manifest.anonymousAuth, true);
    assert.equal(i.sources.authentication_config.state, 'ok');
    assert.equal(i.sources.authentication_config.anonymousAuth, undefined);
    assert.equal(i.unrestricted, true);
  });
  it('flag and anonymous section together are a critical finding', () => {
    const i = run({ manifest: 'conflict-command', authConfig: 'v1-conditions', proc: [] });
    const f = i.findings.find((x) => x.code === 'flag_and_config');
    assert.equal(f?.severity, 'critical');
    assert.match(f?.message ?? '', /refuses to start/);
  });
  it('enabled: false with conditions is a finding', () => {
    assert.ok(codes(run({ manifest: 'authconfig-command', authConfig: 'v1-disabled-with-conditions', proc: [] })).includes('authentication_config_invalid'));
  });
  it('a non-health condition path is a warning', () => {
    const i = run({ manifest: 'authconfig-command', authConfig: 'v1-api-condition', proc: [] });
    assert.deepEqual(i.allowedPaths, ['/livez', '/api']);
    assert.ok(codes(i).includes('non_health_condition'));
  });
  it('an invalid or missing file gives unknown, not a crash', () => {
    for (const authConfig of ['invalid', undefined]) {
      const i = run({ manifest: 'authconfig-command', ...(authConfig ? { authConfig } : {}), proc: [] });
      assert.equal(i.sources.authentication_config.state, 'error');
      assert.equal(i.sources.manifest.anonymousAuth, undefined);
      assert.equal(i.unrestricted, undefined);
      assert.ok(codes(i).includes('authentication_config_unreadable'));
    }
  });
});

describe('posture inspector: proc trees and invalid input', () => {
  it('reads the running kube-apiserver from a fake /proc and ignores a grep for it', () => {
    const i = run({ proc: 'with-apiserver' });
    assert.equal(i.sources.process.state, 'ok');
    assert.match(i.sources.process.origin, /\/1187$/);
    assert.equal(i.sources.process.anonymousAuth, false);
    assert.equal(i.sources.process.detail, '--anonymous-auth=false');
    assert.equal(i.sources.manifest.state, 'absent');
    assert.equal(i.unrestricted, false);
  });
  it('no kube-apiserver process: absent', () => {
    const i = run({ manifest: 'false-command', proc: 'without-apiserver' });
    assert.equal(i.sources.process.state, 'absent');
    assert.equal(i.unrestricted, false);
  });
  it('manifest and process disagreeing is a finding; the process decides', () => {
    const i = run({ manifest: 'false-command', proc: 'with-apiserver' });
    assert.deepEqual(codes(i), []);
    const j = run({ manifest: 'absent-args', proc: 'with-apiserver' });
    const f = j.findings.find((x) => x.code === 'manifest_process_mismatch');
    assert.match(f?.message ?? '', /manifest absent, process --anonymous-auth=false/);
    assert.equal(j.unrestricted, false);
  });
  it('an invalid YAML manifest is a clear error and unknown, never a crash', () => {
    const i = run({ manifest: 'invalid', proc: 'without-apiserver' });
    assert.equal(i.sources.manifest.state, 'error');
    assert.match(i.sources.manifest.detail, /invalid YAML/);
    assert.equal(i.sources.manifest.anonymousAuth, undefined);
    assert.equal(i.unrestricted, undefined);
    assert.ok(codes(i).includes('manifest_invalid'));
  });
  it('an unreadable proc root is an error source', () => {
    const h = makeHost({ manifest: 'false-args' });
    h.apiserver.procRoot = `${h.root}/nonexistent`;
    try {
      const i = inspect(h.apiserver);
      assert.equal(i.sources.process.state, 'error');
      assert.equal(i.unrestricted, false);
    } finally { h.cleanup(); }
  });
  it('a process without a manifest reads its authentication config straight under the host root', () => {
    const h = makeHost({ authConfig: 'v1beta1-conditions', proc: ['kube-apiserver', '--authentication-config', '/srv/k8s-authn/authentication-config.yaml'] });
    try {
      const i = inspect(h.apiserver);
      assert.equal(i.sources.process.anonymousAuth, true);
      assert.deepEqual(i.allowedPaths, ['/livez', '/readyz', '/healthz']);
    } finally { h.cleanup(); }
  });
});
