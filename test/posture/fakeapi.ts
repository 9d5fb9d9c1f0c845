/** A fake kube-apiserver over HTTPS on 127.0.0.1 that answers like a locked-down or an exposed server. */
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestCert } from '../helpers/tls.js';

/** How the fake answers unauthenticated requests. */
export type Behaviour =
  /** KEP-4633 conditions: 200 on the listed paths, 401 elsewhere. */
  | { mode: 'conditions'; paths: string[] }
  /** --anonymous-auth=false: 401 everywhere. */
  | { mode: 'off' }
  /** Default RBAC: health 200, everything else 403. */
  | { mode: 'rbac' }
  /** A bad binding: like rbac, but 200 on /api/v1/secrets. */
  | { mode: 'exposed' }
  /** Like rbac, but 200 on the listed paths as well. */
  | { mode: 'open'; paths: string[] };

/** One request the fake received. */
export interface Seen { path: string; headers: IncomingHttpHeaders }

/** A running fake API server. */
export interface FakeApi {
  url: string;
  seen: Seen[];
  server: Server;
  close(): Promise<void>;
}

const HEALTH = ['/healthz', '/livez', '/readyz', '/version'];

/** The status code the fake answers for `path` (query ignored, as kube-apiserver matches `req.URL.Path`). */
export function statusFor(b: Behaviour, pathWithQuery: string): number {
  const path = pathWithQuery.split('?')[0] ?? '';
  switch (b.mode) {
    case 'conditions': return b.paths.includes(path) ? 200 : 401;
    case 'off': return 401;
    case 'rbac': return HEALTH.includes(path) ? 200 : 403;
    case 'exposed': return HEALTH.includes(path) || path === '/api/v1/secrets' ? 200 : 403;
    case 'open': return HEALTH.includes(path) || b.paths.includes(path) ? 200 : 403;
  }
}

/** Starts the fake on 127.0.0.1, port 0; `onRequest` runs before the answer is sent. */
export async function startFakeApi(cert: TestCert, b: Behaviour, onRequest?: (s: Seen) => void | Promise<void>): Promise<FakeApi> {
  const seen: Seen[] = [];
  const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const s = { path: req.url ?? '/', headers: req.headers };
    seen.push(s);
    void Promise.resolve(onRequest?.(s)).then(() => {
      const code = statusFor(b, s.path);
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
