/** A kube-apiserver stand-in for tests and benchmarks: realistic audit events, lumberjack-style rotation. */
import { closeSync, copyFileSync, ftruncateSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, existsSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '../../bench/prng.js';

/** A small deterministic PRNG (mulberry32, the generator's `bench/prng.ts`): floats in [0, 1). */
export function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

const ANON_PATHS: Array<[string, string, number, string?]> = [
  ['/healthz', 'get', 200], ['/livez', 'get', 200], ['/readyz', 'get', 200], ['/version', 'get', 200],
  ['/api', 'get', 200], ['/apis/apps/v1', 'get', 200], ['/', 'get', 403], ['/.env', 'get', 403],
  ['/api/v1/secrets?limit=1', 'list', 403, 'secrets'], ['/api/v1/namespaces/default/pods', 'list', 403, 'pods'],
  ['/api/v1/namespaces/kube-public/configmaps/cluster-info', 'get', 200, 'configmaps'],
];

/** Generates audit.k8s.io/v1 event lines: authenticated traffic, anonymous probes and 401 rejections. */
export class EventGenerator {
  private readonly rand: () => number;
  private n = 0;
  /** Simulated event time (ms); moves ~1 ms per event with occasional silences. */
  timeMs = Date.UTC(2026, 5, 1, 12, 0, 0);

  constructor(seed = 1) { this.rand = rng(seed); }

  /** The next event line (without newline). */
  next(): string {
    this.n++;
    this.timeMs += this.rand() < 0.0005 ? 45_000 : Math.floor(this.rand() * 2);
    const r = this.rand();
    const ip = `10.${Math.floor(this.rand() * 3)}.0.${Math.floor(this.rand() * 40)}`;
    const ts = new Date(this.timeMs).toISOString().replace('Z', '123Z');
    const id = `${(this.n * 2654435761 >>> 0).toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-${this.n.toString(16).padStart(12, '0')}`;
    const base = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"${id}"`;
    const times = `"requestReceivedTimestamp":"${ts}","stageTimestamp":"${ts}"`;
    if (r < 0.55) {
      const stage = this.rand() < 0.2 ? 'RequestReceived' : 'ResponseComplete';
      const status = stage === 'ResponseComplete' ? ',"responseStatus":{"metadata":{},"code":200}' : '';
      return `${base},"stage":"${stage}","requestURI":"/api/v1/namespaces/kube-system/pods?limit=500","verb":"list","user":{"username":"system:node:cp-1","groups":["system:nodes","system:authenticated"]},"sourceIPs":["${ip}"],"userAgent":"kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46","objectRef":{"resource":"pods","namespace":"kube-system","apiVersion":"v1"}${status},${times},"annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}`;
    }
    if (r < 0.85) {
      const [uri, verb, code, res] = ANON_PATHS[Math.floor(this.rand() * ANON_PATHS.length)]!;
      const obj = res ? `,"objectRef":{"resource":"${res}","apiVersion":"v1"}` : '';
      return `${base},"stage":"ResponseComplete","requestURI":"${uri}","verb":"${verb}","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["${ip}"],"userAgent":"Go-http-client/1.1"${obj},"responseStatus":{"metadata":{},"code":${code}},${times},"annotations":{"authorization.k8s.io/decision":"${code === 200 ? 'allow' : 'forbid'}","authorization.k8s.io/reason":""}}`;
    }
    if (r < 0.999) {
      return `${base},"stage":"ResponseStarted","requestURI":"/apis/authorization.k8s.io/v1/selfsubjectaccessreviews","verb":"create","user":{},"sourceIPs":["${ip}"],"objectRef":{"resource":"selfsubjectaccessreviews","apiGroup":"authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401},${times}}`;
    }
    return 'this is not json';
  }
}

