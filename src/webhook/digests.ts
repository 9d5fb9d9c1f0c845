/** The last N batch digests, so a batch the API server retries after a lost 200 counts once. */

/** A bounded, insertion-ordered set of hex digests; serialisable into the checkpoint. */
export class DigestRing {
  private readonly order: string[] = [];
  private readonly set = new Set<string>();

  constructor(private readonly capacity: number, initial: readonly string[] = []) {
    this.replace(initial);
  }

  /** Replaces the content with `list` (oldest first), keeping the newest `capacity`. */
  replace(list: readonly string[]): void {
    this.order.length = 0;
    this.set.clear();
    for (const d of list.slice(-this.capacity)) this.add(d);
  }

  /** True when `digest` is among the last `capacity` batches. */
  has(digest: string): boolean { return this.set.has(digest); }

  /** Remembers `digest`, forgetting the oldest beyond capacity. */
  add(digest: string): void {
    if (this.set.has(digest)) return;
    this.order.push(digest);
    this.set.add(digest);
    while (this.order.length > this.capacity) this.set.delete(this.order.shift() as string);
  }

  /** The digests, oldest first. */
  list(): string[] { return [...this.order]; }

  /** How many digests are held. */
  get size(): number { return this.order.length; }
}
