/** The plugin loop: scrape the daemon, turn the scrape into plugins.d text, wait for the next tick. */
import type { Logger } from '../log.js';
import { CHARTS, type ChartSpec } from './charts.js';
import { collect, defineChart, dimensionId, type Dimension } from './protocol.js';
import { MetricIndex, parseExposition } from './promtext.js';

/** Everything the loop touches in the outside world, injectable so tests can step time. */
export interface PluginIO {
  /** Resolves to the daemon's exposition text; rejects when it cannot be scraped. */
  fetchMetrics(): Promise<string>;
  /** Writes protocol text to Netdata (stdout). */
  write(text: string): void;
  /** Current time in milliseconds. */
  now(): number;
  /** Waits `ms` milliseconds (or less when aborted). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  log: Logger;
}

/** Converts scrapes into plugins.d output, remembering which charts and dimensions Netdata knows. */
export class NetdataPlugin {
  private readonly declared = new Map<string, Map<string, Dimension>>();
  private wasUp: boolean | undefined;
  private primed = false;

  constructor(
    private readonly updateEvery: number,
    private readonly io: PluginIO,
    private readonly charts: readonly ChartSpec[] = CHARTS,
  ) {}

  /** Scrapes the daemon once; undefined when it is unreachable or answers garbage. */
  async scrape(): Promise<MetricIndex | undefined> {
    let m: MetricIndex | undefined;
    try {
      const exp = parseExposition(await this.io.fetchMetrics());
      if (exp.badLines > 0) this.io.log.limited('badlines', 'warn', 'unparsable lines in /metrics', { lines: exp.badLines });
      if (exp.samples.length > 0) m = new MetricIndex(exp, this.io.now());
    } catch (e) {
      this.io.log.limited('scrape', 'warn', 'daemon unreachable; charts show a gap', { error: String((e as Error).message ?? e) });
    }
    if (m && this.wasUp === false) this.io.log.info('daemon reachable again');
    this.wasUp = m !== undefined;
    return m;
  }

  /** Renders one iteration: (re)definitions for new charts or dimensions, then one BEGIN/SET/END per chart. */
  render(m: MetricIndex | undefined): string {
    let out = '';
    for (const spec of this.charts) out += this.renderChart(spec, m);
    if (m) this.primed = true;
    return out;
  }

  private renderChart(spec: ChartSpec, m: MetricIndex | undefined): string {
    const values = spec.values(m);
    const entries: Array<[Dimension, number | undefined]> = [];
    const keys = spec.dims ?? [...values.keys()].sort();
    for (const key of keys) {
      const dim: Dimension = { id: dimensionId(key), name: key, algorithm: spec.algorithms?.[key] ?? spec.algorithm, multiplier: 1, divisor: spec.scale };
      const v = values.get(key);
      entries.push([dim, v === undefined ? undefined : v * spec.scale]);
    }
    let dims = this.declared.get(spec.id);
    const anyValue = entries.some(([, v]) => v !== undefined);
    if (!dims && !anyValue) return '';
    let out = '';
    const fresh = entries.filter(([d]) => !dims?.has(d.id));
    if (!dims || fresh.length > 0) {
      dims ??= new Map();
      for (const [d] of fresh) dims.set(d.id, d);
      this.declared.set(spec.id, dims);
      out += defineChart(spec, [...dims.values()], this.updateEvery);
    }
    // A counter series that appears after the first scrape was 0 before: say so, so its first count is not lost.
    const zero = new Set(this.primed ? fresh.filter(([d]) => d.algorithm === 'incremental').map(([d]) => d.id) : []);
    const sets = new Map<string, number>();
    for (const [d, v] of entries) if (v !== undefined) sets.set(d.id, zero.has(d.id) ? 0 : (sets.get(d.id) ?? 0) + v);
    return out + collect(spec.id, [...sets]);
  }

  /** Runs one scrape-and-write iteration. */
  async iterate(): Promise<void> {
    this.io.write(this.render(await this.scrape()));
  }

  /** Iterates on `updateEvery` boundaries until `signal` aborts (or `maxIterations` ran). */
  async run(signal: AbortSignal, maxIterations = Infinity): Promise<void> {
    const period = this.updateEvery * 1000;
    for (let i = 0; i < maxIterations && !signal.aborted; i++) {
      await this.iterate();
      if (signal.aborted || i + 1 >= maxIterations) break;
      const now = this.io.now();
      await this.io.sleep((Math.floor(now / period) + 1) * period - now, signal);
    }
  }
}