/** Writes lines to `dir/audit.log` like lumberjack: one write per batch, rotation by size, async gzip of backups. */
export class LumberjackWriter {
  readonly live: string;
  private fd: number;
  private size = 0;
  private lastStamp = 0;
  private readonly pending = new Set<Promise<void>>();
  /** Every line written, in order (ground truth). */
  readonly written: Buffer[] = [];
  bytes = 0;
  rotations = 0;
  copytruncates = 0;

  /**
   * `compressEvery`: gzip every n-th backup (lumberjack with Compress and an uneven cleanup);
   * `gzipDelayMs`: how long after the rotation the `.gz` is written.
   */
  constructor(readonly dir: string, private readonly maxBytes: number, private readonly compress = true,
    private readonly opts: { compressEvery?: number; gzipDelayMs?: number } = {}) {
    this.live = join(dir, 'audit.log');
    this.fd = openSync(this.live, 'a');
  }

  /** Appends lines, rotating first whenever a line would not fit (an event never spans two files). */
  write(lines: string[]): void {
    let batch: Buffer[] = [];
    let batchLen = 0;
    for (const l of lines) {
      const b = Buffer.from(`${l}\n`);
      if (this.size + batchLen + b.length > this.maxBytes && this.size + batchLen > 0) {
        this.flush(batch, batchLen);
        batch = []; batchLen = 0;
        this.rotate();
      }
      batch.push(b);
      batchLen += b.length;
    }
    this.flush(batch, batchLen);
  }

  private flush(batch: Buffer[], len: number): void {
    if (len === 0) return;
    writeSync(this.fd, Buffer.concat(batch, len));
    this.size += len;
    this.bytes += len;
    for (const b of batch) this.written.push(b.subarray(0, b.length - 1));
  }

  /** The next backup name, `audit-YYYY-MM-DDTHH-MM-SS.mmm.log`, strictly increasing. */
  backupName(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const s = new Date(this.lastStamp).toISOString().replace(/:/g, '-').replace('Z', '');
    return join(this.dir, `audit-${s}.log`);
  }

  /** lumberjack rotate(): close, rename, create a new file; gzip the backup in the background. */
  rotate(): void {
    closeSync(this.fd);
    const name = this.backupName();
    renameSync(this.live, name);
    this.fd = openSync(this.live, 'a');
    this.size = 0;
    this.rotations++;
    if (this.compress && this.rotations % (this.opts.compressEvery ?? 1) === 0) this.gzipLater(name);
  }

  /** logrotate copytruncate: copy the file, then truncate it in place (the writer keeps its O_APPEND descriptor). */
  copyTruncate(): void {
    const name = this.backupName();
    copyFileSync(this.live, name);
    ftruncateSync(this.fd, 0);
    this.size = 0;
    this.copytruncates++;
    if (this.compress) this.gzipLater(name);
  }

  /** Writes `<backup>.gz` in two steps (visible while incomplete), then removes the plain backup. */
  private gzipLater(name: string): void {
    const p = (async () => {
      await new Promise((r) => setTimeout(r, this.opts.gzipDelayMs ?? 30 + Math.random() * 200));
      const gz = gzipSync(readFileSync(name));
      const fh = await open(`${name}.gz`, 'w');
      await fh.write(gz.subarray(0, gz.length >> 1));
      await new Promise((r) => setTimeout(r, 20));
      await fh.write(gz.subarray(gz.length >> 1));
      await fh.close();
      unlinkSync(name);
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Waits for background compression to finish. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Closes the live file. */
  close(): void {
    closeSync(this.fd);
  }
}

/** Seeds `dir` with gzipped backups and a live file, as found on a running control plane. */
export function seedExisting(dir: string, gen: EventGenerator, backups: number, linesEach: number): void {
  for (let i = 0; i < backups; i++) {
    const body = Array.from({ length: linesEach }, () => `${gen.next()}\n`).join('');
    const name = join(dir, `audit-2026-01-0${i + 1}T00-00-00.000.log`);
    writeFileSync(`${name}.gz`, gzipSync(body));
  }
  if (!existsSync(join(dir, 'audit.log'))) writeFileSync(join(dir, 'audit.log'), '');
}
