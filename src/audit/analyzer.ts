/** The counting engine shared by `report` and `serve`: one complete line in, exact counters out. */
import type { LineConsumer, StateProvider } from '../tail/types.js';
import { eachLine } from '../tail/lines.js';
import type { AuditObserver } from './observer.js';
import { fastScan, type FastResult } from './fastpath.js';
import { byteEvent } from './bytepath.js';
import { SCAN_DECLINED, SCAN_EXTRACTED, WasmScanner } from './wasmscan.js';
import { recordEvent } from './wasmevent.js';
import { decodeEvent, type AuditEvent, type SkipReason } from './event.js';
import { classify, pathOf } from './classify.js';
import { bindingWriteOf, type BindingWrite } from './bindings.js';
import type { AnalyzerOptions, RequestFacts } from './options.js';
import { SourceClassifier, pickSource } from './sources.js';
import { SourceRanker } from './ranking.js';
import { countGap, countQuiet, type GapState } from './gaps.js';
import { countersFromJson, countersToJson, emptyCounters, inc, type Counters } from './state.js';
import { RESOURCES, STAGES, VERBS, bounded, codeLabel } from './vocab.js';

/**
 * Canary requests are GETs of a configmap named with this prefix. They are recognised by that
 * path only: Audit-ID is client-chosen, and excluding by it would let anyone hide requests.
 */
export const CANARY_PREFIX = 'k8s-anon-exporter-canary-';
const CANARY_RE = /^\/api\/v1\/namespaces\/[a-z0-9-]{1,63}\/configmaps\/(k8s-anon-exporter-canary-[A-Za-z0-9-]{1,64})$/;
const PROBE_PREFIX = 'k8s-anon-exporter-probe-';

export type { AnalyzerOptions, DetailSink, RequestFacts } from './options.js';

/** The stages the fast path reports, indexed as `pending` counts them; index 2 and up are counted requests. */
const FAST_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;

const isAllowed = (code: number | undefined): boolean => code !== undefined && ((code >= 200 && code < 300) || code === 101);

/** Counts audit events per SPEC §4; implements the tailer's line consumer and checkpoint state. */
export class Analyzer implements LineConsumer, StateProvider {
  private counters: Counters = emptyCounters();
  /** Events the fast path counted but not yet added to `events`, by FAST_STAGES index (a Map update per line costs more). */
  private readonly pending = [0, 0, 0, 0];
  /** Bit i: FAST_STAGES[i] is in `events` (first sighting fixes a key's place in the map, as `inc` would). */
  private listed = 0;
  private readonly gaps: GapState = { maxGapSeconds: 0 };
  private cap: SourceRanker;
  private classifier: SourceClassifier;
  private readonly fast: FastResult = { stage: 'RequestReceived', timeMs: 0 };
  private readonly observers: AuditObserver[];
  private readonly useFast: boolean;
  private readonly wasm: WasmScanner | undefined;

  constructor(private readonly opts: AnalyzerOptions) {
    this.classifier = new SourceClassifier(opts.sourceClasses);
    this.cap = this.newRanker();
    this.observers = opts.observers ?? [];
    this.useFast = opts.fastPath ?? true;
    this.wasm = this.useFast && opts.scanner !== 'js' ? WasmScanner.create() : undefined;
  }

  /** Two buffers to read input into so that `block` needs no copy (the scanner's input areas), if there are any. */
  readBuffers(): [Buffer, Buffer] | undefined { return this.wasm?.inputs; }

  /** Longest interval between consecutive events seen by this process, in seconds, whatever the gap threshold. */
  get maxGapSeconds(): number { return this.gaps.maxGapSeconds; }

  /** Every counter, current to the last line processed. */
  get c(): Counters {
    const p = this.pending;
    for (let i = 0; i < FAST_STAGES.length; i++) {
      const n = p[i] as number;
      if (n > 0) { inc(this.counters.events, FAST_STAGES[i] as string, n); p[i] = 0; }
    }
    return this.counters;
  }

  set c(v: Counters) {
    this.counters = v;
    this.pending.fill(0);
    this.listed = 0;
  }

  /** Counts one event of FAST_STAGES[i] taken by a fast path: its stage (pending) and, from index 2 on, a request. */
  private countStage(i: number): void {
    if ((this.listed & (1 << i)) === 0) {
      const stage = FAST_STAGES[i] as string;
      if (!this.counters.events.has(stage)) this.counters.events.set(stage, 0);
      this.listed |= 1 << i;
    }
    this.pending[i] = (this.pending[i] as number) + 1;
    if (i >= 2) this.counters.requests++;
  }

  /** Adds an observer of binding writes and canaries. */
  observe(o: AuditObserver): void { this.observers.push(o); }

