/** Byte-level line splitting with exact offsets and a hard line-length cap. */
import type { LineConsumer } from './types.js';

/** Hands each line of `buf[start, end)` (`end - 1` is a newline) to `consumer.line`, or to `tooLong` past `max` bytes. */
export function eachLine(consumer: LineConsumer, buf: Buffer, start: number, end: number, max: number): void {
  while (start < end) {
    const nl = buf.indexOf(10, start);
    if (nl - start > max) consumer.tooLong();
    else consumer.line(buf, start, nl);
    start = nl + 1;
  }
}

/** Hands the complete lines of `buf[start, end)` to `consumer`: as one block when it takes blocks, else line by line. */
export function feedLines(consumer: LineConsumer, buf: Buffer, start: number, end: number, max: number): void {
  if (consumer.block) consumer.block(buf, start, end, max);
  else eachLine(consumer, buf, start, end, max);
}

/**
 * Splits a byte stream into lines without decoding it. Lines longer than `maxLineBytes` are
 * discarded up to their newline and reported once through `consumer.tooLong()`, so an
 * over-long line never stalls the stream or grows memory past the cap.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryLen = 0;
  private discarding = false;
  private discarded = 0;

  constructor(private readonly maxLineBytes: number, private readonly consumer: LineConsumer) {}

  /** Bytes fed but not yet part of a complete line: the committed offset is fed bytes minus this. */
  get pendingBytes(): number {
    return this.discarding ? this.discarded : this.carryLen;
  }

  /** Feeds the next chunk of the stream; complete lines go to the consumer before this returns. */
  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    if (this.carryLen > 0 || this.discarding) {
      const nl = chunk.indexOf(10);
      if (nl < 0) { this.hold(chunk, 0, len); return; }
      this.completeCarry(chunk, nl);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      feedLines(this.consumer, chunk, start, last + 1, this.maxLineBytes);
      start = last + 1;
    }
    if (start < len) this.hold(chunk, start, len);
  }

  /** Ends the stream: a final line without a newline is processed as a line. */
  finish(): void {
    if (this.discarding) {
      this.consumer.tooLong();
    } else if (this.carryLen > 0) {
      const line = Buffer.concat(this.carry, this.carryLen);
      this.consumer.line(line, 0, line.length);
    }
    this.reset();
  }

  /** Drops any partial line without processing it (after a truncation). */
  reset(): void {
    this.carry = [];
    this.carryLen = 0;
    this.discarding = false;
    this.discarded = 0;
  }

  private hold(chunk: Buffer, from: number, to: number): void {
    const n = to - from;
    if (this.discarding) { this.discarded += n; return; }
    if (this.carryLen + n > this.maxLineBytes) {
      this.discarding = true;
      this.discarded = this.carryLen + n;
      this.carry = [];
      this.carryLen = 0;
      return;
    }
    // Copy: the caller may reuse its read buffer.
    this.carry.push(Buffer.from(chunk.subarray(from, to)));
    this.carryLen += n;
  }

  private completeCarry(chunk: Buffer, nl: number): void {
    if (this.discarding || this.carryLen + nl > this.maxLineBytes) {
      this.consumer.tooLong();
    } else {
      this.carry.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.carry, this.carryLen + nl);
      this.consumer.line(line, 0, line.length);
    }
    this.reset();
  }
}
