/** A gzipped backup read as one generation, with offsets in decompressed bytes. */
import { LineSplitter } from './lines.js';
import { reportCommitted, type GenerationContext } from './generation.js';
import type { FileId } from './identity.js';

/**
 * Reads a complete `.gz` backup from a decompressed offset. A stream error leaves the lines
 * already processed counted and the offset at the last complete line, so a retry resumes there.
 */
export class GzGeneration {
  readonly splitter: LineSplitter;
  fed: number;
  /** True once the whole stream decompressed without error. */
  complete = false;
  /** The file was gone when a drain opened it (removed by retention before it was read to the end). */
  vanished = false;
  private counted: number;

  constructor(readonly path: string, readonly id: FileId, readonly fingerprint: string, offset: number, readonly size: number, private readonly ctx: GenerationContext) {
    this.splitter = new LineSplitter(ctx.maxLineBytes, ctx.consumer);
    this.fed = offset;
    this.counted = offset;
  }

  /** End of the last complete line, in decompressed bytes. */
  committed(): number {
    return this.fed - this.splitter.pendingBytes;
  }

  /** Decompresses from the start, skips to the offset and feeds the rest; returns decompressed bytes fed. */
  async drain(): Promise<number> {
    const start = this.committed();
    this.splitter.reset();
    this.fed = start;
    let pos = 0;
    let total = 0;
    try {
      for await (const chunk of this.ctx.fs.gunzip(this.path)) {
        const from = Math.max(0, start - pos);
        pos += chunk.length;
        if (from >= chunk.length) continue;
        const data = chunk.subarray(from);
        this.fed += data.length;
        total += data.length;
        this.splitter.push(data);
        this.account();
        if (this.ctx.stopping()) return total;
        await this.ctx.progress();
      }
      this.complete = true;
    } catch (err) {
      this.complete = false;
      this.vanished = (err as NodeJS.ErrnoException).code === 'ENOENT';
    }
    return total;
  }

  private account(): void {
    this.counted = reportCommitted(this.ctx, this.committed(), this.counted);
  }

  /** Ends the generation: a final partial line is processed as a line. */
  finish(): void {
    this.splitter.finish();
    this.account();
  }

  /** Nothing is held open between drains. */
  async close(): Promise<void> { /* streams are closed after each drain */ }
}
