/** A dumb writer for the plugins.d protocol subset that Netdata 1.37 and 2.x both accept. */

/** How Netdata turns collected values into stored ones. */
export type Algorithm = 'absolute' | 'incremental';

/** One dimension as declared to Netdata. */
export interface Dimension {
  id: string;
  name: string;
  algorithm: Algorithm;
  multiplier: number;
  divisor: number;
}

/** One chart as declared to Netdata (`type.id` is `k8s_anon.<id>`, context `k8s_anon.<id>`). */
export interface Chart {
  id: string;
  title: string;
  units: string;
  family: string;
  chartType: 'line' | 'area' | 'stacked';
  priority: number;
}

/** The chart type prefix and plugin name shared by every chart. */
export const CHART_TYPE = 'k8s_anon';
const PLUGIN = 'k8s_anon.plugin';
const MODULE = 'exporter';

/** Makes a string safe as a protocol word: no quotes, no control characters, bounded length. */
export function word(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f'"`\\]/g, '_').slice(0, 200);
}

/** Makes a dimension id from any label value: `[A-Za-z0-9_-]` only (Netdata dislikes `.` in ids). */
export function dimensionId(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return id === '' ? '_' : id;
}

/** Renders `CHART` followed by one `DIMENSION` line per dimension. */
export function defineChart(c: Chart, dims: readonly Dimension[], updateEvery: number): string {
  const full = `${CHART_TYPE}.${c.id}`;
  const head = `CHART ${full} '' '${word(c.title)}' '${word(c.units)}' '${word(c.family)}' '${full}' ${c.chartType} ${c.priority} ${updateEvery} '' '${PLUGIN}' '${MODULE}'\n`;
  return head + dims.map((d) => `DIMENSION ${d.id} '${word(d.name)}' ${d.algorithm} ${d.multiplier} ${d.divisor} ''\n`).join('');
}

/** Renders one collection: `BEGIN`, a `SET` per collected value (integers), `END`. Absent values make gaps. */
export function collect(chartId: string, values: ReadonlyArray<readonly [string, number]>): string {
  const sets = values
    .filter(([, v]) => Number.isFinite(v))
    .map(([id, v]) => `SET ${id} = ${Math.round(v)}\n`)
    .join('');
  return `BEGIN ${CHART_TYPE}.${chartId}\n${sets}END\n`;
}
