/** Entries of one group share a cap of their own within the map's (see ExpiringMap). */
export interface Grouping<V> {
  /** The group an entry belongs to, e.g. the user answerable for it. */
  of: (value: V) => string;
  /** The most entries one group keeps; past it that group's oldest goes, no one else's. */
  limit: number;
}

/**
 * A Map whose entries carry an expiry, with a cap on its size. Keyward keeps ephemeral state
 * in process memory only on a single-process deployment (the SQLite default), so nothing here
 * is shared; the cap keeps a flood of started-and-abandoned ceremonies from growing the heap
 * without bound (the oldest entries go first, as they would expire first). With a `grouping`,
 * each group also has a cap, so one group's flood pushes out its own entries first.
 */
export class ExpiringMap<V extends { expiresAt: number }> {
  readonly #entries = new Map<string, V>();
  // Each group's keys in insertion order: its oldest first.
  readonly #groups = new Map<string, Set<string>>();

  constructor(
    private readonly now: () => number,
    private readonly limit: number,
    private readonly grouping?: Grouping<V>,
  ) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.#dropExpiredOldest();
    if (this.grouping) {
      const group = this.#groups.get(this.grouping.of(value));
      if (group && group.size >= this.grouping.limit) this.delete(group.values().next().value!);
    }
    if (this.#entries.size >= this.limit) this.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
    if (this.grouping) {
      const name = this.grouping.of(value);
      const group = this.#groups.get(name) ?? new Set<string>();
      group.add(key);
      this.#groups.set(name, group);
    }
  }

  delete(key: string): boolean {
    const value = this.#entries.get(key);
    if (value === undefined) return false;
    this.#entries.delete(key);
    if (this.grouping) {
      const name = this.grouping.of(value);
      const group = this.#groups.get(name);
      group?.delete(key);
      if (group?.size === 0) this.#groups.delete(name);
    }
    return true;
  }

  /** Deletes every expired entry; returns how many. */
  deleteExpired(now: number): number {
    let deleted = 0;
    for (const [key, value] of this.#entries) {
      if (value.expiresAt <= now) {
        this.delete(key);
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
      this.delete(key);
    }
  }
}
