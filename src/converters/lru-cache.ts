/** A bounded map that forgets the least recently used entry first, as Kafka's `LRUCache` used by JsonConverter. */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>()

  constructor(readonly maxSize: number) {}

  get size(): number {
    return this.#entries.size
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      // Map keeps insertion order, so re-inserting marks the entry as the most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  set(key: K, value: V): void {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    while (this.#entries.size > this.maxSize) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) break
      this.#entries.delete(oldest.value)
    }
  }
}
