/** A local HTTP server speaking the Kubernetes list/watch protocol for rbac.authorization.k8s.io/v1. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The four RBAC resources the server knows. */
export type FakeResource = 'clusterrolebindings' | 'rolebindings' | 'clusterroles' | 'roles';
type Obj = { metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown }; [k: string]: unknown };
type Event = { rv: number; resource: FakeResource; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Obj };
type Watcher = { resource: FakeResource; res: ServerResponse; since: number };

const GROUP_PATH = '/apis/rbac.authorization.k8s.io/v1/';
const SLICES_PATH = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
const KINDS: Record<FakeResource, string> = {
  clusterrolebindings: 'ClusterRoleBinding', rolebindings: 'RoleBinding', clusterroles: 'ClusterRole', roles: 'Role',
};

/** How a too-old resourceVersion is answered: a watch ERROR event (current API servers) or an HTTP 410 status. */
export type GoneMode = 'event' | 'status';

/** Fake API server: objects, a global resourceVersion, an event history with compaction, and failure modes. */
export class FakeKube {
  private readonly objects = new Map<FakeResource, Map<string, Obj>>();
  private readonly history: Event[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private rv = 100;
  private compactedRv = 0;
  /** While true, watch streams receive nothing (a stalled watch); events are still recorded. */
  hold = false;
  /** While true, requests are accepted and never answered (a black-holed API server). */
  blackhole = false;
  /** Resources answered with 403 Forbidden. */
  readonly forbidden = new Set<FakeResource>();
  /** How to answer a compacted resourceVersion. */
  goneMode: GoneMode = 'event';
  /** Requests seen, e.g. `list clusterrolebindings`, `watch roles rv=105`. */
  readonly requests: string[] = [];
  /** Base URL once started. */
  url = '';
  /** EndpointSlices in namespace `default` (discovery.k8s.io/v1), listed with their labels. */
  endpointSlices: Obj[] = [];

  /** Starts listening on 127.0.0.1 with an ephemeral port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this.url;
  }

  /** Stops the server and cuts every open connection. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Creates or replaces an object, emitting ADDED or MODIFIED. */
  apply(resource: FakeResource, obj: Obj): void {
    const map = this.map(resource);
    const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    const type = map.has(key) ? 'MODIFIED' : 'ADDED';
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    map.set(key, stored);
    this.emit({ rv: this.rv, resource, type, object: stored });
  }

  /** Deletes an object, emitting DELETED. */
  remove(resource: FakeResource, namespace: string, name: string): void {
    const map = this.map(resource);
    const old = map.get(`${namespace}/${name}`);
    if (!old) return;
    map.delete(`${namespace}/${name}`);
    const object = structuredClone(old);
    object.metadata.resourceVersion = String(++this.rv);
    this.emit({ rv: this.rv, resource, type: 'DELETED', object });
  }

  /** Forgets history: watches from any older resourceVersion get 410 Gone. */
  compact(): void { this.compactedRv = this.rv; }

  /** Sends a BOOKMARK with the current resourceVersion to every open watch. */
  bookmark(): void {
    for (const w of this.watchers) {
      this.send(w, { type: 'BOOKMARK', object: { kind: KINDS[w.resource], apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { resourceVersion: String(this.rv) } } });
    }
  }

  /** Cuts every open watch connection (the client reconnects with its last resourceVersion). */
  dropWatches(): void {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  /** Ends every open watch cleanly, as the API server does after its watch timeout (the client re-watches). */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Number of open watch streams. */
  get openWatches(): number { return this.watchers.size; }

  /** Replays held events to open watches and resumes live delivery. */
  release(): void {
    this.hold = false;
    for (const w of this.watchers) this.replay(w);
  }

  private map(resource: FakeResource): Map<string, Obj> {
    let m = this.objects.get(resource);
    if (!m) this.objects.set(resource, (m = new Map()));
    return m;
  }

  private emit(ev: Event): void {
    this.history.push(ev);
    if (this.hold) return;
    for (const w of this.watchers) if (w.resource === ev.resource) this.replay(w);
  }

  private replay(w: Watcher): void {
    for (const ev of this.history) {
      if (ev.resource !== w.resource || ev.rv <= w.since) continue;
      this.send(w, { type: ev.type, object: { kind: KINDS[ev.resource], apiVersion: 'rbac.authorization.k8s.io/v1', ...ev.object } });
      w.since = ev.rv;
    }
  }

  private send(w: Watcher, ev: unknown): void { w.res.write(`${JSON.stringify(ev)}\n`); }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === SLICES_PATH && req.method === 'GET') { this.listSlices(url, res); return; }
    const resource = url.pathname.startsWith(GROUP_PATH) ? url.pathname.slice(GROUP_PATH.length) as FakeResource : undefined;
    if (!resource || !(resource in KINDS) || req.method !== 'GET') { status(res, 404, 'NotFound', `the server could not find the requested resource`); return; }
    const watch = url.searchParams.get('watch') === 'true';
    const rvParam = url.searchParams.get('resourceVersion') ?? '';
    this.requests.push(watch ? `watch ${resource} rv=${rvParam}` : `list ${resource}`);
    if (this.blackhole) return;
    if (this.forbidden.has(resource)) {
      status(res, 403, 'Forbidden', `${resource}.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:monitoring:k8s-anon-exporter" cannot ${watch ? 'watch' : 'list'} resource "${resource}" in API group "rbac.authorization.k8s.io" at the cluster scope`);
      return;
    }
    if (watch) this.startWatch(resource, rvParam, res);
    else this.list(resource, res);
  }

  private list(resource: FakeResource, res: ServerResponse): void {
    const items = [...this.map(resource).values()];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: `${KINDS[resource]}List`, apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { resourceVersion: String(this.rv) }, items }));
  }

  private listSlices(url: URL, res: ServerResponse): void {
    const selector = url.searchParams.get('labelSelector') ?? '';
    this.requests.push(`list endpointslices ${selector}`);
    if (this.blackhole) return;
    const [k, v] = selector.split('=');
    const items = this.endpointSlices.filter((o) => !k || (o.metadata.labels as Record<string, string> | undefined)?.[k] === v);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion: String(this.rv) }, items }));
  }

  private startWatch(resource: FakeResource, rvParam: string, res: ServerResponse): void {
    const since = rvParam === '' || rvParam === '0' ? this.rv : Number(rvParam);
    if (since < this.compactedRv) {
      const msg = `too old resource version: ${since} (${this.compactedRv})`;
      if (this.goneMode === 'status') { status(res, 410, 'Expired', msg); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: msg, reason: 'Expired', code: 410 } })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = { resource, res, since };
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
    if (!this.hold) this.replay(w);
  }
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

/** Writes a kubeconfig pointing at `server` (plain HTTP needs insecure-skip-tls-verify for client-node) and returns its path. */
export function writeKubeconfig(dir: string, server: string, file = 'kubeconfig'): string {
  const path = join(dir, file);
  writeFileSync(path, [
    'apiVersion: v1', 'kind: Config', 'current-context: fake',
    'clusters:', '- name: fake', '  cluster:', `    server: ${server}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: fake', '  user:', '    token: fake-token',
    'contexts:', '- name: fake', '  context:', '    cluster: fake', '    user: fake', '',
  ].join('\n'));
  return path;
}
