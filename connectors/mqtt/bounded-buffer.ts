/**
 * A FIFO with a capacity, between a producer that must be slowed down (the MQTT client) and a consumer that drains
 * at its own pace (the task's poll). `whenRoom()` is how the producer waits; nothing is ever dropped.
 */
export class BoundedBuffer<T> {
  private items: T[] = []
  private head = 0
  private roomWaiters: (() => void)[] = []
  private itemWaiter: (() => void) | null = null

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head
  }

  hasRoom(): boolean {
    return this.size < this.capacity
  }

  /** Adds an item even when full: callers check `hasRoom()` first and wait before taking the next one. */
  push(item: T): void {
    this.items.push(item)
    const waiter = this.itemWaiter
    this.itemWaiter = null
    waiter?.()
  }

  /** Resolves once the buffer holds fewer than `capacity` items. */
  whenRoom(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve()
    return new Promise((resolve) => this.roomWaiters.push(resolve))
  }

  /** Takes up to `max` items, waiting at most `timeoutMs` for the first one; returns early when `signal` aborts. */
  async drain(max: number, timeoutMs: number, signal: AbortSignal): Promise<T[]> {
    if (this.size === 0 && !signal.aborted) await this.untilItem(timeoutMs, signal)
    const count = Math.min(max, this.size)
    const taken = this.items.slice(this.head, this.head + count)
    this.head += count
    // Compact lazily so that draining is O(batch), not O(buffer).
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    if (count > 0) this.wakeRoomWaiters()
    return taken
  }

  /** Empties the buffer, returning what it held: used when the task stops with records never polled. */
  clear(): T[] {
    const rest = this.items.slice(this.head)
    this.items = []
    this.head = 0
    this.wakeRoomWaiters()
    return rest
  }

  private untilItem(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', finish)
        if (this.itemWaiter === finish) this.itemWaiter = null
        resolve()
      }
      const timer = setTimeout(finish, timeoutMs)
      signal.addEventListener('abort', finish, { once: true })
      this.itemWaiter = finish
    })
  }

  private wakeRoomWaiters(): void {
    while (this.roomWaiters.length > 0 && this.hasRoom()) this.roomWaiters.shift()!()
  }
}
