/** Deterministic randomness and audit timestamp formatting for the log generator. */

/** A seeded PRNG (mulberry32): the same seed always yields the same sequence. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    const t0 = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    let t = Math.imul(t0 ^ (t0 >>> 15), t0 | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)] as T;
  }

  /** An exponentially distributed value with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** `n` lower-case hex digits. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  /** A random (version 4 layout) UUID, as kube-apiserver generates for audit IDs and object UIDs. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
}

let cachedSecond = -1;
let cachedPrefix = '';

/** Formats epoch microseconds as a Kubernetes MicroTime (`2006-01-02T15:04:05.000000Z`). */
export function microTime(us: number): string {
  const sec = Math.floor(us / 1e6);
  if (sec !== cachedSecond) {
    cachedSecond = sec;
    cachedPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return `${cachedPrefix}.${String(Math.floor(us - sec * 1e6)).padStart(6, '0')}Z`;
}
