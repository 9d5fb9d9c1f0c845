import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSelfSignedCert, type TestCert } from '../helpers/tls.js';
import { startFakeApi, type Behaviour } from './fakeapi.js';
import { makeHost, type HostSpec } from './hosts.js';
import { matchGolden } from './golden.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const AUTHN = '--authentication-config=/etc/kubernetes/authn/authentication-config.yaml';

/** Runs the real CLI as a child process and collects its output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Case { name: string; host: HostSpec; api: Behaviour; verdict: string; exit: number }

const CASES: Case[] = [
  { name: 'conditions', host: { manifest: 'authconfig-command', authConfig: 'v1-conditions', proc: ['kube-apiserver', AUTHN] }, api: { mode: 'conditions', paths: ['/livez', '/readyz', '/healthz'] }, verdict: 'locked_down', exit: 0 },
  { name: 'flag-false', host: { manifest: 'false-args', proc: 'with-apiserver' }, api: { mode: 'off' }, verdict: 'locked_down', exit: 0 },
  { name: 'default', host: { manifest: 'absent-command', proc: ['kube-apiserver', '--secure-port=6443'] }, api: { mode: 'rbac' }, verdict: 'exposed', exit: 2 },
  { name: 'exposed', host: { manifest: 'true-command', proc: ['kube-apiserver', '--anonymous-auth=true'] }, api: { mode: 'exposed' }, verdict: 'exposed', exit: 2 },
];

describe('check command (child process, fake HTTPS API server)', function () {
  this.timeout(30_000);
  let cert: TestCert;
  before(() => { cert = makeSelfSignedCert(); });
  after(() => cert.cleanup());

  for (const c of CASES) {
    it(`${c.name}: verdict ${c.verdict}, exit ${c.exit}, text and JSON match the golden files`, async () => {
      const host = makeHost(c.host);
      const api = await startFakeApi(cert, c.api);
      const norm = (s: string): string => s.split(host.root).join('<host>').split(api.url).join('https://127.0.0.1:<port>').split(join(ROOT, 'test/fixtures/posture')).join('<fixtures>');
      try {
        const args = [`--apiserver.manifest=${host.apiserver.manifest}`, `--apiserver.procRoot=${host.apiserver.procRoot}`, `--apiserver.hostRoot=${host.root}`, `--apiserver.url=${api.url}`];
        const [text, json] = await Promise.all([cli(['check', ...args]), cli(['check', '--format', 'json', ...args])]);
        assert.equal(text.code, c.exit, text.stderr);
        assert.equal(json.code, c.exit, json.stderr);
        const doc = JSON.parse(json.stdout) as { verdict: string; probes: unknown[]; anonymousAuth: Record<string, boolean>; allowedPaths: string[] };
        assert.equal(doc.verdict, c.verdict);
        assert.equal(doc.probes.length, 7);
        matchGolden(`check-${c.name}.txt`, norm(text.stdout));
        matchGolden(`check-${c.name}.json`, norm(json.stdout));
      } finally { await api.close(); host.cleanup(); }
    });
  }

  it('connection refused and an invalid manifest: unknown, exit 1, no stack trace', async () => {
    const host = makeHost({ manifest: 'invalid', proc: 'without-apiserver' });
    try {
      const r = await cli(['check', '--format=json', `--apiserver.manifest=${host.apiserver.manifest}`, `--apiserver.procRoot=${host.apiserver.procRoot}`, '--apiserver.url=https://127.0.0.1:1']);
      assert.equal(r.code, 1);
      const doc = JSON.parse(r.stdout) as { verdict: string; probes: { error: string }[]; findings: { code: string }[] };
      assert.equal(doc.verdict, 'unknown');
      assert.ok(doc.probes.every((p) => p.error === 'connection refused'));
      assert.ok(doc.findings.some((f) => f.code === 'manifest_invalid'));
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    } finally { host.cleanup(); }
  });

  it('rejects a bad --format and prints --help', async () => {
    assert.equal((await cli(['check', '--format=xml'])).code, 1);
    const h = await cli(['check', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Exit codes: 0 locked down, 2 exposed, 1 unknown/);
  });
});
