/** Several fake HTTPS API server instances on 127.0.0.1-3 sharing one port, as an EndpointSlice lists them. */
import { createServer, type Server } from 'node:https';
import type { TestCert } from '../helpers/tls.js';
import { freePort } from '../helpers/net.js';
import { statusFor, type Behaviour } from './fakeapi.js';

/** One instance; `behaviour` may be replaced while it runs (a rollout step). */
export interface Instance { host: string; behaviour: Behaviour; server: Server; seen: string[] }

/** The running instances and their shared port. */
export interface Instances { port: number; list: Instance[]; close(): Promise<void> }

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
}

async function tryStart(cert: TestCert, specs: readonly { host: string; behaviour: Behaviour }[], port: number): Promise<Instance[]> {
  const list: Instance[] = [];
  try {
    for (const s of specs) {
      const inst: Instance = { ...s, seen: [], server: createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
        inst.seen.push(req.url ?? '/');
        const code = statusFor(inst.behaviour, req.url ?? '/');
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', code }));
      }) };
      list.push(inst);
      await listen(inst.server, s.host, port);
    }
    return list;
  } catch (e) {
    await Promise.all(list.map((i) => new Promise<void>((r) => i.server.close(() => r()))));
    throw e;
  }
}

/** Starts one HTTPS server per spec on a port free on every host (retried a few times). */
export async function startInstances(cert: TestCert, specs: readonly { host: string; behaviour: Behaviour }[]): Promise<Instances> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      const list = await tryStart(cert, specs, port);
      const close = async (): Promise<void> => {
        await Promise.all(list.map((i) => new Promise<void>((r) => { i.server.closeAllConnections(); i.server.close(() => r()); })));
      };
      return { port, list, close };
    } catch (e) {
      if (attempt >= 5 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

/** The `default/kubernetes` EndpointSlice listing `hosts` on `port`. */
export function kubernetesSlice(hosts: readonly string[], port: number): { metadata: { name: string; namespace: string; labels: Record<string, string> }; [k: string]: unknown } {
  return {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: hosts.map((h) => ({ addresses: [h], conditions: { ready: true } })),
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
}
