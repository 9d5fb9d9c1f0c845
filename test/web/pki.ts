/** The web tests' PKI: a CA, a server certificate for 127.0.0.1 and a client certificate (openssl, via bench/pki.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue as issuePair, makeCa } from '../../bench/pki.js';

/** File paths of the generated PKI. */
export interface Pki { dir: string; ca: string; caKey: string; cert: string; key: string; clientCert: string; clientKey: string; cleanup(): void }

/** Issues a certificate signed by the CA in `dir`: a server certificate for `san`, else a client certificate. */
export function issue(dir: string, name: string, san?: string): { cert: string; key: string } {
  const ca = { keyFile: join(dir, 'ca.key'), certFile: join(dir, 'ca.crt') };
  const p = issuePair(dir, ca, name, san ? `subjectAltName=${san}\nextendedKeyUsage=serverAuth` : 'extendedKeyUsage=clientAuth');
  return { cert: p.certFile, key: p.keyFile };
}

/** Creates the CA, a server certificate (IP 127.0.0.1) and a client certificate in a temp dir. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'test-pki-'));
  const ca = makeCa(dir, 'ca');
  const server = issue(dir, 'server', 'IP:127.0.0.1');
  const client = issue(dir, 'client');
  return {
    dir, ca: ca.certFile, caKey: ca.keyFile, cert: server.cert, key: server.key, clientCert: client.cert, clientKey: client.key,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
