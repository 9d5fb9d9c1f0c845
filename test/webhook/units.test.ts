/** Webhook units: configuration rules, group commit sharing, backpressure, digest ring, checkpoint section. */
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { Acker } from '../../src/webhook/ack.js';
import { GroupCommit } from '../../src/webhook/commit.js';
import { DigestRing } from '../../src/webhook/digests.js';
import { WebhookState } from '../../src/webhook/state.js';
import { eventList } from '../../bench/webhook-client.js';

const problems = (o: Record<string, string>): string[] => {
  try { loadConfig(undefined, new Map(Object.entries(o))); return []; } catch (e) { return (e as ConfigError).problems; }
};
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('webhook: configuration', () => {
  it('is off by default and audit.path "" turns file tailing off', () => {
    assert.deepEqual(problems({}), []);
    assert.equal(loadConfig(undefined, new Map([['audit.path', '']])).audit.path, '');
  });

  it('refuses the webhook beside file tailing unless webhook.allowWithFile is set', () => {
    assert.match(problems({ 'webhook.listen': '127.0.0.1:19443' }).join('\n'), /webhook\.listen: .*count one API server twice.*webhook\.allowWithFile/);
    assert.deepEqual(problems({ 'webhook.listen': '127.0.0.1:19443', 'webhook.allowWithFile': 'true' }), []);
    assert.deepEqual(problems({ 'webhook.listen': '127.0.0.1:19443', 'audit.path': '' }), []);
  });

  it('allows plain HTTP on loopback only, and checks the TLS keys go together', () => {
    assert.match(problems({ 'webhook.listen': '0.0.0.0:19443', 'audit.path': '' }).join('\n'), /plain HTTP is allowed on loopback only/);
    assert.deepEqual(problems({ 'webhook.listen': '[::1]:19443', 'audit.path': '' }), []);
    assert.deepEqual(problems({ 'webhook.listen': '0.0.0.0:19443', 'audit.path': '', 'webhook.tls.certFile': 'c', 'webhook.tls.keyFile': 'k' }), []);
    assert.match(problems({ 'webhook.listen': '127.0.0.1:1', 'audit.path': '', 'webhook.tls.certFile': 'c' }).join('\n'), /certFile and webhook\.tls\.keyFile go together/);
    assert.match(problems({ 'webhook.listen': '127.0.0.1:1', 'audit.path': '', 'webhook.tls.clientCAFile': 'ca' }).join('\n'), /clientCAFile: client certificates need TLS/);
    assert.match(problems({ 'webhook.listen': 'nope', 'audit.path': '' }).join('\n'), /webhook\.listen: must be host:port/);
  });
});

describe('webhook: group commit', () => {
  it('lets callers that arrive during a write share the next one', async () => {
    const done: Array<() => void> = [];
    const g = new GroupCommit(() => new Promise<void>((r) => done.push(r)));
    const first = g.commit();
    const waiters = [g.commit(), g.commit(), g.commit()];
    assert.equal(done.length, 1);
    done.shift()?.();
    await first;
    await flush();
    assert.equal(done.length, 1, 'one more write for the three waiters');
    done.shift()?.();
    await Promise.all(waiters);
    assert.equal(g.writes, 2);
  });

  it('rejects the waiters of a failed write, and the next commit writes again', async () => {
    let fail = true;
    const g = new GroupCommit(async () => { if (fail) throw new Error('EIO'); });
    await assert.rejects(g.commit(), /EIO/);
    fail = false;
    await g.commit();
    assert.equal(g.writes, 2);
  });
});

describe('webhook: acknowledger', () => {
  const items = (n: number, tag: string): unknown[] => Array.from({ length: n }, (_, i) => ({ kind: 'Event', auditID: `${tag}${i}` }));

  it('answers 429 with Retry-After instead of waiting when too many events are not yet durable, and counts nothing for it', async () => {
    const writes: Array<() => void> = [];
    let applied = 0;
    const a = new Acker({
      durable: new GroupCommit(() => new Promise<void>((r) => writes.push(r))), digests: new DigestRing(8), maxPendingEvents: 10,
      apply: (xs) => { applied += xs.length; }, events: { batch: () => undefined, duplicate: () => undefined },
    });
    const first = a.handle(eventList(items(8, 'a')));
    const second = await a.handle(eventList(items(8, 'b')));
    assert.deepEqual(second, { code: 429, reason: 'overloaded', retryAfterSeconds: 1 });
    assert.equal(applied, 8);
    writes.shift()?.();
    assert.deepEqual(await first, { code: 200 });
    assert.equal(a.pendingEvents, 0);
  });

  it('keeps the newest digests and survives a checkpoint round trip', () => {
    const counts = { events: 3, duplicates: 1 };
    const s = new WebhookState(2, () => counts, () => undefined);
    for (const d of ['a', 'b', 'c'].map((x) => x.repeat(64))) s.digests.add(d);
    assert.deepEqual(s.digests.list(), ['b'.repeat(64), 'c'.repeat(64)]);
    let restored = { events: 0, duplicates: 0 };
    const t = new WebhookState(2, () => counts, (c) => { restored = c; });
    t.restore(JSON.parse(JSON.stringify(s.snapshot())));
    assert.ok(t.digests.has('c'.repeat(64)) && !t.digests.has('a'.repeat(64)));
    assert.deepEqual(restored, counts);
    assert.throws(() => t.restore({ version: 2 }), /unsupported webhook state/);
  });
});
