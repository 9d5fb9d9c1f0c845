/** `report` input that holds EventList objects (as webhook sinks store them): one per line, or one pretty-printed document. */
import { eventListItems, feedItems, type EventSink } from '../webhook/eventlist.js';
import type { LineConsumer } from '../tail/types.js';
import { eachLine, feedLines } from '../tail/lines.js';

/** A pretty-printed EventList document larger than this is refused (it is parsed in one piece). */
export const MAX_DOCUMENT_BYTES = 1 << 30;

type Mode = 'unknown' | 'plain' | 'lines' | 'document';

const firstNonSpace = (buf: Buffer, start: number, end: number): number => {
  let s = start;
  while (s < end && (buf[s] === 32 || buf[s] === 9 || buf[s] === 13)) s++;
  return s;
};

/**
 * Sits between the line splitter and the analyzer. The first line decides: a JSON object of
 * kind EventList means one EventList (or Event) per line; a lone `{` opens one pretty-printed
 * document; anything else passes through untouched, as audit log lines.
 */
export class EventListLines implements LineConsumer {
  private mode: Mode = 'unknown';
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(private readonly inner: LineConsumer & EventSink) {}

  /** See `LineConsumer.line`. */
  line(buf: Buffer, start: number, end: number): void {
    if (this.mode === 'plain') { this.inner.line(buf, start, end); return; }
    if (this.mode === 'document') { this.hold(buf, start, end); return; }
    const s = firstNonSpace(buf, start, end);
    if (this.mode === 'unknown' && end - s === 1 && buf[s] === 0x7b) { this.mode = 'document'; this.hold(buf, start, end); return; }
    const v = this.parseList(buf, s, end);
    if (this.mode === 'unknown') this.mode = v === null ? 'plain' : 'lines';
    if (v === null) this.inner.line(buf, start, end);
    else feedItems(v, this.inner);
  }

  /** See `LineConsumer.block`: once the input is known to be plain audit lines, blocks go straight through. */
  block(buf: Buffer, start: number, end: number, max: number): void {
    while (start < end && this.mode !== 'plain') {
      const nl = buf.indexOf(10, start);
      eachLine(this, buf, start, nl + 1, max);
      start = nl + 1;
    }
    if (start < end) feedLines(this.inner, buf, start, end, max);
  }

  /** See `LineConsumer.tooLong`. */
  tooLong(): void { this.inner.tooLong(); }

  /** Ends the input: a held document is parsed and its items counted (or its lines passed on when it is no EventList). */
  finish(): void {
    if (this.mode !== 'document') return;
    const doc = Buffer.concat(this.held, this.heldBytes);
    let items: unknown[] | null = null;
    try { items = eventListItems(JSON.parse(doc.toString('utf8'))); } catch { items = null; }
    if (items !== null) feedItems(items, this.inner);
    else for (const b of this.held) this.inner.line(b, 0, b.length);
    this.held = [];
    this.heldBytes = 0;
  }

  private parseList(buf: Buffer, s: number, end: number): unknown[] | null {
    if (buf[s] !== 0x7b || buf.subarray(s, end).indexOf('EventList') < 0) return null;
    try { return eventListItems(JSON.parse(buf.toString('utf8', s, end))); } catch { return null; }
  }

  private hold(buf: Buffer, start: number, end: number): void {
    this.heldBytes += end - start + 1;
    if (this.heldBytes > MAX_DOCUMENT_BYTES) throw new Error(`EventList document larger than ${MAX_DOCUMENT_BYTES} bytes`);
    this.held.push(Buffer.concat([buf.subarray(start, end), Buffer.from('\n')]));
  }
}
