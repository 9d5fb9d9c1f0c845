import assert from 'node:assert/strict';
import { Analyzer } from '../../src/audit/analyzer.js';
import { LineSplitter } from '../../src/audit/lines.js';
import { ANONYMOUS, eventLine, type EventSpec } from '../../src/demo/events.js';
import { rng } from './fuzzgen.js';

function analyzer(fastPath: boolean): Analyzer {
  return new Analyzer({ sourceClasses: {}, sourceAddress: 'last', maxSourceSeries: 50, gapThresholdSeconds: 1, fastPath });
}

function run(lines: string[], fastPath: boolean): Analyzer {
  const a = analyzer(fastPath);
  const s = new LineSplitter(1 << 24, a);
  s.push(Buffer.from(`${lines.join('\n')}\n`));
  s.finish();
  return a;
}

/** Re-serialises `line` with its top-level keys in a random order. */
function shuffled(line: string, r: (k: number) => number): string {
  const entries = Object.entries(JSON.parse(line) as Record<string, unknown>);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = r(i + 1);
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  return JSON.stringify(Object.fromEntries(entries));
}

/** Every variant of `line` with one top-level key moved to another position. */
function movedOne(line: string): string[] {
  const entries = Object.entries(JSON.parse(line) as Record<string, unknown>);
  const out: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = 0; j < entries.length; j++) {
      if (i === j) continue;
      const e = [...entries];
      const [moved] = e.splice(i, 1);
      e.splice(j, 0, moved as [string, unknown]);
      out.push(JSON.stringify(Object.fromEntries(e)));
    }
  }
  return out;
}

/** `line` with one random top-level key moved to a random position. */
function moveOne(line: string, r: (k: number) => number): string {
  const e = Object.entries(JSON.parse(line) as Record<string, unknown>);
  const [moved] = e.splice(r(e.length), 1);
  e.splice(r(e.length + 1), 0, moved as [string, unknown]);
  return JSON.stringify(Object.fromEntries(e));
}

/** The same event with one extra key in front (the order that used to change the count). */
const leadingKey = (line: string): string => `{"x":1,${line.slice(1)}`;

/** Removes the `user` key entirely. */
const withoutUser = (line: string): string => {
  const o = JSON.parse(line) as Record<string, unknown>;
  delete o.user;
  return JSON.stringify(o);
};

const sum = (m: Map<string, number>): number => [...m.values()].reduce((x, y) => x + y, 0);

describe('one answer per event whatever its key order', () => {
  const users: [string, EventSpec['user'] | 'none'][] = [
    ['authenticated', { username: 'alice', groups: ['system:authenticated'] }],
    ['empty username', { username: '' }],
    ['"user":{}', {}],
    ['no user', 'none'],
  ];
  const stages = ['ResponseComplete', 'Panic', 'ResponseStarted'] as const;

  for (const [label, user] of users) {
    for (const stage of stages) {
      it(`401 with ${label} at ${stage}: both paths, native, every one-key move and shuffled orders, SPEC §4 counts`, () => {
        const native = eventLine({ stage, uri: '/apis/metrics.k8s.io/v1beta1/nodes', verb: 'list', user: user === 'none' ? {} : user,
          objectRef: { resource: 'nodes', apiGroup: 'metrics.k8s.io' }, sourceIPs: ['10.1.2.3'], userAgent: 'kubectl/v1.32', code: 401, timeMs: Date.UTC(2025, 0, 1) });
        const base = user === 'none' ? withoutUser(native) : native;
        const r = rng(11);
        const variants = [base, leadingKey(base), ...movedOne(base), ...Array.from({ length: 12 }, () => shuffled(base, r))];
        // SPEC §4: ResponseComplete and Panic always count; ResponseStarted counts with code 401 and an empty user.
        const empty = label !== 'authenticated';
        const counted = stage !== 'ResponseStarted' || empty ? 1 : 0;
        for (const line of variants) {
          for (const fastPath of [true, false]) {
            const a = run([line], fastPath);
            assert.equal(a.c.requests, counted, `requests, fast=${fastPath}: ${line}`);
            assert.equal(sum(a.c.unauthorized), counted, `unauthorized, fast=${fastPath}: ${line}`);
            assert.equal(a.c.events.get(stage), 1);
          }
        }
      });
    }
  }
  // The whole-output differential fuzz lives in fuzz.test.ts (npm run fuzz for 1,000,000 events); this one
  // weights one-key moves, which slip past a prefix check, and wrong value types.
  it('a fuzz of 50,000 events with random key orders and value types counts the same through both paths', () => {
    const lines = fuzzLines(50_000, rng(20_251_129));
    const fast = run(lines, true);
    const full = run(lines, false);
    assert.deepEqual(fast.snapshot(), full.snapshot());
    assert.ok(sum(full.c.unauthorized) > 1000 && sum(full.c.skipped) > 100 && sum(full.c.anon) > 1000);
  });
});

const WRONG_TYPES: unknown[] = [1, '401', null, true, [], {}, [1], 'x'];

function fuzzLines(n: number, r: (k: number) => number): string[] {
  const users = [ANONYMOUS, {}, { username: '' }, { username: 'alice', groups: ['system:authenticated'] }, { username: 'system:anonymou\\u0073' }];
  const stages = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
  const refs = [undefined, { resource: 'pods' }, { resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', namespace: 'a' },
    { resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io' }, { resource: 'secrets', name: 'x' }];
  const keys = ['stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'responseStatus', 'objectRef', 'impersonatedUser', 'stageTimestamp', 'kind'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ref = refs[r(refs.length)];
    const line = eventLine({
      stage: stages[r(4)] as typeof stages[number], uri: ref ? `/api/v1/${ref.resource}` : ['/healthz', '/api', '/', '/metrics'][r(4)] as string,
      verb: ['get', 'list', 'create', 'delete', 'patch'][r(5)] as string, user: users[r(users.length)],
      impersonatedUser: r(10) === 0 ? { username: 'system:anonymous' } : undefined, sourceIPs: [`10.0.${r(3)}.${r(5)}`],
      userAgent: r(2) ? 'ua "q" \\ b' : undefined, objectRef: ref, code: [200, 201, 401, 401, 403, 404, 101][r(7)],
      level: r(3) === 0 ? 'RequestResponse' : 'Metadata',
      requestObject: r(4) === 0 ? { subjects: [{ kind: 'Group', name: r(2) ? 'system:unauthenticated' : 'devs' }] } : undefined,
      timeMs: Date.UTC(2025, 0, 1) + i * 700 + r(3000),
    }).replace('anonymou\\\\u0073', 'anonymou\\u0073');
    // A third native, a third with one key moved (what slips past a prefix check), a third shuffled.
    const order = r(3);
    let o = order === 0 ? line : order === 1 ? moveOne(line, r) : shuffled(line, r);
    if (r(8) === 0) {
      const obj = JSON.parse(o) as Record<string, unknown>;
      obj[keys[r(keys.length)] as string] = WRONG_TYPES[r(WRONG_TYPES.length)];
      o = JSON.stringify(obj);
    }
    if (r(20) === 0) o = leadingKey(o);
    out.push(o);
  }
  return out;
}
