/**
 * Validating JSON scanners over bytes, for the byte path: each returns the index just past
 * what it read, or -1 when the bytes are not exactly what `JSON.parse` would accept there.
 * None allocates; strings are validated (escapes and control bytes) but never decoded.
 */

const MAX_DEPTH = 64;

/** True when the bytes of `lit` start at `pos`. */
export function matchAt(buf: Buffer, pos: number, lit: Buffer): boolean {
  const n = lit.length;
  if (pos + n > buf.length) return false;
  for (let i = 0; i < n; i++) if (buf[pos + i] !== lit[i]) return false;
  return true;
}

/** Skips a JSON string whose opening quote is at `p - 1`; validates escapes and rejects raw control bytes. */
export function skipStr(buf: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = buf[p] as number;
    if (c === 34) return p + 1;
    if (c < 32) return -1;
    if (c === 92) {
      const e = buf[p + 1] as number;
      if (e === 117 /* u */) {
        for (let i = p + 2; i < p + 6; i++) if (!isHex(buf[i] as number)) return -1;
        p += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) return -1;
      p += 2;
      continue;
    }
    p++;
  }
  return -1;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Reads a string with no escape whose opening quote is at `p - 1`: returns the index of its closing
 * quote, or -1 when it holds an escape or a control byte (the caller then declines to the full parse).
 */
export function plainStr(buf: Buffer, p: number, end: number): number {
  // One pass in JS: the validation visits every byte anyway, so a native quote search first would only add a call.
  for (let i = p; i < end; i++) {
    const c = buf[i] as number;
    if (c === 34) return i;
    if (c === 92 || c < 32) return -1;
  }
  return -1;
}

/** Skips a JSON number starting at `p` (grammar of RFC 8259). */
export function skipNum(buf: Buffer, p: number, end: number): number {
  if (buf[p] === 45) p++;
  if (buf[p] === 48) p++;
  else if (isDigit(buf[p] as number) && buf[p] !== 48) { while (p < end && isDigit(buf[p] as number)) p++; } else return -1;
  if (buf[p] === 46) {
    p++;
    if (!isDigit(buf[p] as number)) return -1;
    while (p < end && isDigit(buf[p] as number)) p++;
  }
  if (buf[p] === 101 || buf[p] === 69) {
    p++;
    if (buf[p] === 43 || buf[p] === 45) p++;
    if (!isDigit(buf[p] as number)) return -1;
    while (p < end && isDigit(buf[p] as number)) p++;
  }
  return p <= end ? p : -1;
}

function skipLit(buf: Buffer, p: number, lit: string): number {
  for (let i = 0; i < lit.length; i++) if (buf[p + i] !== lit.charCodeAt(i)) return -1;
  return p + lit.length;
}

/** Skips any compact JSON value (no whitespace between tokens) starting at `p`. */
export function skipValue(buf: Buffer, p: number, end: number, depth = 0): number {
  const c = buf[p];
  if (c === 34) return skipStr(buf, p + 1, end);
  if (c === 123 || c === 91) return depth >= MAX_DEPTH ? -1 : skipContainer(buf, p, end, depth + 1);
  if (c === 116) return skipLit(buf, p, 'true');
  if (c === 102) return skipLit(buf, p, 'false');
  if (c === 110) return skipLit(buf, p, 'null');
  return skipNum(buf, p, end);
}

function skipContainer(buf: Buffer, p: number, end: number, depth: number): number {
  const obj = buf[p] === 123;
  const close = obj ? 125 : 93;
  p++;
  if (buf[p] === close) return p + 1;
  for (;;) {
    if (obj) {
      if (buf[p] !== 34) return -1;
      p = skipStr(buf, p + 1, end);
      if (p < 0 || buf[p] !== 58) return -1;
      p++;
    }
    p = skipValue(buf, p, end, depth);
    if (p < 0 || p >= end) return -1;
    if (buf[p] === close) return p + 1;
    if (buf[p] !== 44) return -1;
    p++;
  }
}
