import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BoundedBuffer } from '../../../connectors/mqtt/bounded-buffer.ts'

const never = new AbortController().signal

describe('BoundedBuffer', () => {
  it('drains in arrival order, at most max items at a time', async () => {
    const buffer = new BoundedBuffer<number>(10)
    for (let i = 0; i < 5; i++) buffer.push(i)
    assert.deepEqual(await buffer.drain(3, 0, never), [0, 1, 2])
    assert.deepEqual(await buffer.drain(3, 0, never), [3, 4])
  })

  it('makes the producer wait when full and lets it go once drained', async () => {
    const buffer = new BoundedBuffer<number>(2)
    buffer.push(1)
    buffer.push(2)
    assert.equal(buffer.hasRoom(), false)
    let released = false
    const waiting = buffer.whenRoom().then(() => (released = true))
    await Promise.resolve()
    assert.equal(released, false)
    await buffer.drain(1, 0, never)
    await waiting
    assert.equal(released, true)
  })

  it('wakes a waiting drain as soon as an item arrives', async () => {
    const buffer = new BoundedBuffer<string>(2)
    const draining = buffer.drain(5, 60_000, never)
    buffer.push('first')
    assert.deepEqual(await draining, ['first'])
  })

  it('returns nothing promptly once the signal aborts', async () => {
    const buffer = new BoundedBuffer<string>(2)
    const stop = new AbortController()
    const draining = buffer.drain(5, 60_000, stop.signal)
    stop.abort()
    assert.deepEqual(await draining, [])
  })

  it('keeps order across many pushes and drains (compaction does not reorder)', async () => {
    const buffer = new BoundedBuffer<number>(100_000)
    const seen: number[] = []
    for (let i = 0; i < 20_000; i++) {
      buffer.push(i)
      if (i % 7 === 0) seen.push(...(await buffer.drain(5, 0, never)))
    }
    while (buffer.size > 0) seen.push(...(await buffer.drain(1_000, 0, never)))
    assert.deepEqual(seen, Array.from({ length: 20_000 }, (_, i) => i))
  })
})
