/** Test host trees for the posture tests: a temp host root with a manifest, an authentication config and a proc tree. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../src/config/types.js';

/** Directory of the posture fixtures. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'posture');

/** What to put in a test host. */
export interface HostSpec {
  /** Fixture manifest name under manifests/ (without .yaml); omitted: no manifest. */
  manifest?: string;
  /** Fixture authentication config under authconfig/ (without .yaml), placed at the manifest's hostPath. */
  authConfig?: string;
  /** Fixture proc tree under proc/, or argv of one kube-apiserver process to create. */
  proc?: string | string[];
}

/** A temp host root and the apiserver config pointing into it. */
export interface TestHost {
  root: string;
  apiserver: Config['apiserver'];
  cleanup(): void;
}

/** Builds a temp host from fixtures; the authentication config lands at `/srv/k8s-authn/authentication-config.yaml` (host side of the manifest's mount). */
export function makeHost(spec: HostSpec): TestHost {
  const root = mkdtempSync(join(tmpdir(), 'posture-host-'));
  const manifest = join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  if (spec.manifest) {
    mkdirSync(dirname(manifest), { recursive: true });
    copyFileSync(join(FIXTURES, 'manifests', `${spec.manifest}.yaml`), manifest);
  }
  if (spec.authConfig) {
    const dst = join(root, 'srv/k8s-authn/authentication-config.yaml');
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(join(FIXTURES, 'authconfig', `${spec.authConfig}.yaml`), dst);
  }
  let procRoot = join(root, 'proc');
  if (typeof spec.proc === 'string') procRoot = join(FIXTURES, 'proc', spec.proc);
  else {
    mkdirSync(join(procRoot, '1'), { recursive: true });
    writeFileSync(join(procRoot, '1', 'comm'), 'systemd\n');
    writeFileSync(join(procRoot, '1', 'cmdline'), '/sbin/init\0');
    if (spec.proc && spec.proc.length > 0) {
      mkdirSync(join(procRoot, '4242'));
      writeFileSync(join(procRoot, '4242', 'comm'), 'kube-apiserver\n');
      writeFileSync(join(procRoot, '4242', 'cmdline'), `${spec.proc.join('\0')}\0`);
    }
  }
  return {
    root,
    apiserver: { manifest, procRoot, url: 'https://127.0.0.1:1', caFile: undefined, hostRoot: root, urls: [], discover: false, metrics: { enabled: false, intervalSeconds: 60 } },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
