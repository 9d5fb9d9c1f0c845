/** One unauthenticated HTTPS GET with a bounded timeout that never throws. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { VERSION } from '../version.js';

/** What to request. */
export interface GetOptions {
  baseUrl: string;
  /** Path with optional query, e.g. `/api/v1/secrets?limit=1`. */
  path: string;
  timeoutMs: number;
  /** CA bundle to verify the server with; undefined: no verification. */
  ca?: Buffer;
  /** Extra headers; never credentials. */
  headers?: Record<string, string>;
}

/** Either the HTTP status or why no response arrived. */
export type GetOutcome = { status: number } | { error: string };

/** The User-Agent of every request the exporter sends to the API server. */
export const USER_AGENT = `k8s-anon-exporter/${VERSION}`;

function describe(err: NodeJS.ErrnoException, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `timeout after ${timeoutMs / 1000}s`;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET') return 'connection reset';
  if (err.code && /CERT|SIGNATURE|TLS|SSL|SELF_SIGNED|VERIFY/.test(err.code)) return `TLS: ${err.code}`;
  return err.code ?? err.message;
}

/** Sends GET `path` without credentials and resolves to its status or an error description. */
export function unauthenticatedGet(o: GetOptions): Promise<GetOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try { url = new URL(o.path, o.baseUrl); } catch { resolve({ error: `invalid URL ${o.baseUrl}` }); return; }
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    let timedOut = false;
    let done = false;
    const finish = (r: GetOutcome): void => { if (!done) { done = true; clearTimeout(timer); resolve(r); } };
    const req = send(url, {
      method: 'GET',
      agent: false,
      headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...o.headers },
      ...(https ? { rejectUnauthorized: o.ca !== undefined, ...(o.ca ? { ca: o.ca } : {}) } : {}),
    }, (res) => {
      res.on('error', () => undefined);
      res.resume();
      finish({ status: res.statusCode ?? 0 });
    });
    const timer = setTimeout(() => { timedOut = true; req.destroy(new Error('timeout')); }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: describe(e, o.timeoutMs, timedOut) }));
    req.end();
  });
}
