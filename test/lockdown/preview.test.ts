import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Preview } from '../../src/lockdown/preview.js';
import { supportOf } from '../../src/lockdown/preview.js';
import { runCli } from '../helpers/cli.js';
import { matchGolden } from '../helpers/golden.js';
import { CLASSES, writeLocked, writeScenario } from './scenario.js';

describe('lockdown-preview (generated log: load balancers, a node join, a scanner)', function () {
  this.timeout(60_000);
  let dir: string;
  let log: string;
  let locked: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockdown-'));
    log = join(dir, 'audit.log');
    locked = join(dir, 'locked.log');
    writeScenario(log);
    writeLocked(locked);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const norm = (s: string): string => s.split(dir).join('<dir>');

  it('groups the sources with exact counts (JSON and text golden files), exit 2', async () => {
    const args = ['lockdown-preview', log, `--sources.classes=${CLASSES}`, '--kubernetes-version=1.32'];
    const [json, text] = await Promise.all([runCli([...args, '--format=json']), runCli(args)]);
    assert.equal(json.code, 2, json.stderr);
    assert.equal(text.code, 2, text.stderr);
    const p = JSON.parse(json.stdout) as Preview;
    const by = (g: string): string[] => p.groups.find((x) => x.group === g)!.entries.map((e) => `${e.source} ${e.sourceClass} ${e.requests}`);
    assert.deepEqual(by('health_probe'), ['10.0.0.5 loadbalancer 360', '10.0.0.6 loadbalancer 360', '127.0.0.1 loopback 360', '10.0.0.9 monitoring 180', '203.0.113.7 public 1']);
    assert.deepEqual(by('bootstrap'), ['10.0.1.20 private 3']);
    assert.deepEqual(by('other_allowed'), ['203.0.113.7 public 1']);
    assert.deepEqual(p.breaking, { sources: 7, requests: 1265 });
    const lb = p.groups[0]!.entries[0]!;
    assert.deepEqual(lb.paths, [{ path: '/readyz', count: 360 }]);
    assert.equal(lb.meanIntervalSeconds, 10);
    assert.deepEqual(p.groups[0]!.entries[3]!.paths, [{ path: '/livez', count: 120 }, { path: '/version', count: 60 }]);
    const alt = p.authenticationConfiguration;
    assert.equal(alt.supported, true);
    assert.deepEqual(alt.stillBreaking.map((s) => `${s.group} ${s.source} ${s.requests}`), ['health_probe 10.0.0.9 60', 'health_probe 203.0.113.7 1', 'bootstrap 10.0.1.20 3', 'other_allowed 203.0.113.7 1']);
    assert.equal(alt.requests, 65);
    assert.doesNotMatch(text.stdout, /\u001b/, 'control characters from the log are escaped');
    matchGolden('lockdown', 'preview.json', norm(json.stdout));
    matchGolden('lockdown', 'preview.txt', norm(text.stdout));
  });

  it('a locked-down log breaks nothing: exit 0', async () => {
    const r = await runCli(['lockdown-preview', '--format', 'json', locked]);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout) as Preview;
    assert.deepEqual(p.breaking, { sources: 0, requests: 0 });
  });

  it('options: unknown option and bad --format exit 1; -h and -V exit 0; stdin works', async () => {
    assert.equal((await runCli(['lockdown-preview', '--nope', log])).code, 1);
    assert.equal((await runCli(['lockdown-preview', '--format=xml', log])).code, 1);
    assert.equal((await runCli(['lockdown-preview', join(dir, 'missing.log')])).code, 1);
    const h = await runCli(['lockdown-preview', '-h']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Exit codes: 0 nothing breaks, 2 something breaks, 1 error/);
    const v = await runCli(['lockdown-preview', '-V']);
    assert.match(v.stdout, /^\d+\.\d+\.\d+/);
    const line = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","stage":"ResponseComplete","requestURI":"/readyz","verb":"get","user":{"username":"system:anonymous"},"sourceIPs":["10.1.1.1"],"responseStatus":{"code":200},"stageTimestamp":"2026-01-01T00:00:00.000000Z"}\n';
    const s = await runCli(['lockdown-preview', '--format=json'], line);
    assert.equal(s.code, 2);
    assert.equal((JSON.parse(s.stdout) as Preview).groups[0]!.requests, 1);
  });

  it('report carries the same preview (JSON field lockdownPreview, text section 8)', async () => {
    const [json, text] = await Promise.all([runCli(['report', '--format=json', log]), runCli(['report', log])]);
    const doc = JSON.parse(json.stdout) as { lockdownPreview: Preview };
    assert.deepEqual(doc.lockdownPreview.breaking, { sources: 7, requests: 1265 });
    assert.equal(doc.lockdownPreview.authenticationConfiguration.requests, 65);
    assert.match(text.stdout, /8\. Lockdown preview[^\n]*\n {3}Sources whose anonymous requests would start failing with 401 after a lockdown: 7 \(1,265 requests\)/);
  });

  it('KEP-4633 support by version', () => {
    assert.equal(supportOf('1.30').supported, false);
    assert.equal(supportOf('v1.31.2').supported, true);
    assert.equal(supportOf(undefined).supported, null);
  });
});
