/** The HTTP endpoint: `/metrics`, `/healthz` (liveness), `/readyz` (readiness) and a landing page. */
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { PLAIN, type WebConfig } from '../web/config.js';
import { createWebServer } from '../web/server.js';

/** Health as `/healthz` reports it. */
export interface Health { ok: boolean; detail: Record<string, unknown> }

/** Parses `host:port` (IPv6 in brackets) into parts. */
export function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port: Number(listen.slice(i + 1)) };
}

const LANDING = `<!doctype html><html><head><title>k8s-anon-exporter</title></head><body>
<h1>k8s-anon-exporter</h1><p><a href="/metrics">Metrics</a> · <a href="/healthz">Health</a> · <a href="/readyz">Readiness</a></p></body></html>\n`;

/** Readiness as `/readyz` reports it: 503 with the reasons when not ready. */
export interface Ready { ready: boolean; reasons: unknown[] }

/** TLS and basic auth from `web.config`, and where to log about them. */
export interface WebOptions { config: WebConfig; log?: Logger }

/** Starts the HTTP server on `listen` and resolves once it is bound; without `ready`, `/readyz` follows `health`. */
export async function startHttp(
  listen: string, registry: Registry, health: () => Health, beforeScrape?: () => void, ready?: () => Ready, web?: WebOptions,
): Promise<Server> {
  const { host, port } = splitListen(listen);
  const { server } = createWebServer(web?.config ?? PLAIN, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
    if (path === '/metrics') {
      beforeScrape?.();
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
      );
    } else if (path === '/healthz') {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(h)}\n`);
    } else if (path === '/readyz') {
      const r = ready?.() ?? { ready: health().ok, reasons: [] };
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(r)}\n`);
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(LANDING);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  }, host, web?.log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return server;
}
