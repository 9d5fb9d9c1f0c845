/** Per-source series under churn with the real daemon: a late scanner gets its own series within one poll; totals stay exact across a restart. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { event } from '../integration/auditgen.js';
import { waitFor } from '../integration/helpers.js';
import { ServeChild } from './child.js';

const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const T0 = Date.now() - 600_000;
const lines = (ip: string, n: number, at: number, uri = '/healthz', code = 200): string =>
  Array.from({ length: n }, (_, i) => event({ at: new Date(at + i), user: ANON, verb: 'get', uri, code, ip })).join('');

/** Sums of `k8s_anon_source_requests_total` by source, and `k8s_anon_audit_requests_total`. */
function parse(text: string): { bySource: Map<string, number>; requests: number } {
  const bySource = new Map<string, number>();
  for (const m of text.matchAll(/^k8s_anon_source_requests_total\{source="([^"]+)",[^}]*\} (\d+)$/gm)) {
    bySource.set(m[1] as string, (bySource.get(m[1] as string) ?? 0) + Number(m[2]));
  }
  const requests = Number(/^k8s_anon_audit_requests_total (\d+)$/m.exec(text)?.[1] ?? NaN);
  return { bySource, requests };
}

describe('sources under churn with the real daemon', function () {
  this.timeout(120_000);
  let dir: string;
  let c: ServeChild | undefined;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'k8s-anon-sources-')); });
  afterEach(async () => { await c?.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });

  const serve = async (): Promise<ServeChild> => {
    c = await ServeChild.start([`--audit.path=${join(dir, 'audit.log')}`, `--state.dir=${join(dir, 'state')}`, '--audit.startAt=beginning',
      '--audit.pollIntervalMs=200', '--rbac.enabled=false', '--probe.enabled=false', `--apiserver.manifest=${join(dir, 'none.yaml')}`, `--apiserver.procRoot=${dir}`]);
    return c;
  };
  /** Scrapes until every request written is counted; returns that first complete scrape. */
  const counted = (d: ServeChild, n: number) => waitFor(`${n} requests counted`, async () => {
    const p = parse(await d.metrics());
    return p.requests === n ? p : undefined;
  }, 30_000, 20);

  it('60 health-check addresses, then a scanner with 500 requests: its series appears in the same poll; totals exact; kept after a restart', async () => {
    writeFileSync(join(dir, 'audit.log'), Array.from({ length: 60 }, (_, i) => lines(`10.0.0.${i + 1}`, 10, T0 + i * 100)).join(''));
    let d = await serve();
    const before = await counted(d, 600);
    assert.equal(before.bySource.size, 51, '50 addresses plus other');
    assert.equal(before.bySource.get('other'), 100);

    // One append, read by one poll: the first scrape that counts it already shows the scanner.
    appendFileSync(join(dir, 'audit.log'), lines('203.0.113.66', 500, T0 + 300_000, '/api/v1/secrets', 403));
    const after = await counted(d, 1100);
    assert.equal(after.bySource.get('203.0.113.66'), 490, 'own series from its 11th request on (it then outranks a health checker)');
    assert.equal([...after.bySource.values()].reduce((s, v) => s + v, 0), 1100, 'totals exact through other');
    assert.equal(after.bySource.size, 51);

    assert.deepEqual(await d.kill('SIGTERM'), { code: 0, signal: null });
    d = await serve();
    appendFileSync(join(dir, 'audit.log'), lines('203.0.113.66', 5, T0 + 310_000, '/api/v1/secrets', 403));
    const restarted = await counted(d, 1105);
    assert.equal(restarted.bySource.get('203.0.113.66'), 495, 'the ranking survived the restart');
    assert.equal([...restarted.bySource.values()].reduce((s, v) => s + v, 0), 1105);
  });
});
