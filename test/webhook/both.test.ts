/** Both inputs (webhook.allowWithFile): acknowledgements ride on the tailer's checkpoint, which carries the webhook section. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { startDaemon, type Daemon } from '../../src/serve/daemon.js';
import { freePort } from '../helpers/net.js';
import { eventList, post } from '../../bench/webhook-client.js';

const LINES = readFileSync(new URL('../fixtures/audit/stages.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l !== '');

describe('webhook input beside file tailing', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'webhook-both-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function start(hook: number): Promise<Daemon> {
    const cfg = loadConfig(undefined, new Map(Object.entries({
      'audit.path': join(dir, 'audit.log'), 'audit.startAt': 'beginning', 'state.dir': join(dir, 'state'), 'web.listen': `127.0.0.1:${await freePort()}`,
      'webhook.listen': `127.0.0.1:${hook}`, 'webhook.allowWithFile': 'true', 'probe.enabled': 'false', 'rbac.enabled': 'false', 'audit.pollIntervalMs': '20',
    })));
    return startDaemon(cfg, silentLogger);
  }

  it('counts both, acknowledges after the tailer checkpoint holds the batch, and restores both after a restart', async () => {
    writeFileSync(join(dir, 'audit.log'), `${LINES.slice(0, 10).join('\n')}\n`);
    const hook = await freePort();
    let d = await start(hook);
    const url = `http://127.0.0.1:${hook}/audit/webhook`;
    const body = eventList(LINES.slice(10).map((l) => JSON.parse(l) as unknown));
    assert.equal((await post({ url }, body)).status, 200);
    const cp = JSON.parse(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')) as { path: string; state: { webhook: { digests: string[]; events: number } } };
    assert.equal(cp.path, join(dir, 'audit.log'), 'the tailer wrote it, with its positions');
    assert.equal(cp.state.webhook.events, LINES.length - 10);
    assert.equal(cp.state.webhook.digests.length, 1);
    for (let i = 0; i < 100 && d.analyzer.linesSeen() < LINES.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(d.analyzer.linesSeen(), LINES.length);
    await d.stop();
    appendFileSync(join(dir, 'audit.log'), `${LINES[0]}\n`);
    d = await start(hook);
    assert.equal((await post({ url }, body)).status, 200, 'a retried batch after the restart');
    for (let i = 0; i < 100 && d.analyzer.linesSeen() < LINES.length + 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(d.analyzer.linesSeen(), LINES.length + 1, 'the retry was not counted again; the appended line was');
    const dup = (await d.registry.getSingleMetric('k8s_anon_webhook_duplicate_batches_total')?.get())?.values[0]?.value;
    assert.equal(dup, 1);
    await d.stop();
  });
});
