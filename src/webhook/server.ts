/** The webhook HTTP(S) endpoint: routing, authentication, body limit; answers come from the acknowledger. */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Logger } from '../log.js';
import type { Answer } from './ack.js';
import { bearerOk, type TlsMaterial } from './auth.js';

/** Everything the endpoint needs. */
export interface WebhookServerOptions {
  host: string;
  port: number;
  path: string;
  tls: TlsMaterial | null;
  token: Buffer | null;
  maxBodyBytes: number;
  /** Decides the answer to a complete body. */
  handle(body: Buffer): Promise<Answer>;
  /** Every answered request; `ackSeconds` from body received to answer. */
  answered(code: number, ackSeconds?: number): void;
  log: Logger;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 404: 'NotFound', 405: 'MethodNotAllowed', 413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType', 429: 'TooManyRequests', 503: 'ServiceUnavailable',
};

/** Writes a Kubernetes-style Status answer (client-go honours Retry-After on 429 and 503). */
function reply(res: ServerResponse, code: number, message: string, retryAfter?: number, close = false): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (code === 401) headers['www-authenticate'] = 'Bearer realm="k8s-anon-exporter"';
  if (close) headers.connection = 'close';
  const status = code === 200
    ? { kind: 'Status', apiVersion: 'v1', status: 'Success', code }
    : { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: REASONS[code] ?? 'Unknown', code, ...(retryAfter ? { details: { retryAfterSeconds: retryAfter } } : {}) };
  res.writeHead(code, headers).end(`${JSON.stringify(status)}\n`);
}

/** Reads the body up to `max` bytes; null when over the limit (the rest is discarded). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      n += c.length;
      if (n > max) { over = true; chunks.length = 0; resolve(null); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!over) resolve(Buffer.concat(chunks, n)); });
    req.on('error', reject);
  });
}

function preflight(req: IncomingMessage, o: WebhookServerOptions): [number, string] | null {
  if ((req.url ?? '/').split('?')[0] !== o.path) return [404, 'not found'];
  if (req.method !== 'POST') return [405, 'only POST is accepted'];
  if (o.token !== null && !bearerOk(req, o.token)) return [401, 'a valid bearer token is required'];
  const enc = req.headers['content-encoding'];
  if (enc !== undefined && enc !== 'identity') return [415, 'content-encoding is not supported'];
  const len = Number(req.headers['content-length'] ?? 0);
  if (len > o.maxBodyBytes) return [413, `body larger than webhook.maxBodyBytes (${o.maxBodyBytes})`];
  return null;
}

function tooLarge(req: IncomingMessage, res: ServerResponse, o: WebhookServerOptions, msg: string): void {
  o.log.limited('webhook-body-limit', 'warn', 'webhook request body over the limit; answered 413, nothing counted', { maxBodyBytes: o.maxBodyBytes });
  reply(res, 413, msg, undefined, true);
  o.answered(413);
  // Discard what the client still sends, but not forever.
  req.resume();
  setTimeout(() => req.socket.destroy(), 10_000).unref();
}

async function onRequest(req: IncomingMessage, res: ServerResponse, o: WebhookServerOptions): Promise<void> {
  const early = preflight(req, o);
  if (early !== null) {
    if (early[0] === 413) { tooLarge(req, res, o, early[1]); return; }
    reply(res, early[0], early[1], undefined, true);
    o.answered(early[0]);
    req.resume();
    return;
  }
  const body = await readBody(req, o.maxBodyBytes);
  if (body === null) { tooLarge(req, res, o, `body larger than webhook.maxBodyBytes (${o.maxBodyBytes})`); return; }
  const t0 = performance.now();
  const a = await o.handle(body);
  if (a.code === 400) o.log.limited(`webhook-400-${a.reason}`, 'warn', 'malformed webhook batch; answered 400, nothing counted', { reason: a.reason });
  reply(res, a.code, a.reason ?? '', a.retryAfterSeconds);
  o.answered(a.code, (performance.now() - t0) / 1000);
}

/** Starts the endpoint; resolves once it listens. TLS with `ca` rejects missing or foreign client certificates in the handshake. */
export async function startWebhookServer(o: WebhookServerOptions): Promise<Server> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    onRequest(req, res, o).catch((e: unknown) => {
      o.log.limited('webhook-error', 'error', 'webhook request failed', { error: String(e) });
      if (!res.headersSent) reply(res, 503, 'internal error', 1, true);
      o.answered(503);
    });
  };
  const server: Server = o.tls === null ? createHttp(handler)
    : createHttps({ cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: o.tls.ca !== undefined, rejectUnauthorized: o.tls.ca !== undefined, minVersion: 'TLSv1.2' }, handler);
  server.on('tlsClientError', (err) => o.log.limited('webhook-tls', 'warn', 'webhook TLS handshake failed', { error: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  return server;
}
