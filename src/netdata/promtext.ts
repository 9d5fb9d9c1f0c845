/** A small parser for the Prometheus text exposition format (0.0.4) and sums over its samples. */

/** One sample line: metric name, labels and value (timestamps are ignored). */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Everything read from one exposition: samples, declared families and unparsable lines. */
export interface Exposition {
  samples: Sample[];
  /** Metric families announced by `# TYPE` (present even when they have no samples yet). */
  families: Set<string>;
  /** Number of lines that could not be parsed (skipped, never fatal). */
  badLines: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(s: string): number | undefined {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Parses `{a="x",b="y"}` starting at `s[0] === '{'`; returns labels and the rest, or undefined. */
function parseLabels(s: string): { labels: Record<string, string>; rest: string } | undefined {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (s[i] === ' ' || s[i] === ',') i++;
    if (s[i] === '}') return { labels, rest: s.slice(i + 1) };
    const m = LABEL_NAME.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    if (s[i] !== '=' || s[i + 1] !== '"') return undefined;
    i += 2;
    let v = '';
    for (; i < s.length && s[i] !== '"'; i++) {
      if (s[i] !== '\\') { v += s[i]; continue; }
      const n = s[++i];
      v += n === 'n' ? '\n' : (n ?? '');
    }
    if (i >= s.length) return undefined;
    labels[m[0]] = v;
    i++;
  }
}

/** Parses one non-comment line into a sample, or undefined when it is malformed. */
export function parseSampleLine(line: string): Sample | undefined {
  const m = NAME.exec(line);
  if (!m) return undefined;
  let rest = line.slice(m[0].length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const l = parseLabels(rest);
    if (!l) return undefined;
    labels = l.labels;
    rest = l.rest;
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return undefined;
  const value = parseValue(fields[0] as string);
  return value === undefined ? undefined : { name: m[0], labels, value };
}

/** Parses a whole exposition text; malformed lines are counted in `badLines` and skipped. */
export function parseExposition(text: string): Exposition {
  const out: Exposition = { samples: [], families: new Set(), badLines: 0 };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const t = /^#\s+TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+\S+/.exec(line);
      if (t) out.families.add(t[1] as string);
      continue;
    }
    const s = parseSampleLine(line);
    if (s) out.samples.push(s);
    else out.badLines++;
  }
  return out;
}

/** Label filter: exact string, or a predicate on the label value. */
export type LabelMatch = Record<string, string | ((v: string) => boolean)>;

function matches(labels: Record<string, string>, want: LabelMatch): boolean {
  for (const [k, m] of Object.entries(want)) {
    const v = labels[k] ?? '';
    if (typeof m === 'string' ? v !== m : !m(v)) return false;
  }
  return true;
}

/** Read-only view of one scrape with the sums chart definitions need. */
export class MetricIndex {
  private readonly byName = new Map<string, Sample[]>();

  /** `now` is the scrape time in milliseconds, for ages computed from timestamp gauges. */
  constructor(readonly exposition: Exposition, readonly now: number = Date.now()) {
    for (const s of exposition.samples) {
      const list = this.byName.get(s.name);
      if (list) list.push(s); else this.byName.set(s.name, [s]);
    }
  }

  /** True when the family was announced or has samples (so absent label sets mean 0). */
  has(name: string): boolean {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return this.byName.has(name) || this.exposition.families.has(name) || this.exposition.families.has(base);
  }

  /** Sum over samples of `name` matching `want`; undefined when the family is not exported at all. */
  sum(name: string, want: LabelMatch = {}): number | undefined {
    if (!this.has(name)) return undefined;
    let total = 0;
    for (const s of this.byName.get(name) ?? []) if (matches(s.labels, want) && Number.isFinite(s.value)) total += s.value;
    return total;
  }

  /** Sum over samples of `name` matching `want`; undefined when no sample matches (unknown, not 0). */
  sumPresent(name: string, want: LabelMatch = {}): number | undefined {
    let total: number | undefined;
    for (const s of this.byName.get(name) ?? []) if (matches(s.labels, want) && Number.isFinite(s.value)) total = (total ?? 0) + s.value;
    return total;
  }

  /** Number of samples of `name` whose value is `value`; undefined when the family has no samples. */
  countValue(name: string, value: number): number | undefined {
    const list = this.byName.get(name);
    return list && list.length > 0 ? list.filter((s) => s.value === value).length : undefined;
  }

  /** Largest finite value of `name` over its series; undefined when it has none. */
  max(name: string): number | undefined {
    const values = (this.byName.get(name) ?? []).map((s) => s.value).filter(Number.isFinite);
    return values.length > 0 ? Math.max(...values) : undefined;
  }

  /** Sums of `name` grouped by the value of `label` (samples matching `want` only). */
  groupBy(name: string, label: string, want: LabelMatch = {}): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.byName.get(name) ?? []) {
      if (!matches(s.labels, want) || !Number.isFinite(s.value)) continue;
      const key = s.labels[label] ?? '';
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
    return out;
  }
}
