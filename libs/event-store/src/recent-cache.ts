/**
 * A bounded cache of what was used lately, in two generations: entries are set into the current
 * one; when it is full it becomes the previous one (the one before is dropped), and a hit in the
 * previous one moves the entry back into the current. Every operation is O(1): a Map used as an
 * LRU queue (delete and re-insert, evict its first key) makes V8 skip ever more deleted slots to
 * find that first key, which showed on the create path. Holds between capacity/2 and capacity.
 */
export class RecentCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  private readonly half: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`RecentCache capacity must be an integer of at least 2, got ${capacity}`);
    this.half = Math.floor(capacity / 2);
  }

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined || !this.previous.has(key)) return value;
    const kept = this.previous.get(key)!;
    this.previous.delete(key);
    this.put(key, kept);
    return kept;
  }

  has(key: K): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: K, value: V): void {
    this.previous.delete(key);
    this.put(key, value);
  }

  delete(key: K): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  /** Every entry, without refreshing any. */
  *entries(): IterableIterator<[K, V]> {
    yield* this.previous;
    yield* this.current;
  }

  private put(key: K, value: V): void {
    if (!this.current.has(key) && this.current.size >= this.half) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}
