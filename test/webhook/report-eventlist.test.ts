/** `report` on EventList files (one per line, one pretty-printed document, gzip) equals `report` on the same events as JSON lines. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateTraffic } from '../../bench/traffic.js';
import { runCli } from '../helpers/cli.js';

const BATCH = 400;

describe('report on EventList files', function () {
  this.timeout(120_000);
  let dir: string;
  let lines: string[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-eventlist-'));
    lines = [];
    // Anonymous traffic, 401s, RBAC writes, a long silence: every report section has content.
    generateTraffic(6000, 11, (l) => { if (l.startsWith('{"kind":"Event"')) lines.push(l); });
    const batches: unknown[][] = [];
    for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH).map((l) => JSON.parse(l) as unknown));
    const list = (items: unknown[]): Record<string, unknown> => ({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
    writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    const perLine = `${batches.map((b) => JSON.stringify(list(b))).join('\n')}\n`;
    writeFileSync(join(dir, 'lists.json'), perLine);
    writeFileSync(join(dir, 'lists.json.gz'), gzipSync(perLine));
    writeFileSync(join(dir, 'document.json'), `${JSON.stringify(list(batches.flat()), null, 2)}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const report = async (file: string): Promise<Record<string, unknown>> => {
    const r = await runCli(['report', '--format=json', join(dir, file)]);
    assert.ok(r.code === 0 || r.code === 2, r.stderr);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const withoutFiles = (doc: Record<string, unknown>): Record<string, unknown> => {
    const { files, ...rest } = doc;
    return { ...rest, lines: (files as Array<{ lines: number }>).map((f) => f.lines) };
  };

  it('gives the same JSON for EventList per line, gzip and a pretty-printed document as for JSON lines', async () => {
    const want = await report('events.jsonl');
    assert.equal(want.events, lines.length);
    assert.ok(((want.anonymous as { requests: number }).requests) > 0);
    for (const f of ['lists.json', 'lists.json.gz', 'document.json']) assert.deepEqual(withoutFiles(await report(f)), withoutFiles(want), f);
  });
});
