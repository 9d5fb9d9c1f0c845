/** Server credentials and request authentication of the webhook input (TLS material, bearer token). */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/types.js';

/** TLS material for `https.createServer`; `ca` set means client certificates are required. */
export interface TlsMaterial { cert: Buffer; key: Buffer; ca?: Buffer }

/** Reads the files named by `webhook.tls.*`, or null for plain HTTP; throws naming the key on failure. */
export function loadTls(w: Config['webhook']): TlsMaterial | null {
  const { certFile, keyFile, clientCAFile } = w.tls;
  if (certFile === undefined || keyFile === undefined) return null;
  const read = (key: string, path: string): Buffer => {
    try { return readFileSync(path); } catch (e) { throw new Error(`${key}: ${(e as Error).message}`); }
  };
  const out: TlsMaterial = { cert: read('webhook.tls.certFile', certFile), key: read('webhook.tls.keyFile', keyFile) };
  if (clientCAFile !== undefined) out.ca = read('webhook.tls.clientCAFile', clientCAFile);
  return out;
}

/** Reads `webhook.tokenFile` (surrounding whitespace trimmed), or null when unset; throws when empty or unreadable. */
export function loadToken(w: Config['webhook']): Buffer | null {
  if (w.tokenFile === undefined) return null;
  let t: string;
  try { t = readFileSync(w.tokenFile, 'utf8').trim(); } catch (e) { throw new Error(`webhook.tokenFile: ${(e as Error).message}`); }
  if (t === '') throw new Error('webhook.tokenFile: the file is empty');
  return Buffer.from(t);
}

const sha = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();

/** True when the request carries `Authorization: Bearer <token>`; compares in constant time. */
export function bearerOk(req: IncomingMessage, token: Buffer): boolean {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer[ \t]+(\S+)\s*$/i.exec(h) : null;
  // Hash both sides so the comparison takes the same time whatever the presented length.
  return timingSafeEqual(sha(m ? (m[1] as string) : ''), sha(token)) && m !== null;
}
