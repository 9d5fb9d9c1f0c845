import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { orderInputs, resolveInputs } from '../../src/report/inputs.js';
import { progressBar } from '../../src/report/progress.js';
import { requestPair, ANONYMOUS } from '../../src/demo/events.js';
import { runCli } from '../helpers/cli.js';

const pair = (uri: string, t: number): string => `${requestPair({ uri, verb: 'get', user: ANONYMOUS, code: 200, timeMs: t }).join('\n')}\n`;

describe('report inputs', () => {
  it('orders a lumberjack backup set oldest first, live file last, plain backup over its half-written .gz', () => {
    const got = orderInputs(['d/audit.log', 'd/audit-2025-01-02T00-00-00.000.log.gz', 'd/audit-2025-01-01T00-00-00.000.log',
      'd/audit-2025-01-03T00-00-00.000.log', 'd/audit-2025-01-03T00-00-00.000.log.gz']);
    assert.deepEqual(got, ['d/audit-2025-01-01T00-00-00.000.log', 'd/audit-2025-01-02T00-00-00.000.log.gz', 'd/audit-2025-01-03T00-00-00.000.log', 'd/audit.log']);
  });

  it('reads a directory of plain and gzipped backups in time order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-inputs-'));
    writeFileSync(join(dir, 'audit-2025-01-01T00-00-10.000.log.gz'), gzipSync(pair('/livez', Date.UTC(2025, 0, 1, 0, 0, 5))));
    writeFileSync(join(dir, 'audit-2025-01-01T00-00-20.000.log'), pair('/readyz', Date.UTC(2025, 0, 1, 0, 0, 15)));
    writeFileSync(join(dir, 'audit.log'), pair('/healthz', Date.UTC(2025, 0, 1, 0, 0, 25)));
    writeFileSync(join(dir, 'notes.txt'), 'not a log');
    assert.deepEqual(resolveInputs([dir]).map((p) => p.slice(dir.length + 1)),
      ['audit-2025-01-01T00-00-10.000.log.gz', 'audit-2025-01-01T00-00-20.000.log', 'audit.log']);
    const r = await runCli(['report', '--format', 'json', dir]);
    const d = JSON.parse(r.stdout) as { requests: number; anonymous: { byEndpointClass: Record<string, number> }; gaps: { count: number; maxSeconds: number } };
    assert.equal(d.requests, 3);
    assert.deepEqual(d.anonymous.byEndpointClass, { health: 3 });
    assert.equal(d.gaps.count, 0, 'time order across files: no backwards jump, no gap over 30 s');
    assert.equal(d.gaps.maxSeconds, 9.998, 'the longest interval is shown even when no gap passes the threshold');
  });

  it('draws a progress bar only on a terminal and only for large inputs', () => {
    const writes: string[] = [];
    const tty = { isTTY: true, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream;
    const small = progressBar(1000, tty);
    small.tick(1000); small.done();
    assert.equal(writes.length, 0);
    const big = progressBar(100 << 20, tty);
    big.tick(50 << 20); big.done();
    assert.match(writes.join(''), /\[#{15}\.{15}\]\s+50%/);
    const pipe = progressBar(100 << 20, { isTTY: false, write: () => { throw new Error('wrote to a pipe'); } } as unknown as NodeJS.WriteStream);
    pipe.tick(1); pipe.done();
  });
});
