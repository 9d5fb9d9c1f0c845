/** A self-signed certificate for 127.0.0.1, generated with the openssl CLI into a temp dir. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM key and certificate, and where they are on disk. */
export interface TestCert {
  dir: string;
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
  cleanup(): void;
}

/** Generates a P-256 self-signed certificate valid for IP 127.0.0.1 and `localhost` (or `san`); throws if openssl is missing. */
export function makeSelfSignedCert(cn = '127.0.0.1', san = 'IP:127.0.0.1,DNS:localhost'): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'test-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', `subjectAltName=${san}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return {
    dir, keyFile, certFile,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
