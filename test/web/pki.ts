/** A throwaway PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1 and a client certificate. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** File paths of the generated PKI. */
export interface Pki { dir: string; ca: string; caKey: string; cert: string; key: string; clientCert: string; clientKey: string; cleanup(): void }

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Issues a P-256 key and a certificate signed by the CA in `dir` (`san` for servers). */
export function issue(dir: string, name: string, cn: string, san?: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, san ? `subjectAltName=${san}\n` : 'extendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', '2', '-out', cert, '-extfile', ext]);
  return { cert, key };
}

/** Creates the CA, a server certificate (IP 127.0.0.1) and a client certificate in a temp dir. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'test-pki-'));
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ca.key'),
    '-out', join(dir, 'ca.crt'), '-days', '2', '-subj', '/CN=test-ca']);
  const server = issue(dir, 'server', '127.0.0.1', 'IP:127.0.0.1');
  const client = issue(dir, 'client', 'prometheus');
  return {
    dir, ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: server.cert, key: server.key, clientCert: client.cert, clientKey: client.key,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
