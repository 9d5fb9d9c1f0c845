/** The benchmark log generator: deterministic, kube-apiserver field order, ground truth the report reproduces. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLog, generateLog, type GeneratedLog } from '../../bench/generate.js';
import { fastScan, type FastResult } from '../../src/audit/fastpath.js';
import { runCli } from '../helpers/cli.js';

const ORDER = ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs',
  'userAgent', 'objectRef', 'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations'];
const REQUESTS = 3000;

describe('bench log generator', () => {
  let dir: string;
  let log: GeneratedLog;
  let lines: string[];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-anon-bench-test-'));
    log = generateLog(join(dir, 'a.log'), REQUESTS, 7);
    lines = readFileSync(log.path, 'utf8').split('\n').slice(0, -1);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateLog(join(dir, 'b.log'), REQUESTS, 7);
    const other = generateLog(join(dir, 'c.log'), REQUESTS, 8);
    assert.equal(sha(again.path), sha(log.path));
    assert.notEqual(sha(other.path), sha(log.path));
    assert.equal(statSync(log.path).size, log.bytes);
  });

  it('writes every event in the native field order with Go escaping', () => {
    assert.equal(lines.length, log.truth.lines);
    for (const line of lines) {
      const keys = Object.keys(JSON.parse(line) as object);
      assert.deepEqual(keys, ORDER.filter((k) => keys.includes(k)), line.slice(0, 200));
      assert.ok(!/[&<>]/.test(line), 'raw & < > must be escaped as \\u00XX');
    }
  });

  it('has the traffic mix the benchmark promises', () => {
    const t = log.truth;
    assert.equal(t.requests, REQUESTS);
    assert.ok((t.requests - t.anonymous - t.unauthorized) / t.requests >= 0.9, 'at least 90% authenticated');
    assert.ok(t.anonymous > 0 && t.unauthorized > 0 && t.anonymousAllowed > 0);
    assert.ok((t.events.ResponseStarted ?? 0) > t.unauthorized, 'watches add ResponseStarted events');
    assert.ok(lines.some((l) => l.includes('"level":"RequestResponse"') && l.includes('"responseObject":')));
  });

  it('lets the fast path decide most lines (they are in native order)', () => {
    const out: FastResult = { stage: 'RequestReceived', timeMs: 0 };
    const accepted = lines.filter((l) => { const b = Buffer.from(l); return fastScan(b, 0, b.length, out); }).length;
    assert.ok(accepted / lines.length >= 0.85, `fast path accepted ${accepted} of ${lines.length}`);
  });

  it('matches what report --format json counts', async () => {
    const r = await runCli(['report', '--format', 'json', log.path]);
    assert.ok(r.code === 0 || r.code === 2, r.stderr);
    const doc = JSON.parse(r.stdout) as { events: number; requests: number; linesSkipped: object; anonymous: { requests: number; allowed: number };
      unauthorized: { requests: number }; rbac: { bindingChangesCount: number }; gaps: { count: number } };
    const t = log.truth;
    assert.deepEqual(
      [doc.events, doc.requests, doc.anonymous.requests, doc.anonymous.allowed, doc.unauthorized.requests, doc.rbac.bindingChangesCount, doc.gaps.count],
      [t.lines, t.requests, t.anonymous, t.anonymousAllowed, t.unauthorized, t.bindingWritesNamingAnonymous, t.gapsOver30s],
    );
    assert.deepEqual(doc.linesSkipped, {});
  });

  it('reuses a cached log with the same parameters and regenerates otherwise', () => {
    const first = ensureLog(join(dir, 'cache'), 500, 3);
    const second = ensureLog(join(dir, 'cache'), 500, 3);
    const third = ensureLog(join(dir, 'cache'), 501, 3);
    assert.deepEqual([first.cached, second.cached, third.cached], [false, true, false]);
    assert.equal(second.path, first.path);
    assert.notEqual(third.path, first.path);
  });
});
