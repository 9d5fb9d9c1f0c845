/** The simulated kube-apiserver side: a lumberjack writer, its gzip and retention cleanup, and a copytruncate. */
import type { SimDir } from './simfs.js';

const LIVE = 'audit.log';

/** Lumberjack's backup name for rotation number `k` (sortable by the time in the name). */
function backupName(k: number): string {
  const t = new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString().replace(/:/g, '-').replace('Z', '');
  return `audit-${t}.log`;
}

/** The writer: every action keeps the ground truth of which line lives where. */
export class SimWriter {
  /** Ids of lines written completely, in order. */
  readonly written: number[] = [];
  /** Ids of lines removed by retention (from every name) before the end. */
  readonly retained = new Set<number>();
  /** Called with the content of each file retention removes. */
  onRetention: (data: Buffer) => void = () => undefined;
  private nextId = 1;
  private partial: Buffer | null = null;
  private rotations = 0;
  /** Backup base names (without `.gz`), oldest first. */
  private readonly backups: string[] = [];
  private copyTruncated = false;

  constructor(private readonly dir: SimDir, private readonly rand: () => number, readonly maxLines: number) {
    dir.create(LIVE);
  }

  /** Whether the writer has written all its lines (and no line is half-written). */
  get finished(): boolean {
    return this.nextId > this.maxLines && this.partial === null;
  }

  /** One random action of the writer or its cleanup. */
  act(): string {
    if (this.finished) return 'idle';
    const r = this.rand();
    if (this.partial || r < 0.5) return this.append();
    if (r < 0.62) return this.rotate();
    if (r < 0.72) return this.gzipStart();
    if (r < 0.8) return this.gzipComplete();
    if (r < 0.88) return this.unlinkPlain();
    if (r < 0.95) return this.retention();
    if (r < 0.97 && !this.copyTruncated) return this.copyTruncate();
    return this.append();
  }

  /** Writes the remaining half line, if any, and completes any `.gz` being written (the writer's last steps). */
  finish(): void {
    if (this.partial) this.append();
    for (const n of this.dir.names.values()) if (n.gz) n.gz.complete = true;
  }

  private append(): string {
    if (this.partial) {
      this.dir.append(LIVE, this.partial);
      this.partial = null;
      return 'append rest';
    }
    if (this.nextId > this.maxLines) return 'idle';
    const id = this.nextId++;
    const line = Buffer.from(`${id} ${'x'.repeat(Math.floor(this.rand() * 40))}\n`);
    this.written.push(id);
    if (this.rand() < 0.2) {
      const cut = 1 + Math.floor(this.rand() * (line.length - 1));
      this.dir.append(LIVE, line.subarray(0, cut));
      this.partial = line.subarray(cut);
      return `append ${id} partial`;
    }
    this.dir.append(LIVE, line);
    return `append ${id}`;
  }

  private rotate(): string {
    if (this.partial || this.dir.names.get(LIVE)!.data.length === 0) return 'idle';
    const name = backupName(++this.rotations);
    this.dir.rename(LIVE, name);
    this.dir.create(LIVE);
    this.backups.push(name);
    return `rotate to ${name}`;
  }

  /** Starts writing `<backup>.gz` (non-atomic: readers may see it incomplete) for the oldest plain backup without one. */
  private gzipStart(): string {
    const b = this.backups.find((n) => this.dir.names.has(n) && !this.dir.names.has(`${n}.gz`));
    if (!b) return 'idle';
    this.dir.create(`${b}.gz`, Buffer.from(this.dir.names.get(b)!.data), { complete: false });
    return `gzip start ${b}`;
  }

  private gzipComplete(): string {
    const gz = this.backups.map((n) => this.dir.names.get(`${n}.gz`)).find((n) => n?.gz?.complete === false);
    if (!gz) return 'idle';
    gz.gz!.complete = true;
    return `gzip complete #${gz.ino}`;
  }

  /** Removes a plain backup once its `.gz` twin is complete. */
  private unlinkPlain(): string {
    const b = this.backups.find((n) => this.dir.names.has(n) && this.dir.names.get(`${n}.gz`)?.gz?.complete === true);
    if (!b) return 'idle';
    this.dir.unlink(b);
    return `unlink plain ${b}`;
  }

  /** Deletes the oldest backup (both names) when more than two are kept. */
  private retention(): string {
    const present = this.backups.filter((n) => this.dir.names.has(n) || this.dir.names.has(`${n}.gz`));
    if (present.length <= 2) return 'idle';
    const b = present[0]!;
    for (const name of [b, `${b}.gz`]) {
      const node = this.dir.names.get(name);
      if (!node) continue;
      for (const id of idsIn(node.data)) this.retained.add(id);
      this.onRetention(node.data);
      this.dir.unlink(name);
    }
    return `retention deletes ${b}`;
  }

  /** logrotate copytruncate: copy the live file to a backup, then truncate the live file in place. */
  private copyTruncate(): string {
    if (this.partial) return 'idle';
    const live = this.dir.names.get(LIVE)!;
    const name = backupName(++this.rotations);
    this.dir.create(name, Buffer.from(live.data));
    this.backups.push(name);
    live.data = Buffer.alloc(0) as Buffer;
    live.mtime = ++this.dir.now;
    this.copyTruncated = true;
    return `copytruncate to ${name}`;
  }
}

/** Line ids in a buffer of complete lines. */
export function idsIn(data: Buffer): number[] {
  return data.toString('latin1').split('\n').filter((l) => l !== '').map((l) => Number(l.split(' ')[0]));
}
