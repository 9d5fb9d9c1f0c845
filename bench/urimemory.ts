/**
 * Report memory with long anonymous URIs: writes a log of anonymous requests whose URIs are
 * DISTINCT long strings (default 4,000 URIs of 256 KiB, each requested once: about 1 GB; `--ua-kib K`
 * adds a K KiB user agent to every line), then
 * runs `report` on it under `/usr/bin/time -v` and prints its peak RSS.
 * `npm run build && node dist/bench/urimemory.js [--out FILE] [--uris N] [--kib K] [--ua-kib K] [--regenerate] [--cli dist/src/cli.js]`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ANONYMOUS, eventLine } from '../src/demo/events.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] as string : dflt;
}

/** Writes `uris` anonymous ResponseComplete lines, each with its own `kib` KiB URI; returns the file size. */
export function writeLog(path: string, uris: number, kib: number, uaKib = 0): number {
  const fd = openSync(path, 'w');
  try {
    const filler = 'a'.repeat(kib * 1024);
    const userAgent = uaKib > 0 ? `scanner/${'u'.repeat(uaKib * 1024)}` : 'scanner/1.0';
    for (let i = 0; i < uris; i++) {
      // Half forbidden pod reads, half allowed secret reads (these also fill the sensitive-request list).
      const resource = i % 2 ? 'secrets' : 'pods';
      const uri = `/api/v1/namespaces/default/${resource}/${i.toString(36).padStart(6, '0')}?q=${filler}`;
      writeSync(fd, `${eventLine({ stage: 'ResponseComplete', uri, verb: 'get', user: ANONYMOUS, sourceIPs: ['203.0.113.7'], userAgent,
        objectRef: { resource, namespace: 'default' }, code: i % 2 ? 200 : 403, timeMs: Date.UTC(2025, 0, 1) + i * 10 })}\n`);
    }
  } finally { closeSync(fd); }
  return statSync(path).size;
}

function main(): void {
  const out = arg('out', '/tmp/k8s-anon-uri-memory.log');
  const uris = Number(arg('uris', '4000'));
  const kib = Number(arg('kib', '256'));
  const uaKib = Number(arg('ua-kib', '0'));
  const cli = arg('cli', fileURLToPath(new URL('../src/cli.js', import.meta.url)));
  if (!existsSync(out) || process.argv.includes('--regenerate')) writeLog(out, uris, kib, uaKib);
  const bytes = statSync(out).size;
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, 'report', '--format=json', out], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(r.stderr);
  const doc = JSON.parse(r.stdout) as { anonymous: { requests: number; sensitiveAllowedCount: number; topRequestURIs: { requestURI: string }[]; sensitiveAllowed: { requestURI: string }[] } };
  const longest = Math.max(...[...doc.anonymous.topRequestURIs, ...doc.anonymous.sensitiveAllowed].map((u) => u.requestURI.length));
  process.stdout.write(`${JSON.stringify({ file: out, bytes, uris, kib, uaKib, exit: r.status, anonymousRequests: doc.anonymous.requests, sensitiveAllowed: doc.anonymous.sensitiveAllowedCount,
    maxRssKiB: rss ? Number(rss[1]) : null, maxRssMB: rss ? Math.round(Number(rss[1]) * 1024 / 1e6) : null, wall: wall?.[1], longestStoredUri: longest })}\n`);
}

main();
