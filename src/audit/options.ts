/** The analyzer's settings and the receiver of per-request detail. */
import type { AuditObserver } from './observer.js';
import type { AuditEvent } from './event.js';
import type { EndpointClass } from './classify.js';
import type { BindingWrite } from './bindings.js';

/** Per-request facts handed to a detail sink (the report), beyond what metrics keep. */
export interface RequestFacts {
  ev: AuditEvent;
  endpointClass: EndpointClass;
  source: string;
  sourceClass: string;
}

/** Optional receiver of per-request detail; `report` implements it, `serve` does not. */
export interface DetailSink {
  anonymous(f: RequestFacts): void;
  unauthorized(f: RequestFacts): void;
  bindingWrite(ev: AuditEvent, w: BindingWrite): void;
  gap(fromMs: number, toMs: number): void;
  canary(ev: AuditEvent): void;
}

/** Analyzer settings, taken from the configuration. */
export interface AnalyzerOptions {
  sourceClasses: Record<string, string[]>;
  sourceAddress: 'last' | 'first';
  maxSourceSeries: number;
  /** Per-source series go to the most active addresses in this window (`sources.windowSeconds`, default 3600). */
  sourceWindowSeconds?: number;
  gapThresholdSeconds: number;
  observers?: AuditObserver[];
  detail?: DetailSink;
  /** Disable the byte-level fast paths (tests prove every path counts the same). */
  fastPath?: boolean;
  /** Which fast path takes blocks of lines: the WebAssembly scanner (default, where available) or the JavaScript one. */
  scanner?: 'wasm' | 'js';
  /**
   * Defers gap accounting for a byte range analysed apart from what precedes it: times that raise
   * the running maximum are handed to this sink (for an exact replay in file order through
   * `replayTimes`); the others are gaps of 0 whatever came before, and are counted here.
   */
  deferGaps?: (t: number) => void;
}
