/** Reading one API server instance's `/metrics` with the kubeconfig's credentials, keeping only the lines the mirror needs. */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import { extract, wanted, type ApiserverSample } from './apiserver-parse.js';
import { USER_AGENT } from './request.js';

/** Reads `/metrics` of the instance at `baseUrl`. */
export type MetricsFetch = (baseUrl: string) => Promise<ApiserverSample>;

/** Stops reading a response larger than this (a kube-apiserver exposition is rarely above 50 MiB). */
export const MAX_BYTES = 256 * 1024 * 1024;

function explain(status: number): string {
  if (status === 401) return 'HTTP 401: the API server rejected the kubeconfig credentials';
  if (status === 403) return 'HTTP 403: the credentials lack get on nonResourceURL /metrics (see deploy/rbac.yaml)';
  return `HTTP ${status}`;
}

/** The certificate must name the instance address or, failing that, the kubeconfig's server host (instances are dialled by IP). */
function identity(fallbackHost: string) {
  return (host: string, cert: PeerCertificate): Error | undefined => {
    const direct = checkServerIdentity(host, cert);
    return direct && fallbackHost !== host ? checkServerIdentity(fallbackHost, cert) : direct;
  };
}

/** A fetcher using the TLS settings and credentials of `kc`'s current context. */
export function kubeMetricsFetch(kc: KubeConfig, timeoutMs: number): MetricsFetch {
  const server = kc.getCurrentCluster()?.server ?? '';
  const fallbackHost = server ? new URL(server).hostname.replace(/^\[|\]$/g, '') : '';
  return async (baseUrl) => {
    const opts: RequestOptions & { checkServerIdentity?: typeof checkServerIdentity } = { method: 'GET', headers: { 'user-agent': USER_AGENT, accept: 'text/plain' } };
    await kc.applyToHTTPSOptions(opts as never);
    const url = new URL('/metrics', baseUrl);
    if (url.protocol === 'https:') opts.checkServerIdentity = identity(fallbackHost);
    return get(url, opts, timeoutMs);
  };
}

function get(url: URL, opts: RequestOptions, timeoutMs: number): Promise<ApiserverSample> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { ...opts, agent: false }, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new Error(explain(res.statusCode ?? 0))); return; }
      const keep: string[] = [];
      let rest = '';
      let bytes = 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        if (bytes > MAX_BYTES) { req.destroy(new Error('response too large')); return; }
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const l of parts) if (wanted(l)) keep.push(l);
      });
      res.on('end', () => { if (wanted(rest)) keep.push(rest); resolve(extract(keep)); });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs / 1000}s`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code ?? e.message)));
    req.end();
  });
}
