/** Cross-key checks of the `webhook.*` configuration, reported with every other config problem. */
import { isIP } from 'node:net';
import type { Config } from '../config/types.js';

const LISTEN = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/;

/** Parses `host:port` (IPv6 in brackets); an empty host means 127.0.0.1. */
export function parseListen(listen: string): { host: string; port: number } | null {
  const m = LISTEN.exec(listen);
  if (!m || Number(m[2]) > 65535) return null;
  const host = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port: Number(m[2]) };
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Every problem of the webhook keys, each naming its key; empty when the input is off or valid. */
export function webhookProblems(cfg: Config): string[] {
  const w = cfg.webhook;
  if (w.listen === undefined) return [];
  const out: string[] = [];
  const l = parseListen(w.listen);
  if (l === null) out.push(`webhook.listen: must be host:port, got ${JSON.stringify(w.listen)}`);
  if (!w.path.startsWith('/')) out.push(`webhook.path: must start with /, got ${JSON.stringify(w.path)}`);
  const { certFile, keyFile, clientCAFile } = w.tls;
  if ((certFile === undefined) !== (keyFile === undefined)) out.push('webhook.tls.certFile: webhook.tls.certFile and webhook.tls.keyFile go together');
  if (clientCAFile !== undefined && certFile === undefined) out.push('webhook.tls.clientCAFile: client certificates need TLS (set webhook.tls.certFile and keyFile)');
  if (certFile === undefined && l !== null && !isLoopback(l.host)) {
    out.push(`webhook.listen: plain HTTP is allowed on loopback only (set webhook.tls.certFile and keyFile to listen on ${l.host})`);
  }
  if (cfg.audit.path !== '' && !w.allowWithFile) {
    out.push('webhook.listen: the webhook input and file tailing (audit.path) both enabled would count one API server twice; set audit.path: "" or webhook.allowWithFile: true');
  }
  return out;
}

/** True when the daemon runs the webhook input. */
export const webhookEnabled = (cfg: Config): boolean => cfg.webhook.listen !== undefined;
