/** `demo`: simulates an API server writing an audit log, runs `serve` on it, prints a live summary. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepare, type CommandDef } from '../config/cli.js';
import type { Config } from '../config/types.js';
import { Logger } from '../log.js';
import { PACKAGE_ROOT } from '../version.js';
import { startDaemon, type Daemon } from '../serve/daemon.js';
import { Simulator } from './simulator.js';
import { renderSummary } from './summary.js';

/** The command line of `demo`. */
export const DEMO: CommandDef = {
  name: 'demo', configKeys: ['web.listen', 'log.level'],
  options: [{ name: 'duration', type: 'string', metavar: 'SECONDS', help: 'stop after this long (default: run until Ctrl-C)' }],
};

function demoConfig(base: Config, dir: string): Config {
  return {
    ...base,
    audit: { ...base.audit, path: join(dir, 'audit.log'), startAt: 'beginning', pollIntervalMs: 250 },
    state: { dir: join(dir, 'state') },
    sources: { ...base.sources, classes: { loadbalancer: ['10.0.0.0/29'], ...base.sources.classes } },
    rbac: { ...base.rbac, enabled: 'false' },
    probe: { ...base.probe, enabled: false },
    canary: { ...base.canary, enabled: false },
  };
}

async function startOn(config: Config, log: Logger): Promise<Daemon> {
  try {
    return await startDaemon(config, log);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    log.warn('port in use, using a free one', { listen: config.web.listen });
    return startDaemon({ ...config, web: { ...config.web, listen: '127.0.0.1:0' } }, log);
  }
}

function oneLiners(dir: string, hostPort: string): string[] {
  const promYml = join(dir, 'prometheus.yml');
  const rules = join(PACKAGE_ROOT, 'dashboards/prometheus/k8s-anon-rules.yaml');
  writeFileSync(promYml, `global: {scrape_interval: 5s, evaluation_interval: 5s}\nrule_files: ["${rules}"]\n`
    + `scrape_configs:\n- job_name: k8s-anon-exporter\n  static_configs: [{targets: ["${hostPort}"], labels: {cluster: demo}}]\n`);
  const cli = join(PACKAGE_ROOT, 'dist/src/cli.js');
  return [
    `Prometheus:  prometheus --config.file=${promYml} --storage.tsdb.path=${join(dir, 'prometheus')} --web.listen-address=127.0.0.1:9090`,
    `Netdata:     echo "K8S_ANON_EXPORTER='${process.execPath} ${cli}'" | sudo tee /etc/default/k8s-anon-exporter >/dev/null && sudo install -m 755 ${join(PACKAGE_ROOT, 'netdata-config/custom-plugins.d/k8s_anon.plugin')} /etc/netdata/custom-plugins.d/ && sudo install -m 644 ${join(PACKAGE_ROOT, 'netdata-config/health.d')}/*.conf /etc/netdata/health.d/ && printf '\\n[plugin:k8s_anon]\\n    update every = 1\\n    command options = --web.listen=${hostPort}\\n' | sudo tee -a /etc/netdata/netdata.conf >/dev/null && sudo systemctl restart netdata`,
    `Preview:     node ${cli} netdata-plugin 1 --web.listen=${hostPort}`,
  ];
}

/** Entry point of `demo`. */
export async function run(argv: string[]): Promise<number> {
  const p = await prepare(DEMO, argv);
  if ('exit' in p) return p.exit;
  const duration = Number(p.values.duration ?? 0);
  if (!Number.isFinite(duration) || duration < 0) {
    process.stderr.write(`k8s-anon-exporter demo: --duration must be a number of seconds >= 0; got ${JSON.stringify(p.values.duration)}\n`);
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'k8s-anon-demo-'));
  try {
    return await runIn(dir, p.config, duration);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the simulator and the daemon in `dir` until Ctrl-C, SIGTERM or the duration ends. */
async function runIn(dir: string, base: Config, duration: number): Promise<number> {
  const config = demoConfig(base, dir);
  const sim = new Simulator(dir);
  sim.backlog(Date.now());
  const log = new Logger({}, config.log.level === 'info' ? 'warn' : config.log.level);
  const daemon = await startOn(config, log);
  const addr = daemon.server.address() as { address: string; port: number };
  const hostPort = `${addr.address}:${addr.port}`;
  const header = [`k8s-anon-exporter demo: simulated API server writing ${sim.path}`, `Metrics: http://${hostPort}/metrics   (Ctrl-C to stop)`, ...oneLiners(dir, hostPort)];
  const tty = process.stdout.isTTY === true;
  const draw = (): void => { process.stdout.write(`${tty ? '\u001b[H\u001b[2J' : ''}${renderSummary(daemon.analyzer.c, Date.now(), header)}\n`); };
  const timers = [setInterval(() => sim.tick(Date.now()), 1000), setInterval(draw, tty ? 2000 : 3000), setTimeout(draw, 500)];
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      // Every timer goes, the duration's included: nothing may keep the process alive after Ctrl-C.
      for (const t of timers) clearTimeout(t);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      draw();
      daemon.stop().then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (duration > 0) timers.push(setTimeout(stop, duration * 1000));
  });
}
