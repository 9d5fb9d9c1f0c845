/** Byte searches (16 bytes at a time), JSON string skipping and MicroTime parsing for the WebAssembly scanner. */

/** The byte at `p`. */
// @ts-ignore: decorator
@inline export function at(p: i32): i32 { return <i32>load<u8>(<usize>p); }

/** The first index of byte `c` in `[p, end)`, or -1. */
export function find(p: i32, end: i32, c: u8): i32 {
  const needle = i8x16.splat(c);
  while (p + 16 <= end) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(<usize>p), needle));
    if (m != 0) return p + ctz(m);
    p += 16;
  }
  while (p < end) {
    if (load<u8>(<usize>p) == c) return p;
    p++;
  }
  return -1;
}

/** The last index of byte `c` in `[lo, hi)`, or -1. */
export function findBack(lo: i32, hi: i32, c: u8): i32 {
  const needle = i8x16.splat(c);
  while (hi - 16 >= lo) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(<usize>(hi - 16)), needle));
    if (m != 0) return hi - 16 + 31 - clz(m);
    hi -= 16;
  }
  while (hi > lo) {
    hi--;
    if (load<u8>(<usize>hi) == c) return hi;
  }
  return -1;
}

/** The index just past the closing quote of a JSON string whose content starts at `pos`, or -1. */
export function skipString(pos: i32, end: i32): i32 {
  for (let q = find(pos, end, 34); q >= 0; q = find(q + 1, end, 34)) {
    let bs = 0;
    for (let j = q - 1; j >= pos && at(j) == 92; j--) bs++;
    if ((bs & 1) == 0) return q + 1;
  }
  return -1;
}

/** The first quote, backslash or control byte in `[p, end)` (16 bytes at a time), or -1. */
function special(p: i32, end: i32): i32 {
  const quote = i8x16.splat(34), backslash = i8x16.splat(92), space = i8x16.splat(32);
  while (p + 16 <= end) {
    const v = v128.load(<usize>p);
    const m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, space)));
    if (m != 0) return p + ctz(m);
    p += 16;
  }
  for (; p < end; p++) {
    const c = at(p);
    if (c == 34 || c == 92 || c < 32) return p;
  }
  return -1;
}

/** The closing quote of a string starting at `p` with no escape or control byte, or -1. */
export function plainStr(p: i32, end: i32): i32 {
  const i = special(p, end);
  return i >= 0 && at(i) == 34 ? i : -1;
}

/** True when `c` is an ASCII hex digit. */
function isHex(c: i32): bool { return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70); }

/**
 * Skips a JSON string whose content starts at `p`, as jsonbytes.ts `skipStr` does: escapes are
 * validated and raw control bytes rejected. Returns the index after the closing quote, or -1.
 */
export function skipStr(p: i32, end: i32): i32 {
  for (p = special(p, end); p >= 0; p = special(p, end)) {
    const c = at(p);
    if (c == 34) return p + 1;
    if (c < 32) return -1;
    const e = at(p + 1);
    if (e == 117) {
      if (!isHex(at(p + 2)) || !isHex(at(p + 3)) || !isHex(at(p + 4)) || !isHex(at(p + 5))) return -1;
      p += 6;
      continue;
    }
    // An escaped quote, backslash or slash, or \b \f \n \r \t.
    if (e != 34 && e != 92 && e != 47 && e != 98 && e != 102 && e != 110 && e != 114 && e != 116) return -1;
    p += 2;
  }
  return -1;
}

/** True when the string whose content starts at `from` ends with the unescaped quote at `to`. */
export function stringEndsAt(from: i32, to: i32): bool {
  return find(from, to + 1, 34) == to && at(to - 1) != 92;
}

/** Two decimal digits at `i`, or -1. */
function d2(i: i32): i32 {
  const a = at(i) - 48, c = at(i + 1) - 48;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1;
}

/** Days from 1970-01-01 to the proleptic Gregorian date `y-m-d` (`d` may run past the month's end, as in Date.UTC). */
function daysFromCivil(y: i32, m: i32, d: i32): i32 {
  if (m <= 2) y--;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = (153 * mp + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** The last date and hour parsed (year, month, day, hour as one number) and its epoch milliseconds. */
let hourKey: i64 = -1;
let hourBase: f64 = 0;

/** Parses a canonical MicroTime (`YYYY-MM-DDTHH:MM:SS.ffffffZ"`) at `pos` to epoch milliseconds, as parseTimeBytes does; NaN otherwise. */
export function parseTime(pos: i32, end: i32): f64 {
  if (at(pos + 27) != 34 || at(pos + 26) != 90 || at(pos + 19) != 46 || at(pos + 10) != 84 || pos + 28 > end) return NaN;
  const y1 = d2(pos), y2 = d2(pos + 2), mo = d2(pos + 5), d = d2(pos + 8), h = d2(pos + 11);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23) return NaN;
  const mi = d2(pos + 14), se = d2(pos + 17), f1 = d2(pos + 20), f2 = d2(pos + 22), f3 = d2(pos + 24);
  if (mi < 0 || se < 0 || f1 < 0 || f2 < 0 || f3 < 0 || mi > 59 || se > 60) return NaN;
  const key = <i64>((y1 * 100 + y2) * 100 + mo) * 10000 + <i64>(d * 100 + h);
  if (key != hourKey) {
    let y = y1 * 100 + y2;
    // Date.UTC reads years 0 to 99 as 1900 to 1999.
    if (y <= 99) y += 1900;
    hourBase = <f64>daysFromCivil(y, mo, d) * 86400000.0 + <f64>h * 3600000.0;
    hourKey = key;
  }
  const base = hourBase;
  const f = f1 * 10000 + f2 * 100 + f3;
  return base + <f64>(mi * 60000) + <f64>(se * 1000) + <f64>f / 1000.0;
}
