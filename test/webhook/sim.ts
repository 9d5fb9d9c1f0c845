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

/** Counters a run reports, and its failure (with the trace tail) or null. */
export interface SimResult { error: string | null; writes: number; acks: number; crashes: number; duplicates: number }

type Action = [name: string, act: () => string | null];
const idsOf = (body: Buffer): string[] => (JSON.parse(body.toString()) as { items: Array<{ auditID: string }> }).items.map((it) => it.auditID);

function makeClients(o: SimOptions): Client[] {
  return Array.from({ length: o.clients }, (_, c) => ({
    next: 0, busy: false, acked: 0,
    batches: Array.from({ length: o.batchesPerClient }, (_, b) => Buffer.from(JSON.stringify({
      kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: Array.from({ length: o.eventsPerBatch }, (_, i) => ({ kind: 'Event', auditID: `c${c}-b${b}-e${i}` })),
    }))),
  }));
}

/** The simulated world: clients, network, disk and one node process at a time. */
class World {
  readonly r: Rng;
  readonly clients: Client[];
  readonly trace: string[] = [];
  disk: string | null = null;
  fsyncs: Fsync[] = [];
  flights: Flight[] = [];
  epoch = 0;
  node: Node;
  res: SimResult = { error: null, writes: 0, acks: 0, crashes: 0, duplicates: 0 };

  constructor(readonly seed: number, readonly o: SimOptions) {
    this.r = new Rng(seed);
    this.clients = makeClients(o);
    this.node = new Node(null, this.fsyncs, 64, o.maxPendingEvents);
  }

  rnd(): number { return this.r.next(); }
  done(): boolean { return this.clients.every((c) => c.next >= c.batches.length); }
  fail(msg: string): SimResult { return { ...this.res, error: `seed ${this.seed}: ${msg}\n  ${this.trace.slice(-25).join('\n  ')}` }; }
  diskCounts(): Map<string, number> {
    return new Map(this.disk === null ? [] : Object.entries((JSON.parse(this.disk) as { counts: Record<string, number> }).counts));
  }

  send(c: number, body: Buffer): null {
    const f: Flight = { client: c, body, epoch: this.epoch, answer: null };
    this.flights.push(f);
    void this.node.acker.handle(body).then((a) => { f.answer = a; });
    return null;
  }

  /** The client may send its current batch again once this flight's outcome is known to be lost. */
  release(f: Flight): void {
    const cl = this.clients[f.client] as Client;
    if (f.body === cl.batches[cl.next]) cl.busy = false;
  }

  actions(): Action[] {
    const out: Action[] = [];
    this.clients.forEach((cl, c) => {
      if (!cl.busy && cl.next < cl.batches.length) out.push([`send c${c} b${cl.next}`, () => { cl.busy = true; return this.send(c, cl.batches[cl.next] as Buffer); }]);
      if (!cl.busy && cl.next > 0 && this.res.duplicates < 6 && this.rnd() < 0.05) out.push([`resend-acked c${c}`, () => { this.res.duplicates++; return this.send(c, cl.batches[cl.next - 1] as Buffer); }]);
    });
    if (this.fsyncs.length > 0) {
      out.push(['fsync ok', () => { const f = this.fsyncs.shift() as Fsync; this.disk = f.snapshot; this.res.writes++; f.resolve(); return null; }]);
      if (this.rnd() < 0.2) out.push(['fsync error', () => { (this.fsyncs.shift() as Fsync).reject(new Error('EIO')); return null; }]);
    }
    for (const f of this.flights.filter((x) => x.answer !== null)) {
      out.push([`answer c${f.client} ${f.answer?.code}`, () => this.deliver(f)]);
      if (this.rnd() < 0.15) out.push([`drop answer c${f.client}`, () => { this.flights = this.flights.filter((x) => x !== f); this.release(f); return null; }]);
    }
    if (this.res.crashes < this.o.maxCrashes && this.rnd() < 0.03) out.push(['crash', () => this.crash()]);
    return out;
  }

  deliver(f: Flight): string | null {
    this.flights = this.flights.filter((x) => x !== f);
    const cl = this.clients[f.client] as Client;
    if (f.answer?.code === 400) return 'a valid batch got 400';
    if (f.answer?.code !== 200) { this.release(f); return null; }
    this.res.acks++;
    // Acknowledged: the batch must already be durable, exactly once.
    const d = this.diskCounts();
    for (const id of idsOf(f.body)) if (d.get(id) !== 1) return `acknowledged ${id} is on disk ${d.get(id) ?? 0} times`;
    if (f.body === cl.batches[cl.next]) { cl.next++; cl.busy = false; cl.acked++; }
    return null;
  }

  crash(): null {
    this.res.crashes++;
    // A write in flight may or may not have reached the disk; its waiters never hear back.
    const pending = this.fsyncs.shift();
    if (pending && this.rnd() < 0.5) this.disk = pending.snapshot;
    this.fsyncs = [];
    this.epoch++;
    for (const f of this.flights) this.release(f);
    this.flights = [];
    this.node = new Node(this.disk, this.fsyncs, 64, this.o.maxPendingEvents);
    return null;
  }

  /** Clean shutdown: a final commit, then every event must be on disk exactly once. */
  async finish(): Promise<SimResult> {
    const last = this.node.commit.commit();
    while (this.fsyncs.length > 0) { const f = this.fsyncs.shift() as Fsync; this.disk = f.snapshot; f.resolve(); await flush(); }
    await last;
    const d = this.diskCounts();
    for (const cl of this.clients) for (const b of cl.batches) for (const id of idsOf(b)) if (d.get(id) !== 1) return this.fail(`event ${id} on disk ${d.get(id) ?? 0} times`);
    return this.res;
  }
}

/** Runs one seed to completion; the result's `error` names the seed and the last steps. */
export async function simulate(seed: number, o: SimOptions): Promise<SimResult> {
  const w = new World(seed, o);
  for (let step = 0; step < 20_000 && !(w.done() && w.flights.length === 0); step++) {
    const actions = w.actions();
    if (actions.length === 0) { await flush(); continue; }
    const [name, act] = actions[Math.floor(w.rnd() * actions.length)] as Action;
    w.trace.push(`${step} ${name}`);
    const err = act();
    if (err !== null) return w.fail(err);
    await flush();
    for (const [id, n] of w.node.counts) if (n > 1) return w.fail(`event ${id} counted ${n} times in memory`);
  }
  return w.done() ? w.finish() : w.fail('did not finish within the step budget');
}
