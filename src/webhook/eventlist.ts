/** EventList bodies (what kube-apiserver's webhook backend POSTs) turned into analyzer input. */
import { eventFromObject, type AuditEvent, type SkipReason } from '../audit/event.js';

/** What receives the items of an EventList: the analyzer's event and skip entry points. */
export interface EventSink {
  event(ev: AuditEvent): void;
  skip(reason: SkipReason): void;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Items of a parsed EventList (`kind: EventList`, `items` an array), or null when `v` is not one. */
export function eventListItems(v: unknown): unknown[] | null {
  if (!isObj(v) || v.kind !== 'EventList') return null;
  if (v.items === undefined || v.items === null) return [];
  return Array.isArray(v.items) ? v.items : null;
}

/** Parses a request body as an EventList; returns its items or a bounded reason it is malformed. */
export function parseEventList(body: string): unknown[] | 'invalid_json' | 'not_event_list' {
  let v: unknown;
  try { v = JSON.parse(body); } catch { return 'invalid_json'; }
  return eventListItems(v) ?? 'not_event_list';
}

/** Feeds every item to `sink` exactly as a file line would be counted (skips counted by reason). */
export function feedItems(items: readonly unknown[], sink: EventSink): void {
  for (const item of items) {
    const ev = eventFromObject(item);
    if (typeof ev === 'string') sink.skip(ev);
    else sink.event(ev);
  }
}
