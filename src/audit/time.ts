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
