/** Source addresses: picking the trusted entry and classifying it (series ranking: `ranking.ts`). */
import { isIP } from 'node:net';

interface Range { v6: boolean; base: bigint; mask: bigint }

function v4ToBig(ip: string): bigint {
  let n = 0n;
  for (const part of ip.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

function v6ToBig(ip: string): bigint {
  let s = ip;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4tail) {
    const n = v4ToBig(v4tail[1] as string);
    s = `${s.slice(0, v4tail.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

/** Parses a CIDR (or bare address) into a range; the caller validated it. */
export function parseCidr(cidr: string): Range {
  const [addr = '', bitsStr] = cidr.split('/');
  const v6 = isIP(addr) === 6;
  const width = v6 ? 128 : 32;
  const bits = bitsStr === undefined ? width : Number(bitsStr);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  const base = (v6 ? v6ToBig(addr) : v4ToBig(addr)) & mask;
  return { v6, base, mask };
}

const LOOPBACK = ['127.0.0.0/8', '::1/128'].map(parseCidr);
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'].map(parseCidr);

function inAny(ranges: Range[], v6: boolean, n: bigint): boolean {
  return ranges.some((r) => r.v6 === v6 && (n & r.mask) === r.base);
}

/** Memoises `f` over at most 4096 distinct strings (cleared when full), as addresses repeat. */
function memoised(f: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const v = f(s);
    if (cache.size >= 4096) cache.clear();
    cache.set(s, v);
    return v;
  };
}

/** Classifies source addresses against configured CIDR classes, then loopback/private/public. */
export class SourceClassifier {
  private readonly classes: { name: string; ranges: Range[] }[];

  constructor(classes: Record<string, string[]>) {
    this.classes = Object.entries(classes).map(([name, cidrs]) => ({ name, ranges: cidrs.map(parseCidr) }));
  }

  /** Returns the class of a normalised address (`unknown` for an invalid one). */
  readonly classOf = memoised((addr) => this.compute(addr));

  private compute(addr: string): string {
    const fam = isIP(addr);
    if (fam === 0) return 'unknown';
    const v6 = fam === 6;
    const n = v6 ? v6ToBig(addr) : v4ToBig(addr);
    for (const c of this.classes) if (inAny(c.ranges, v6, n)) return c.name;
    if (inAny(LOOPBACK, v6, n)) return 'loopback';
    if (inAny(PRIVATE, v6, n)) return 'private';
    return 'public';
  }
}

/** Normalises one address (`::ffff:` IPv4 unwrapped, lower case) or returns `invalid`. */
const normalise = memoised((raw) => {
  const s = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  return isIP(s) === 0 ? 'invalid' : s.toLowerCase();
});

/** Picks the trusted entry of `sourceIPs` and normalises it; returns `invalid` or `none` when unusable. */
export function pickSource(sourceIPs: readonly unknown[] | undefined, which: 'last' | 'first'): string {
  if (!sourceIPs || sourceIPs.length === 0) return 'none';
  const raw = which === 'last' ? sourceIPs[sourceIPs.length - 1] : sourceIPs[0];
  return typeof raw === 'string' ? normalise(raw) : 'invalid';
}
