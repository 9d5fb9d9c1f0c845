/** `netdata-plugin [UPDATE_EVERY]`: Netdata external plugin fed from the local daemon's `/metrics`. */
import { setTimeout as delay } from 'node:timers/promises';
import { prepare, type CommandDef } from '../config/cli.js';
import { Logger } from '../log.js';
import { splitListen } from '../serve/http.js';
import { NetdataPlugin } from './plugin.js';

/** The command line of `netdata-plugin`. */
export const NETDATA_PLUGIN: CommandDef = {
  name: 'netdata-plugin', args: '[UPDATE_EVERY]', maxPositionals: 1, configKeys: ['web.listen', 'log.level'],
  notes: ['UPDATE_EVERY is the collection interval in seconds (Netdata passes it; default $NETDATA_UPDATE_EVERY or 1).'],
};

/** The `/metrics` URL of the daemon listening on `listen` (wildcard binds are reached on loopback). */
export function metricsUrl(listen: string): string {
  const { host, port } = splitListen(listen);
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}/metrics`;
}

/** Parses the update interval argument; undefined when it is not a positive integer. */
export function parseUpdateEvery(arg: string | undefined, env: string | undefined): number | undefined {
  const raw = arg ?? env ?? '1';
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 86_400 ? n : undefined;
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

/** Runs the plugin until Netdata closes the pipe or sends SIGTERM; exits 1 only for bad arguments (Netdata then disables it). */
export async function run(argv: string[]): Promise<number> {
  const prep = await prepare(NETDATA_PLUGIN, argv);
  if ('exit' in prep) return prep.exit;
  const { positionals, config } = prep;
  const updateEvery = parseUpdateEvery(positionals[0], process.env.NETDATA_UPDATE_EVERY);
  if (updateEvery === undefined) {
    process.stderr.write(`k8s-anon-exporter netdata-plugin: bad UPDATE_EVERY ${JSON.stringify(positionals.join(' '))}\n`);
    return 1;
  }
  const log = new Logger({ cmd: 'netdata-plugin' }, config.log.level);
  const url = metricsUrl(config.web.listen);
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.on('error', (e) => { log.info('stdout closed; stopping', { error: String(e.message) }); stop(); });
  const plugin = new NetdataPlugin(updateEvery, {
    fetchMetrics: () => fetchText(url, Math.min(updateEvery * 800, 5000)),
    write: (t) => { if (!ac.signal.aborted) process.stdout.write(t); },
    now: () => Date.now(),
    sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
    log,
  });
  log.info('netdata plugin started', { url, updateEvery });
  await plugin.run(ac.signal);
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  return 0;
}
