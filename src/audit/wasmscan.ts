/**
 * The WebAssembly scanner (assembly/scanner.ts): the fast path run over whole blocks of lines in
 * WebAssembly memory, with no call into JavaScript per accepted line. One instance per analyzer
 * (each thread has its own); its memory never grows, so the views below stay valid.
 */
import { SCANNER_WASM } from './scanner-wasm.js';

interface Exports {
  memory: { buffer: ArrayBuffer };
  scan(p: number, end: number, maxLine: number): number;
  inputStart(): number;
  inputCapacity(): number;
  capacity(): number;
  stateStart(): number;
  timesStart(): number;
  stagesStart(): number;
  recordStart(): number;
  recordTimeStart(): number;
}

/** The parts of the WebAssembly API used here (this project's TypeScript libs declare no WebAssembly values). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly (or its SIMD) is unavailable. */
function scannerModule(): object | null {
  if (compiled === undefined) {
    try { compiled = WA ? new WA.Module(Buffer.from(SCANNER_WASM, 'base64')) : null; } catch { compiled = null; }
  }
  return compiled;
}

/** `scan` stopped at a declined line (0: every line was accepted; 2: the output arrays are full). */
export const SCAN_DECLINED = 1;
/** `scan` stopped at a line the fast path declined and the scanner's byte path read into `record`. */
export const SCAN_EXTRACTED = 3;

/** One scanner instance and views of its memory. */
export class WasmScanner {
  /** The whole memory: positions the scanner reports index into it. */
  readonly mem: Buffer;
  /** The two input areas, for reading a file straight into them (one while the other is scanned). */
  readonly inputs: [Buffer, Buffer];
  /** Where the first input area starts in `mem`. */
  readonly base: number;
  /** Accepted lines' stageTimestamp (ms) and stage index (FAST_STAGES), by acceptance order. */
  readonly times: Float64Array;
  readonly stages: Uint8Array;
  /** After `scan`: accepted count, declined line start, its end, where to continue. */
  readonly state: Int32Array;
  /** After SCAN_EXTRACTED: the fields of that line (slots in wasmevent.ts), and its stageTimestamp. */
  readonly record: Int32Array;
  readonly recordTime: Float64Array;
  private readonly x: Exports;

  private constructor(x: Exports) {
    this.x = x;
    const buf = x.memory.buffer;
    this.mem = Buffer.from(buf);
    this.base = x.inputStart();
    const cap = x.inputCapacity();
    this.inputs = [this.mem.subarray(this.base, this.base + cap), this.mem.subarray(this.base + cap, this.base + 2 * cap)];
    this.times = new Float64Array(buf, x.timesStart(), x.capacity());
    this.stages = new Uint8Array(buf, x.stagesStart(), x.capacity());
    this.state = new Int32Array(buf, x.stateStart(), 4);
    this.record = new Int32Array(buf, x.recordStart(), (x.recordTimeStart() - x.recordStart()) / 4);
    this.recordTime = new Float64Array(buf, x.recordTimeStart(), 1);
  }

  /** A new instance, or undefined where WebAssembly with SIMD is unavailable (the JavaScript fast path then serves). */
  static create(): WasmScanner | undefined {
    const m = scannerModule();
    if (!m || !WA) return undefined;
    try {
      return new WasmScanner(new WA.Instance(m, { env: { abort: () => { throw new Error('scanner abort'); } } }).exports as unknown as Exports);
    } catch { return undefined; }
  }

  /** Scans the whole lines of `mem[p, end)` (`end - 1` is a newline); see SCAN_DECLINED. */
  scan(p: number, end: number, maxLine: number): number {
    return this.x.scan(p, end, Math.min(maxLine, 0x7fffffff));
  }
}
