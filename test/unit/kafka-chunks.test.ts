import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { chunksWithin, type SerializedRecord } from '../../src/kafka/record-producer.ts'

const record = (valueBytes: number, n: number): SerializedRecord => ({
  topic: 't',
  partition: null,
  key: Buffer.from(`k${n}`),
  value: Buffer.alloc(valueBytes),
  timestamp: null,
  headers: [['mqtt.topic', Buffer.from('sensors/a')]],
})

describe('splitting a poll into produce requests the broker accepts', () => {
  it('keeps a small batch in one request', () => {
    assert.equal(chunksWithin([record(100, 0), record(100, 1)], 900 * 1024).length, 1)
  })

  it('splits 4,096 records of 300 bytes under 900 KiB per request, in order', () => {
    const records = Array.from({ length: 4_096 }, (_, n) => record(300, n))
    const chunks = chunksWithin(records, 900 * 1024)
    assert.ok(chunks.length >= 2)
    for (const chunk of chunks) {
      assert.ok(chunk.reduce((sum, { value }) => sum + value!.length, 0) < 900 * 1024)
    }
    assert.deepEqual(chunks.flat(), records)
  })

  it('sends a record larger than the limit on its own rather than dropping it', () => {
    const chunks = chunksWithin([record(10, 0), record(2_000_000, 1), record(10, 2)], 900 * 1024)
    assert.deepEqual(chunks.map((chunk) => chunk.length), [1, 1, 1])
  })
})
