import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ANONYMOUS, requestPair } from '../../src/demo/events.js';
import { logrotateIndex, orderInputs } from '../../src/report/inputs.js';
import { ROOT } from '../helpers/cli.js';

/** 36 lines: anonymous and authenticated requests with 200, 401 and 403, 45 s apart (gaps over the threshold). */
function lines(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 18; i++) {
    out.push(...requestPair({ uri: i % 3 ? '/api/v1/secrets' : '/healthz', verb: 'get', user: i % 2 ? ANONYMOUS : { username: 'bob' },
      code: [200, 401, 403][i % 3] as number, timeMs: Date.UTC(2025, 0, 1) + i * 45_000 }));
  }
  return out;
}

const CLI = `${JSON.stringify(process.execPath)} --import tsx src/cli.ts report --format=json`;

/** Runs `script` in bash from the repository root; returns its stdout (stderr and exit code kept for messages). */
function bash(script: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The report document without its `files` list (paths and sizes differ by input kind). */
function events(json: string): unknown {
  const d = JSON.parse(json) as Record<string, unknown>;
  delete d.files;
  return d;
}

describe('report reads any input a shell can give', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-shell-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const all = lines();
  const f = join(dir, 'f.log');
  writeFileSync(f, `${all.join('\n')}\n`);
  const rot = join(dir, 'rotated');
  mkdirSync(rot);
  // logrotate with compression: audit.log.3.gz is the oldest, audit.log the live file.
  const part = (i: number): string => `${all.slice(i * 9, i * 9 + 9).join('\n')}\n`;
  writeFileSync(join(rot, 'audit.log.3.gz'), gzipSync(part(0)));
  writeFileSync(join(rot, 'audit.log.2.gz'), gzipSync(part(1)));
  writeFileSync(join(rot, 'audit.log.1'), part(2));
  writeFileSync(join(rot, 'audit.log'), part(3));
  writeFileSync(join(rot, 'README.txt'), 'not a log\n');

  it('<(gzip -c f), cat f | report -, report /dev/stdin < f, a FIFO and a logrotate DIR give the JSON of report f', () => {
    const q = (p: string): string => JSON.stringify(p);
    const fifo = join(dir, 'fifo');
    const runs: Record<string, string> = {
      file: `${CLI} ${q(f)}`,
      substitution: `${CLI} <(gzip -c ${q(f)})`,
      dash: `cat ${q(f)} | ${CLI} -`,
      devStdin: `${CLI} /dev/stdin < ${q(f)}`,
      gzipPipe: `gzip -c ${q(f)} | ${CLI} /dev/stdin`,
      fifo: `mkfifo ${q(fifo)} && { cat ${q(f)} > ${q(fifo)} & } && ${CLI} ${q(fifo)}`,
      noArgsPipe: `cat ${q(f)} | ${CLI}`,
      logrotateDir: `${CLI} ${q(rot)}`,
    };
    const docs: Record<string, unknown> = {};
    for (const [name, cmd] of Object.entries(runs)) {
      const r = bash(cmd);
      assert.equal(r.code, 0, `${name}: exit ${r.code} ${r.stderr}`);
      docs[name] = events(r.stdout);
    }
    const want = docs.file as { requests: number; unauthorized: { requests: number } };
    assert.equal(want.requests, 18);
    assert.equal(want.unauthorized.requests, 6);
    for (const [name, doc] of Object.entries(docs)) assert.deepEqual(doc, want, name);
  });

  it('reads logrotate names in logrotate order', () => {
    assert.equal(logrotateIndex('/x/audit.log.12.gz'), 12);
    assert.equal(logrotateIndex('/x/audit.log'), undefined);
    assert.deepEqual(orderInputs(['audit.log', 'audit.log.1', 'audit.log.10.gz', 'audit.log.2.gz', 'audit.log.2']),
      ['audit.log.10.gz', 'audit.log.2', 'audit.log.1', 'audit.log']);
    const r = bash(`${CLI} ${JSON.stringify(rot)}`);
    const files = (JSON.parse(r.stdout) as { files: { path: string; lines: number }[] }).files;
    assert.deepEqual(files.map((x) => [x.path.slice(rot.length + 1), x.lines]),
      [['audit.log.3.gz', 9], ['audit.log.2.gz', 9], ['audit.log.1', 9], ['audit.log', 9]]);
  });

  it('an empty directory, or one without audit files, is an error; no input on a terminal prints usage', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r1 = bash(`${CLI} ${JSON.stringify(empty)}`);
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /no audit log files in .*empty/);
    writeFileSync(join(empty, 'notes.txt'), 'x');
    assert.equal(bash(`${CLI} ${JSON.stringify(empty)}`).code, 1);
    // `script` gives the child a terminal on stdin.
    const tty = bash(`script -qec '${CLI}' /dev/null < /dev/null; echo "rc=$?"`);
    assert.match(tty.stdout, /Usage: k8s-anon-exporter report/);
    assert.match(tty.stdout, /rc=1/);
    assert.equal(readFileSync(f, 'utf8').split('\n').length, 37);
  });
});