  /** Processes one complete line `buf[start, end)`. */
  line(buf: Buffer, start: number, end: number): void {
    if (this.useFast && fastScan(buf, start, end, this.fast)) {
      const st = this.fast.stage;
      // Interned strings: identity compares.
      this.countStage(st === 'RequestReceived' ? 0 : st === 'ResponseComplete' ? 2 : st === 'ResponseStarted' ? 1 : 3);
      this.time(this.fast.timeMs);
      return;
    }
    this.slow(buf, start, end);
  }

  /**
   * Processes every line of `buf[start, end)` (`end - 1` is a newline); lines longer than `max` count
   * as too long. The WebAssembly scanner takes what it can in blocks; the rest go line by line.
   */
  block(buf: Buffer, start: number, end: number, max: number): void {
    const w = this.wasm;
    if (!w) { eachLine(this, buf, start, end, max); return; }
    if (buf.buffer === w.mem.buffer) { this.scanBlock(w, buf.byteOffset + start, buf.byteOffset + end, max); return; }
    const cap = w.inputs[0].length;
    while (start < end) {
      const stop = end - start <= cap ? end : buf.lastIndexOf(10, start + cap - 1) + 1;
      if (stop <= start) {
        // One line longer than the input area: it goes alone.
        const nl = buf.indexOf(10, start);
        eachLine(this, buf, start, nl + 1, max);
        start = nl + 1;
        continue;
      }
      buf.copy(w.mem, w.base, start, stop);
      this.scanBlock(w, w.base, w.base + stop - start, max);
      start = stop;
    }
  }

  private scanBlock(w: WasmScanner, p: number, end: number, max: number): void {
    while (p < end) {
      const stop = w.scan(p, end, max);
      const st = w.state;
      this.accepted(w, st[0] as number);
      if (stop === SCAN_EXTRACTED) this.event(recordEvent(w));
      else if (stop === SCAN_DECLINED) {
        const s = st[1] as number, e = st[2] as number;
        if (e - s > max) this.tooLong(); else this.slow(w.mem, s, e);
      }
      p = st[3] as number;
    }
  }

  /** Counts the first `n` lines the scanner accepted, in order. */
  private accepted(w: WasmScanner, n: number): void {
    const stages = w.stages;
    for (let k = 0; k < n; k++) this.countStage(stages[k] as number);
    // Times only feed the gap and source-window clocks, which read no stage counts: a second pass.
    this.times(w.times, n);
  }

  /** A line the fast paths declined: the byte path, else the full parse. */
  private slow(buf: Buffer, start: number, end: number): void {
    const bev = this.useFast ? byteEvent(buf, start, end) : undefined;
    if (bev !== undefined) { this.event(bev); return; }
    let s = start;
    while (s < end && (buf[s] === 32 || buf[s] === 9 || buf[s] === 0 || buf[s] === 13)) s++;
    if (s >= end) { this.skip('invalid_json'); return; }
    const ev = decodeEvent(buf.toString('utf8', s, end));
    if (typeof ev === 'string') this.skip(ev);
    else this.event(ev);
  }

  /** Every line processed so far: each one is either an event or skipped. */
  linesSeen(): number {
    let n = 0;
    for (const v of this.c.events.values()) n += v;
    for (const v of this.c.skipped.values()) n += v;
    return n;
  }

  /** Counts a line skipped for being longer than the limit. */
  tooLong(): void { this.skip('too_long'); }

  /** Counts a skipped line under `reason`. */
  skip(reason: SkipReason): void { inc(this.counters.skipped, reason); }

  /** Processes one decoded event. */
  event(ev: AuditEvent): void {
    inc(this.counters.events, ev.stage !== undefined && STAGES.has(ev.stage) ? ev.stage : 'other');
    if (ev.timeMs !== undefined) this.time(ev.timeMs);
    const counted = ev.stage === 'ResponseComplete' || ev.stage === 'Panic'
      || (ev.stage === 'ResponseStarted' && ev.code === 401 && ev.userEmpty);
    if (!counted) return;
    this.counters.requests++;
    const bw = bindingWriteOf(ev);
    if (bw) this.binding(ev, bw);
    const anon = ev.username === 'system:anonymous' || ev.impersonatedUsername === 'system:anonymous';
    const unauth = ev.code === 401;
    if (!anon && !unauth) return;
    if (this.isCanary(ev) || this.isOwnProbe(ev)) return;
    const endpointClass = classify(ev.requestURI, ev.verb, ev.objectRef);
    const addr = pickSource(ev.sourceIPs, this.opts.sourceAddress);
    const sourceClass = addr === 'none' || addr === 'invalid' ? 'unknown' : this.classifier.classOf(addr);
    const facts: RequestFacts = { ev, endpointClass, source: addr, sourceClass };
    if (anon) this.anonymous(facts);
    if (unauth) this.unauthorized(facts);
  }

