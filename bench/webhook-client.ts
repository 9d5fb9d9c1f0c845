/** A minimal webhook client for tests: POSTs a body over HTTP(S) with optional client certificate and token. */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** How to reach the webhook input. */
export interface Target {
  url: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  token?: string;
  agent?: Agent;
  timeoutMs?: number;
}

/** Status code and body of an answer. */
export interface Reply { status: number; body: string; headers: IncomingMessage['headers'] }

/** A keep-alive HTTPS agent presenting the given client certificate (if any). */
export function agentFor(t: Target): Agent {
  return new Agent({
    keepAlive: true, maxSockets: 8,
    ca: t.caFile ? readFileSync(t.caFile) : undefined,
    cert: t.certFile ? readFileSync(t.certFile) : undefined,
    key: t.keyFile ? readFileSync(t.keyFile) : undefined,
  });
}

/** POSTs `body` (a buffer, or a stream sent chunked) and resolves with the answer; rejects on connection or TLS errors. */
export function post(t: Target, body: Buffer | Readable, method = 'POST'): Promise<Reply> {
  const u = new URL(t.url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (t.token !== undefined) headers.authorization = `Bearer ${t.token}`;
  if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const opts = { method, hostname: u.hostname, port: u.port, path: u.pathname, headers };
    const req = u.protocol === 'https:' ? httpsRequest({ ...opts, agent: t.agent ?? agentFor(t) }) : httpRequest(opts);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // Like the API server's client: a request that hangs is a failure, never a wait forever.
    req.setTimeout(t.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
    if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** An EventList body holding `items`. */
export const eventList = (items: unknown[]): Buffer => Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }));
