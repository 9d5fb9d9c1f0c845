/**
 * A seeded deterministic simulation of the webhook acknowledgement path: the real Acker,
 * GroupCommit, DigestRing and checkpoint section, with the disk, the network, fsync completion
 * and crashes driven by a PRNG. Every step is chosen from the seed, so a failing seed replays.
 */
import { Acker, type Answer } from '../../src/webhook/ack.js';
import { GroupCommit } from '../../src/webhook/commit.js';
import { WebhookState } from '../../src/webhook/state.js';
import { Rng } from '../../bench/prng.js';

interface Fsync { snapshot: string; resolve(): void; reject(e: Error): void }
interface Flight { client: number; body: Buffer; epoch: number; answer: Answer | null }
interface Client { batches: Buffer[]; next: number; busy: boolean; acked: number }

/** Options of one run. */
export interface SimOptions { clients: number; batchesPerClient: number; eventsPerBatch: number; maxCrashes: number; maxPendingEvents: number }

/** One node process: in-memory counts, digests and the real acknowledger. */
class Node {
  counts = new Map<string, number>();
  readonly state: WebhookState;
  readonly commit: GroupCommit;
  readonly acker: Acker;
  private events = 0;
  private duplicates = 0;

  constructor(disk: string | null, fsyncs: Fsync[], digests: number, maxPendingEvents: number) {
    this.state = new WebhookState(digests, () => ({ events: this.events, duplicates: this.duplicates }), (c) => { this.events = c.events; this.duplicates = c.duplicates; });
    if (disk !== null) {
      const d = JSON.parse(disk) as { counts: Record<string, number>; webhook: unknown };
      this.counts = new Map(Object.entries(d.counts));
      this.state.restore(d.webhook);
    }
    this.commit = new GroupCommit(() => {
      // Captured synchronously, as the real writer does.
      const snapshot = JSON.stringify({ counts: Object.fromEntries(this.counts), webhook: this.state.snapshot() });
      return new Promise<void>((resolve, reject) => fsyncs.push({ snapshot, resolve, reject }));
    });
    this.acker = new Acker({
      durable: this.commit, digests: this.state.digests, maxPendingEvents,
      apply: (items) => { for (const it of items) { const id = (it as { auditID: string }).auditID; this.counts.set(id, (this.counts.get(id) ?? 0) + 1); } },
      events: { batch: (n) => { this.events += n; }, duplicate: () => { this.duplicates++; } },
    });
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Result of one run: a failure message (with the trace tail) or null. */
export async function simulate(seed: number, o: SimOptions): Promise<{ error: string | null; writes: number; acks: number; crashes: number; duplicates: number }> {
  const r = new Rng(seed);
  const rnd = (): number => r.next();
  const trace: string[] = [];
  const clients: Client[] = [];
  for (let c = 0; c < o.clients; c++) {
    const batches: Buffer[] = [];
    for (let b = 0; b < o.batchesPerClient; b++) {
      const items = Array.from({ length: o.eventsPerBatch }, (_, i) => ({ kind: 'Event', auditID: `c${c}-b${b}-e${i}` }));
      batches.push(Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items })));
    }
    clients.push({ batches, next: 0, busy: false, acked: 0 });
  }
  let disk: string | null = null;
  let fsyncs: Fsync[] = [];
  let epoch = 0;
  let node = new Node(disk, fsyncs, 64, o.maxPendingEvents);
  let flights: Flight[] = [];
  let crashes = 0, acks = 0, writes = 0, dupSends = 0;
  const fail = (msg: string): string => `seed ${seed}: ${msg}\n  ${trace.slice(-25).join('\n  ')}`;
  const diskCounts = (): Map<string, number> => new Map(disk === null ? [] : Object.entries((JSON.parse(disk) as { counts: Record<string, number> }).counts));
  const send = (c: number, body: Buffer): void => {
    const f: Flight = { client: c, body, epoch, answer: null };
    flights.push(f);
    void node.acker.handle(body).then((a) => { f.answer = a; });
  };
  for (let step = 0; step < 20_000; step++) {
    if (clients.every((c) => c.next >= c.batches.length) && flights.length === 0) break;
    const actions: Array<[string, () => string | null]> = [];
    clients.forEach((cl, c) => {
      if (!cl.busy && cl.next < cl.batches.length) actions.push([`send c${c} b${cl.next}`, () => { cl.busy = true; send(c, cl.batches[cl.next] as Buffer); return null; }]);
      if (!cl.busy && cl.next > 0 && dupSends < 6 && rnd() < 0.05) actions.push([`resend-acked c${c}`, () => { dupSends++; send(c, cl.batches[cl.next - 1] as Buffer); return null; }]);
    });
    if (fsyncs.length > 0) {
      actions.push(['fsync ok', () => { const f = fsyncs.shift() as Fsync; disk = f.snapshot; writes++; f.resolve(); return null; }]);
      if (rnd() < 0.2) actions.push(['fsync error', () => { const f = fsyncs.shift() as Fsync; f.reject(new Error('EIO')); return null; }]);
    }
    for (const f of flights.filter((x) => x.answer !== null)) {
      actions.push([`answer c${f.client} ${f.answer?.code}`, () => deliver(f)]);
      if (rnd() < 0.15) actions.push([`drop answer c${f.client}`, () => { flights = flights.filter((x) => x !== f); if (f.body === clients[f.client]?.batches[clients[f.client]!.next]) clients[f.client]!.busy = false; return null; }]);
    }
    if (crashes < o.maxCrashes && rnd() < 0.03) actions.push(['crash', () => crash()]);
    if (actions.length === 0) { await flush(); continue; }
    const [name, act] = actions[Math.floor(rnd() * actions.length)] as [string, () => string | null];
    trace.push(`${step} ${name}`);
    const err = act();
    if (err !== null) return { error: fail(err), writes, acks, crashes, duplicates: dupSends };
    await flush();
    for (const [id, n] of node.counts) if (n > 1) return { error: fail(`event ${id} counted ${n} times in memory`), writes, acks, crashes, duplicates: dupSends };
  }
  if (!clients.every((c) => c.next >= c.batches.length)) return { error: fail('did not finish within the step budget'), writes, acks, crashes, duplicates: dupSends };
  // Final commit (clean shutdown), then every event must be on disk exactly once.
  const last = node.commit.commit();
  while (fsyncs.length > 0) { const f = fsyncs.shift() as Fsync; disk = f.snapshot; f.resolve(); await flush(); }
  await last;
  const d = diskCounts();
  for (const cl of clients) for (const b of cl.batches) for (const it of (JSON.parse(b.toString()) as { items: Array<{ auditID: string }> }).items) {
    if (d.get(it.auditID) !== 1) return { error: fail(`event ${it.auditID} on disk ${d.get(it.auditID) ?? 0} times`), writes, acks, crashes, duplicates: dupSends };
  }
  return { error: null, writes, acks, crashes, duplicates: dupSends };

  function deliver(f: Flight): string | null {
    flights = flights.filter((x) => x !== f);
    const cl = clients[f.client] as Client;
    const current = cl.batches[cl.next];
    if (f.answer?.code === 400) return 'a valid batch got 400';
    if (f.answer?.code !== 200) { if (f.body === current) cl.busy = false; return null; }
    acks++;
    // Acknowledged: the batch must already be durable, exactly once.
    const d = diskCounts();
    for (const it of (JSON.parse(f.body.toString()) as { items: Array<{ auditID: string }> }).items) {
      if (d.get(it.auditID) !== 1) return `acknowledged ${it.auditID} is on disk ${d.get(it.auditID) ?? 0} times`;
    }
    if (f.body === current) { cl.next++; cl.busy = false; cl.acked++; }
    return null;
  }

  function crash(): string | null {
    crashes++;
    // A write in flight may or may not have reached the disk; its waiters never hear back.
    const pending = fsyncs.shift();
    if (pending && rnd() < 0.5) disk = pending.snapshot;
    fsyncs = [];
    epoch++;
    for (const f of flights) { const cl = clients[f.client] as Client; if (f.body === cl.batches[cl.next]) cl.busy = false; }
    flights = [];
    node = new Node(disk, fsyncs, 64, o.maxPendingEvents);
    return null;
  }
}
