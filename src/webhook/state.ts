/** The webhook section of the checkpoint: recent batch digests and the input's counters. */
import type { StateProvider } from '../tail/types.js';
import { DigestRing } from './digests.js';

/** Serialised form (`state.webhook` in the checkpoint). */
export interface WebhookStateJson {
  version: 1;
  digests: string[];
  events: number;
  duplicates: number;
}

/** Counter values restored from a checkpoint. */
export interface WebhookCounts { events: number; duplicates: number }

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const HEX64 = /^[0-9a-f]{64}$/;

/** Holds the digest ring and takes counter values from `counts()` for snapshots. */
export class WebhookState implements StateProvider {
  readonly digests: DigestRing;

  constructor(
    capacity: number,
    private readonly counts: () => WebhookCounts,
    private readonly restored: (c: WebhookCounts) => void,
  ) {
    this.digests = new DigestRing(capacity);
  }

  /** The section as stored in the checkpoint (taken synchronously). */
  snapshot(): WebhookStateJson {
    const c = this.counts();
    return { version: 1, digests: this.digests.list(), events: c.events, duplicates: c.duplicates };
  }

  /** Restores digests and counters; throws on a section this version did not write. */
  restore(state: unknown): void {
    const o = state as Partial<WebhookStateJson> | null;
    if (!o || o.version !== 1 || !Array.isArray(o.digests)) throw new Error('unsupported webhook state');
    this.digests.replace(o.digests.filter((d): d is string => typeof d === 'string' && HEX64.test(d)));
    this.restored({ events: num(o.events), duplicates: num(o.duplicates) });
  }
}
