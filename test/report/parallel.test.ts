import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config/load.js';
import { analyze, parseJobs } from '../../src/report/command.js';
import { splitRanges } from '../../src/report/ranges.js';
import { fuzzLines } from '../audit/fuzzgen.js';
import { ROOT, runCli } from '../helpers/cli.js';

const config = loadConfig(undefined, new Map([['gaps.thresholdSeconds', '1']]));
/** Events of the fuzz arrive every 37 ms or so: a 30 ms threshold makes thousands of gaps, with ties. */
const tight = loadConfig(undefined, new Map([['gaps.thresholdSeconds', '0.03']]));
const json = async (files: string[], n: number, c = config): Promise<string> => JSON.stringify(await analyze(files, c, false, { n, explicit: true }), null, 2);

function logsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile() && /\.(?:log|jsonl|json)$/.test(p)).sort();
}

describe('parallel report', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-parallel-'));

  it('splits ranges at line starts, covering the file exactly once', () => {
    const f = join(dir, 'lines.log');
    writeFileSync(f, 'a\nbb\n\nccc\nd');
    for (const parts of [1, 2, 3, 5, 50]) {
      const r = splitRanges(f, 11, parts);
      assert.equal(r[0]?.start, 0);
      assert.equal(r[r.length - 1]?.end, 11);
      for (let i = 1; i < r.length; i++) {
        assert.equal(r[i]?.start, r[i - 1]?.end);
        assert.equal(readFileSync(f)[(r[i]?.start as number) - 1], 10, `range ${i} of ${parts} starts after a newline`);
      }
    }
  });

  it('gives byte-identical JSON with --jobs 1 and with 2 or 3 on every log under test/fixtures and test/golden', async () => {
    const logs = [...logsUnder(join(ROOT, 'test/fixtures')), ...logsUnder(join(ROOT, 'test/golden'))];
    assert.ok(logs.length >= 10, `found ${logs.length} logs`);
    for (const [i, f] of logs.entries()) {
      const n = 2 + (i % 2);
      assert.equal(await json([f], n), await json([f], 1), `${f} with --jobs ${n}`);
    }
  });

  it('merges exactly on random events: out-of-order times, gaps at range boundaries, 401s, bindings, hostile lines', async () => {
    for (const seed of [7]) {
      const f = join(dir, `fuzz-${seed}.log`);
      writeFileSync(f, `${fuzzLines(seed, 6000).join('\n')}\n`);
      const one = await json([f], 1, tight);
      const doc = JSON.parse(one) as { gaps: { count: number }; anonymous: { requests: number }; unauthorized: { requests: number } };
      assert.ok(doc.gaps.count > 10 && doc.anonymous.requests > 100 && doc.unauthorized.requests > 100, one.slice(0, 400));
      for (const n of [3, 7]) assert.equal(await json([f], n, tight), one, `seed ${seed} with --jobs ${n}`);
      // Several files in a row: the boundary between files is a range boundary too.
      assert.equal(await json([f, f], 2, tight), await json([f, f], 1, tight));
    }
  });

  it('reads gzip files sequentially whatever --jobs says, with the same answer', async () => {
    const f = join(dir, 'fuzz.log.gz');
    writeFileSync(f, gzipSync(`${fuzzLines(11, 2000).join('\n')}\n`));
    assert.equal(await json([f], 3), await json([f], 1));
  });

  it('the CLI gives the same JSON with --jobs 1 and --jobs 2 and rejects a bad --jobs', async () => {
    const f = join(dir, 'cli.log');
    writeFileSync(f, Buffer.concat([readFileSync(join(ROOT, 'test/fixtures/audit/stages.jsonl')), Buffer.from(`${fuzzLines(9, 3000).join('\n')}\n`)]));
    const [a, b] = await Promise.all([runCli(['report', '--format', 'json', '--jobs', '1', f]), runCli(['report', '--format', 'json', '--jobs=2', f])]);
    assert.ok(a.code === 0 || a.code === 2, a.stderr);
    assert.equal(b.stdout, a.stdout);
    const bad = await runCli(['report', '--jobs', '0', f]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--jobs must be an integer from 1 to 256/);
    assert.throws(() => parseJobs('2x'));
    assert.equal(parseJobs(undefined).explicit, false);
  });
});
