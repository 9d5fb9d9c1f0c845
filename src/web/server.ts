/** The HTTP(S) server behind `web.config`: TLS with reloadable certificates, client certificates and basic auth. */
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { Logger } from '../log.js';
import { BasicAuth } from './auth.js';
import type { TlsSettings, WebConfig } from './config.js';
import { readSecureContext, serverTlsOptions, TlsFileWatch, tlsFiles } from './tls.js';

/** How often the TLS files are checked for a change (a stat of two or three files). */
export const TLS_RELOAD_INTERVAL_MS = 5_000;

/** A started web server and the hook that reloads its certificates when their files changed. */
export interface WebServer { server: Server; reloadTls(): boolean }

/** Whether a request passes the client-certificate rule that the TLS layer leaves to us. */
function clientCertOk(t: TlsSettings | undefined, req: IncomingMessage): boolean {
  if (!t) return true;
  const sock = req.socket as TLSSocket;
  const given = Object.keys(sock.getPeerCertificate?.() ?? {}).length > 0;
  if (t.clientAuthType === 'RequireAnyClientCert') return given;
  if (t.clientAuthType === 'VerifyClientCertIfGiven') return !given || sock.authorized;
  return true;
}

/** Health endpoints answer without basic auth (kubelet and systemd probes carry no credentials; they reveal no audit data). */
export const OPEN_PATHS: readonly string[] = ['/healthz', '/readyz'];

function guard(cfg: WebConfig, handler: RequestListener): RequestListener {
  const auth = new BasicAuth(cfg.users);
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!clientCertOk(cfg.tls, req)) { res.writeHead(403, { 'content-type': 'text/plain' }).end('client certificate required\n'); return; }
    if (!auth.enabled || OPEN_PATHS.includes((req.url ?? '/').split('?')[0] as string)) { handler(req, res); return; }
    auth.check(req).then((ok) => {
      if (ok) handler(req, res);
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="k8s-anon-exporter"', 'content-type': 'text/plain' }).end('unauthorized\n');
    }, () => res.writeHead(500).end());
  };
}

/** Whether `host` is a loopback address or name. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Creates the server for `cfg` (not yet listening); logs a warning for exposed plain endpoints. */
export function createWebServer(cfg: WebConfig, handler: RequestListener, host: string, log: Logger | undefined): WebServer {
  if (!isLoopback(host) && !cfg.tls && cfg.users.size === 0) {
    log?.warn('web.listen is not a loopback address and neither TLS nor basic auth is configured: anyone who reaches it reads which API paths are open; set web.config', { host });
  }
  const tls = cfg.tls;
  if (!tls) return { server: createHttpServer(guard(cfg, handler)), reloadTls: () => false };
  const server = createHttpsServer(serverTlsOptions(tls), guard(cfg, handler));
  const watch = new TlsFileWatch(tlsFiles(tls));
  const reloadTls = (): boolean => {
    if (!watch.changed()) return false;
    try {
      server.setSecureContext(readSecureContext(tls));
      log?.info('TLS certificates reloaded', { certFile: tls.certFile });
      return true;
    } catch (e) {
      watch.retry();
      log?.limited('tls-reload', 'error', 'TLS certificates not reloaded; keeping the previous ones', { error: String(e) });
      return false;
    }
  };
  const timer = setInterval(reloadTls, TLS_RELOAD_INTERVAL_MS).unref();
  server.on('close', () => clearInterval(timer));
  return { server, reloadTls };
}
