/** A throw-away PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1, client certificates. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and certificate on disk. */
export interface Pair { keyFile: string; certFile: string }

/** CA, server and client material in one temp dir. */
export interface Pki {
  dir: string;
  ca: Pair;
  server: Pair;
  client: Pair;
  /** A client certificate from an unrelated CA. */
  foreignClient: Pair;
  cleanup(): void;
}

const run = (args: string[]): void => { execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] }); };
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed P-256 CA `name` in `dir`. */
export function makeCa(dir: string, name: string): Pair {
  const p = { keyFile: join(dir, `${name}.key`), certFile: join(dir, `${name}.crt`) };
  run(['req', '-x509', ...EC, '-keyout', p.keyFile, '-out', p.certFile, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return p;
}

/** A P-256 key and a certificate `name` signed by `ca`, with the extensions in `ext` (one per line). */
export function issue(dir: string, ca: Pair, name: string, ext: string): Pair {
  const p = { keyFile: join(dir, `${name}.key`), certFile: join(dir, `${name}.crt`) };
  const csr = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', ext, extFile]);
  run(['req', '-new', ...EC, '-keyout', p.keyFile, '-out', csr, '-subj', `/CN=${name}`]);
  run(['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', p.certFile, '-days', '2', '-extfile', extFile]);
  return p;
}

/** Generates the PKI; throws if openssl is missing. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'test-pki-'));
  const ca = makeCa(dir, 'webhook-ca');
  const other = makeCa(dir, 'other-ca');
  return {
    dir, ca,
    server: issue(dir, ca, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'),
    client: issue(dir, ca, 'kube-apiserver', 'extendedKeyUsage=clientAuth'),
    foreignClient: issue(dir, other, 'intruder', 'extendedKeyUsage=clientAuth'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
