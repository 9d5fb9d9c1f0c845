/** A real Prometheus on loopback scraping one https target with a CA file and basic auth. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, getJson, start, waitFor } from '../integration/helpers.js';

/** Starts Prometheus; `waitUp()` resolves to the `up` value once the target has been scraped. */
export async function startScraper(bin: string, target: string, ca: string, user: string, password: string) {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-prom-tls-'));
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global: {scrape_interval: 1s}',
    'scrape_configs:', '  - job_name: k8s-anon-exporter', '    scheme: https',
    `    tls_config: {ca_file: ${JSON.stringify(ca)}}`,
    `    basic_auth: {username: ${JSON.stringify(user)}, password: ${JSON.stringify(password)}}`,
    `    static_configs: [{targets: [${JSON.stringify(target)}]}]`, '',
  ].join('\n'));
  const proc = start(bin, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { cwd: dir });
  const url = `http://127.0.0.1:${port}`;
  type Q = { data: { result: Array<{ value: [number, string] }> } };
  const waitUp = () => waitFor('target scraped', async () => {
    const r = await getJson<Q>(`${url}/api/v1/query?query=${encodeURIComponent('up{job="k8s-anon-exporter"}')}`).catch(() => undefined);
    const v = r?.data.result[0]?.value[1];
    return v === '1' ? v : undefined;
  }, 30_000);
  return { waitUp, output: () => proc.out.stderr, stop: async () => { await proc.stop(); rmSync(dir, { recursive: true, force: true }); } };
}
