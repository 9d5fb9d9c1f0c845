import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { CLI_COMMAND, REPO, metricsServer, start, waitFor } from '../integration/helpers.js';
import { fixture } from './golden.js';

const SHIM = join(REPO, 'netdata-config', 'custom-plugins.d', 'k8s_anon.plugin');

describe('netdata: netdata-plugin command and shim (child processes)', function () {
  this.timeout(30_000);
  let server: Server;
  let listen: string;
  let body: string | undefined = fixture('metrics.txt');

  before(async () => { ({ server, listen } = await metricsServer(() => body)); });
  after(() => new Promise((r) => server.close(r)));

  it('speaks the protocol on stdout, survives the daemon going away, and exits 0 on SIGTERM', async () => {
    body = fixture('metrics.txt');
    const p = start(SHIM, ['1', `--web.listen=${listen}`], { env: { K8S_ANON_EXPORTER: CLI_COMMAND.join(' '), K8S_ANON_EXPORTER_CONFIG: '/nonexistent' } });
    await waitFor('first collection', () => p.out.stdout.includes('SET exporter_up = 1'));
    assert.match(p.out.stdout, /^CHART k8s_anon\.requests_by_class /m);
    body = undefined;
    await waitFor('exporter_up 0', () => p.out.stdout.includes('SET exporter_up = 0'));
    body = fixture('metrics.txt');
    const seen = p.out.stdout.length;
    await waitFor('recovery', () => p.out.stdout.slice(seen).includes('SET exporter_up = 1'));
    assert.equal(p.child.exitCode, null, 'still running');
    assert.equal(await p.stop(), 0);
    assert.match(p.out.stderr, /daemon unreachable/);
  });

  it('exits 1 (Netdata disables it) on a bad UPDATE_EVERY or bad configuration', () => {
    const bad = spawnSync(CLI_COMMAND[0] as string, [...CLI_COMMAND.slice(1), 'netdata-plugin', 'often'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad UPDATE_EVERY/);
    const cfg = spawnSync(CLI_COMMAND[0] as string, [...CLI_COMMAND.slice(1), 'netdata-plugin', '1', '--web.listen=nope'], { encoding: 'utf8' });
    assert.equal(cfg.status, 1);
    assert.match(cfg.stderr, /web\.listen/);
  });

  it('the shim prints DISABLE and exits 1 when the exporter is not installed', () => {
    const r = spawnSync(SHIM, ['1'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', K8S_ANON_EXPORTER: '' } });
    if (r.status === 0) assert.fail('shim must not succeed without a binary');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'DISABLE\n');
  });
});
