/**
 * A first-in-first-out list with O(1) removal of the oldest item and O(1) access by position, used to keep the
 * retained entries of a capture in index order while evicting the oldest ones.
 */
export class RetainedQueue<T> {
  #items: Array<T | undefined> = [];
  #head = 0;

  /** Number of items retained. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Appends an item (the newest). */
  push(item: T): void {
    this.#items.push(item);
  }

  /** The item at `position` (0 = oldest retained), or undefined. */
  at(position: number): T | undefined {
    if (!Number.isInteger(position) || position < 0 || position >= this.size) return undefined;
    return this.#items[this.#head + position];
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** The first of the newest `limit` items, newest first, for which `test` is true; undefined when none is. */
  findNewest(limit: number, test: (item: T) => boolean): T | undefined {
    const stop = Math.max(this.#head, this.#items.length - limit);
    for (let i = this.#items.length - 1; i >= stop; i--) {
      const item = this.#items[i];
      if (item !== undefined && test(item)) return item;
    }
    return undefined;
  }

  /** The retained items mapped by `fn`, oldest first (a new array). */
  map<U>(fn: (item: T) => U): U[] {
    const list = new Array<U>(this.size);
    for (let i = this.#head, j = 0; i < this.#items.length; i++, j++) list[j] = fn(this.#items[i] as T);
    return list;
  }

  /** The retained items, oldest first (a copy). */
  toArray(): T[] {
    const list: T[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i];
      if (item !== undefined) list.push(item);
    }
    return list;
  }

  /** Removes every item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
