import assert from 'node:assert/strict';
import { Analyzer } from '../../src/audit/analyzer.js';
import { LineSplitter } from '../../src/audit/lines.js';
import { eventLine, type EventSpec } from '../../src/demo/events.js';
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
      it(`401 with ${label} at ${stage}: both paths, every order, SPEC §4 counts`, () => {
        const native = eventLine({ stage, uri: '/apis/metrics.k8s.io/v1beta1/nodes', verb: 'list', user: user === 'none' ? {} : user,
          objectRef: { resource: 'nodes', apiGroup: 'metrics.k8s.io' }, sourceIPs: ['10.1.2.3'], userAgent: 'kubectl/v1.32', code: 401, timeMs: Date.UTC(2025, 0, 1) });
        const base = user === 'none' ? withoutUser(native) : native;
        const r = rng(11);
        const variants = [base, leadingKey(base), ...Array.from({ length: 12 }, () => shuffled(base, r))];
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
  // The random-order, random-type differential fuzz lives in fuzz.test.ts (npm run fuzz for 1,000,000 events).
});
