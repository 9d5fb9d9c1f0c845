/** Parsing audit timestamps (MicroTime, always UTC) quickly. */

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

let cacheKey = '';
let cacheBase = 0;

/** Parses `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` (or any Date-parsable time) to epoch milliseconds; NaN when invalid. */
export function parseTimeMs(s: string): number {
  if (s.length >= 20 && s.charCodeAt(10) === 84 /* T */ && s.charCodeAt(s.length - 1) === 90 /* Z */) {
    const hourKey = s.slice(0, 13);
    if (hourKey !== cacheKey) {
      const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2);
      const base = Date.UTC(y, mo - 1, d, h);
      if (Number.isNaN(base) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23) return Date.parse(s);
      cacheKey = hourKey;
      cacheBase = base;
    }
    const mi = digits(s, 14, 2), se = digits(s, 17, 2);
    if (Number.isNaN(mi) || Number.isNaN(se) || mi > 59 || se > 60) return Date.parse(s);
    let frac = 0;
    if (s.charCodeAt(19) === 46 /* . */) {
      const n = s.length - 21;
      if (n < 1 || n > 9) return Date.parse(s);
      frac = digits(s, 20, n);
      if (Number.isNaN(frac)) return Date.parse(s);
      frac = frac / 10 ** (n - 3);
    } else if (s.length !== 20) {
      return Date.parse(s);
    }
    return cacheBase + mi * 60_000 + se * 1000 + frac;
  }
  return Date.parse(s);
}

/** Formats epoch milliseconds (with a fraction) as MicroTime: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatMicro(ms: number): string {
  const whole = Math.floor(ms);
  const us = Math.min(999, Math.round((ms - whole) * 1000));
  return `${new Date(whole).toISOString().slice(0, 23)}${String(us).padStart(3, '0')}Z`;
}

let bytesKey = -1;
let bytesBase = 0;

function d2(buf: Buffer, i: number): number {
  const a = (buf[i] as number) - 48, c = (buf[i + 1] as number) - 48;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : NaN;
}

/** Parses a MicroTime string starting at `pos` (up to its closing quote) straight from bytes; NaN when invalid. */
export function parseTimeBytes(buf: Buffer, pos: number, end: number): number {
  // Canonical form: YYYY-MM-DDTHH:MM:SS.ffffffZ" (27 bytes, then the quote).
  if (buf[pos + 27] !== 34 || buf[pos + 26] !== 90 || buf[pos + 19] !== 46 || buf[pos + 10] !== 84 || pos + 28 > end) {
    const q = buf.indexOf(34, pos);
    return q < 0 || q >= end || q - pos > 40 ? NaN : parseTimeMs(buf.toString('latin1', pos, q));
  }
  const y = d2(buf, pos) * 100 + d2(buf, pos + 2), mo = d2(buf, pos + 5), d = d2(buf, pos + 8), h = d2(buf, pos + 11);
  const key = ((y * 100 + mo) * 100 + d) * 100 + h;
  if (key !== bytesKey) {
    if (Number.isNaN(key) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23) return NaN;
    bytesBase = Date.UTC(y, mo - 1, d, h);
    bytesKey = key;
  }
  const mi = d2(buf, pos + 14), se = d2(buf, pos + 17);
  const f = d2(buf, pos + 20) * 10000 + d2(buf, pos + 22) * 100 + d2(buf, pos + 24);
  if (Number.isNaN(mi) || Number.isNaN(se) || Number.isNaN(f) || mi > 59 || se > 60) return NaN;
  return bytesBase + mi * 60_000 + se * 1000 + f / 1000;
}