  private anonymous(f: RequestFacts): void {
    const { ev, endpointClass, sourceClass } = f;
    const verb = bounded(VERBS, ev.verb);
    const code = codeLabel(ev.code);
    inc(this.counters.anon, `${endpointClass}|${verb}|${code}|${sourceClass}`);
    if (ev.username !== 'system:anonymous') inc(this.counters.impersonated, `${endpointClass}|${code}`);
    if (endpointClass === 'sensitive') inc(this.counters.sensitive, `${this.resourceLabel(ev)}|${verb}|${code}`);
    const outcome = isAllowed(ev.code) ? 'allowed' : ev.code === 403 ? 'forbidden' : undefined;
    if (outcome) inc(this.counters.sources, `${this.cap.label(f.source, ev.timeMs)}|${sourceClass}|${outcome}`);
    this.opts.detail?.anonymous(f);
  }

  private unauthorized(f: RequestFacts): void {
    inc(this.counters.unauthorized, `${f.endpointClass}|${f.sourceClass}`);
    inc(this.counters.sources, `${this.cap.label(f.source, f.ev.timeMs)}|${f.sourceClass}|unauthorized`);
    this.opts.detail?.unauthorized(f);
  }

  private resourceLabel(ev: AuditEvent): string {
    const ref = ev.objectRef;
    if (!ref) return 'none';
    const r = ref.resource ?? '';
    return ref.subresource ? bounded(RESOURCES, `${r}/${ref.subresource}`) : bounded(RESOURCES, r);
  }

  private binding(ev: AuditEvent, w: BindingWrite): void {
    for (const o of this.observers) o.bindingWrite?.(w.kind, w.verb);
    if (ev.code === undefined || ev.code < 200 || ev.code >= 300) return;
    if (w.subjects === undefined) inc(this.counters.bindingUnverified, `${w.kind}|${w.verb}`);
    else for (const s of w.subjects) inc(this.counters.bindingChanges, `${w.kind}|${w.verb}|${s}`);
    this.opts.detail?.bindingWrite(ev, w);
  }

  private isCanary(ev: AuditEvent): boolean {
    const m = ev.verb === 'get' ? CANARY_RE.exec(pathOf(ev.requestURI)) : null;
    if (!m) return false;
    this.counters.canary++;
    for (const o of this.observers) o.canarySeen?.(m[1] as string, ev.timeMs ?? Date.now());
    this.opts.detail?.canary(ev);
    return true;
  }

  private isOwnProbe(ev: AuditEvent): boolean {
    const id = ev.auditID;
    return id !== undefined && id.startsWith(PROBE_PREFIX) && this.observers.some((o) => o.ownRequest?.(id) === true);
  }

  /** Replays times deferred by another analyzer's `deferGaps`, in file order, as if read here. */
  replayTimes(times: Float64Array): void { this.times(times, times.length); }

  /** Feeds `times[0, n)` to the gap and source-window clocks, in order, as `time` would one by one. */
  private times(times: Float64Array, n: number): void {
    for (let k = 0; k < n;) {
      k = countQuiet(this.counters, this.gaps, this.opts, times, k, n, this.cap.nextStepMs);
      if (k < n) this.time(times[k++] as number);
    }
  }

  private time(t: number): void {
    if (t >= this.cap.nextStepMs) this.cap.advance(t);
    countGap(this.counters, this.gaps, this.opts, t);
  }

  /** A JSON snapshot of every counter, for the checkpoint. */
  snapshot(): unknown { return countersToJson(this.c, this.cap.list(), this.cap.snapshot()); }

  /** Restores counters from a snapshot. */
  restore(state: unknown): void {
    const { counters, sourceSeen, sourceRank } = countersFromJson(state);
    this.c = counters;
    this.cap = this.newRanker();
    // A checkpoint written with a larger sources.maxSeries (or edited) must not lift the bound.
    this.cap.restore(sourceRank, sourceSeen.slice(0, this.opts.maxSourceSeries));
  }

  /** Applies settings that may change while running (SIGHUP): source classes, series cap, gap threshold. */
  reconfigure(o: Pick<AnalyzerOptions, 'sourceClasses' | 'maxSourceSeries' | 'gapThresholdSeconds'>): void {
    this.opts.sourceClasses = o.sourceClasses;
    this.classifier = new SourceClassifier(o.sourceClasses);
    this.opts.gapThresholdSeconds = o.gapThresholdSeconds;
    this.opts.maxSourceSeries = o.maxSourceSeries;
    this.cap.setMaxSeries(o.maxSourceSeries);
  }

  private newRanker(): SourceRanker {
    return new SourceRanker(this.opts.maxSourceSeries, (this.opts.sourceWindowSeconds ?? 3600) * 1000, (addr) => this.evicted(addr));
  }

  /** An address lost its own series: its counts move to `other`, so sums over sources stay exact. */
  private evicted(addr: string): void {
    const prefix = `${addr}|`;
    for (const [key, n] of [...this.counters.sources]) {
      if (!key.startsWith(prefix)) continue;
      this.counters.sources.delete(key);
      inc(this.counters.sources, `other|${key.slice(prefix.length)}`, n);
    }
  }
}
