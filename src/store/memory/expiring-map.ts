/**
 * A Map whose entries carry an expiry, with a cap on its size. Keyward keeps ephemeral state
 * in process memory only on a single-process deployment (the SQLite default), so nothing here
 * is shared; the cap keeps a flood of started-and-abandoned ceremonies from growing the heap
 * without bound (the oldest entries go first, as they would expire first).
 */
export class ExpiringMap<V extends { expiresAt: number }> {
  readonly #entries = new Map<string, V>();

  constructor(
    private readonly now: () => number,
    private readonly limit: number,
  ) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#dropExpiredOldest();
    if (this.#entries.size >= this.limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Deletes every expired entry; returns how many. */
  deleteExpired(now: number): number {
    let deleted = 0;
    for (const [key, value] of this.#entries) {
      if (value.expiresAt <= now) {
        this.#entries.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  // Insertion order is nearly expiry order: trimming the expired head keeps the map near its
  // live size at O(1) per insert, without a timer.
  #dropExpiredOldest(): void {
    const now = this.now();
    for (const [key, value] of this.#entries) {
      if (value.expiresAt > now) return;
      this.#entries.delete(key);
    }
  }
}
