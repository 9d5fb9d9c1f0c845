import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawnCli } from '../helpers/cli.js';
import { freePort } from '../tail/daemon.js';

describe('demo', function () {
  this.timeout(40_000);
  it('shows non-zero anonymous counts within 15 s, serves /metrics, and exits 0', async () => {
    const port = await freePort();
    const child = spawnCli(['demo', '--duration=8', `--web.listen=127.0.0.1:${port}`]);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
    const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
    const t0 = Date.now();
    let anon = 0;
    while (Date.now() - t0 < 15_000 && anon === 0) {
      anon = Math.max(0, ...[...out.matchAll(/Anonymous\s+(\d+) total/g)].map((m) => Number(m[1])));
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(anon > 0, `no anonymous counts in the summary within 15 s:\n${out}`);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^k8s_anon_requests_total\{endpoint_class="health",verb="get",code="200",source_class="loadbalancer"\} [1-9]/m);
    assert.match(out, new RegExp(`Metrics: http://127\\.0\\.0\\.1:${port}/metrics`));
    assert.match(out, /Prometheus: +prometheus --config\.file=/);
    assert.match(out, /Netdata: +echo "K8S_ANON_EXPORTER=.*sudo systemctl restart netdata/);
    assert.match(out, /Preview: +node \S+cli\.js netdata-plugin 1 --web\.listen=127\.0\.0\.1:\d+/);
    assert.equal(await exited, 0);
  });

  it('stops promptly on Ctrl-C even with --duration, and removes its temporary directory', async () => {
    const child = spawnCli(['demo', '--duration=120', '--web.listen=127.0.0.1:0']);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
    const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
    const t0 = Date.now();
    while (!/Metrics: http/.test(out) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
    const log = /simulated API server writing (\S+)/.exec(out)?.[1];
    assert.ok(log && existsSync(log), out);
    const sent = Date.now();
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.ok(Date.now() - sent < 5000, `took ${Date.now() - sent} ms after SIGINT`);
    assert.equal(existsSync(dirname(log)), false, 'temporary directory left behind');
  });
});
