/** A set of string keys that forgets its oldest keys beyond a limit, so remembering stays bounded in memory. */
export class BoundedKeySet {
  readonly #keys = new Set<string>();

  readonly #limit: number;
  /** @param limit most keys kept (default 10,000). */
  constructor(limit: number = 10_000) {
    this.#limit = limit;
  }

  /** Adds a key (refreshing its age), forgetting the oldest keys beyond the limit. */
  add(key: string): void {
    this.#keys.delete(key);
    this.#keys.add(key);
    while (this.#keys.size > this.#limit) {
      const oldest = this.#keys.values().next();
      if (oldest.done === true) break;
      this.#keys.delete(oldest.value);
    }
  }

  /** True when the key is remembered. */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.#keys.clear();
  }
}
