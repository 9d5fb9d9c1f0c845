import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS, eventLine, requestPair } from '../../src/demo/events.js';
import { runCli } from '../helpers/cli.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const valid = (i: number): string[] => requestPair({
  uri: '/api/v1/namespaces/default/pods', verb: 'list', objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
  user: { username: 'system:serviceaccount:kube-system:deployment-controller', groups: ['system:authenticated'] }, code: 200, timeMs: T0 + i * 100,
});

/** Writes the hostile file and returns the exact expected counts. */
function writeHostile(path: string): { requests: number; skipped: Record<string, number> } {
  const fd = openSync(path, 'w');
  const w = (s: string | Buffer): void => { writeSync(fd, typeof s === 'string' ? Buffer.from(s) : s); writeSync(fd, '\n'); };
  const r = rng(42);
  let i = 0;
  const good = (): void => { for (const l of valid(i++)) w(l); };
  good();
  for (let k = 0; k < 20; k++) { // random bytes, never containing a newline
    const b = Buffer.alloc(200 + Math.floor(r() * 800));
    for (let j = 0; j < b.length; j++) { let v = Math.floor(r() * 256); if (v === 10) v = 11; b[j] = v; }
    b[0] = 0x7b; // starts like an object to reach the JSON parser
    w(b);
  }
  good();
  w(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])); // invalid UTF-8, then valid JSON syntax
  const big = Buffer.alloc(20 * 1024 * 1024, 0x61); // 20 MB line, over the 16 MiB default
  big[0] = 0x7b;
  w(big);
  good();
  for (const s of ['[1,2,3]', '"just a string"', '42', 'null', '{"kind":"Pod","apiVersion":"v1"}']) w(s);
  good();
  const base = JSON.parse(valid(99)[1] as string) as Record<string, unknown>;
  w(JSON.stringify({ ...base, sourceIPs: '10.0.0.1' }));
  w(JSON.stringify({ ...base, user: null }));
  w(JSON.stringify({ ...base, responseStatus: { metadata: {}, code: '200' } }));
  w(JSON.stringify({ ...base, verb: ['get'] }));
  good();
  w(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
  w(`{"kind":"Event","requestObject":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  good();
  w(eventLine({ stage: 'ResponseComplete', uri: '/api/v1/namespaces/default/secrets/x', verb: 'get', user: ANONYMOUS, auditID: 'A'.repeat(1024 * 1024),
    objectRef: { resource: 'secrets', namespace: 'default', name: 'x', apiVersion: 'v1' }, sourceIPs: ['203.0.113.9'],
    userAgent: 'evil\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u202e', code: 200, timeMs: T0 + 60_000 }));
  good();
  closeSync(fd);
  // Requests: 7 good pairs (1 each) + the deeply nested Event (stage missing: not counted) + the anonymous read.
  // The invalid UTF-8 line decodes (U+FFFD) to an object without kind; the deep array parses but is no object.
  return { requests: 7 + 1, skipped: { invalid_json: 20, too_long: 1, not_audit_event: 1 + 5 + 1, invalid_field: 4 } };
}

describe('hostile input', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-hostile-'));
  const file = join(dir, 'audit.log');
  let expected: ReturnType<typeof writeHostile>;
  before(() => { expected = writeHostile(file); });

  it('report survives it, counts valid events exactly and skipped lines by reason', async () => {
    const r = await runCli(['report', '--format', 'json', file]);
    assert.equal(r.code, 2, r.stderr);
    const d = JSON.parse(r.stdout) as { requests: number; linesSkipped: Record<string, number>; anonymous: { sensitiveAllowedCount: number } };
    assert.equal(d.requests, expected.requests);
    assert.deepEqual(d.linesSkipped, expected.skipped);
    assert.equal(d.anonymous.sensitiveAllowedCount, 1);
  });

  it('neutralises terminal escape sequences in text output', async () => {
    const r = await runCli(['report', file]);
    assert.equal(r.code, 2);
    assert.ok(!r.stdout.includes('\u001b'), 'raw ESC reached the terminal');
    assert.ok(!r.stdout.includes('\u0007') && !r.stdout.includes('\u202e'));
    assert.match(r.stdout, /evil\\x1b\]0;pwned\\x07\\x1b\[2J/);
  });

  it('the same input through stdin gives the same counts', async () => {
    const { readFileSync } = await import('node:fs');
    const r = await runCli(['report', '--format', 'json', '-'], readFileSync(file));
    const d = JSON.parse(r.stdout) as { requests: number; linesSkipped: Record<string, number> };
    assert.equal(d.requests, expected.requests);
    assert.deepEqual(d.linesSkipped, expected.skipped);
  });

  after(() => writeFileSync(file, ''));
});
