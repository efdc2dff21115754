import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { OffsetStore } from '../../../src/storage/offset-store.ts'

describe("OffsetStore, in Kafka Connect's offsets topic layout", () => {
  it('writes ["<connector>", {partition}] keys and JSON offset values', async () => {
    const written: { key: string; value: string | null }[] = []
    const store = new OffsetStore('connect-offsets', { write: async (_topic, entries) => void written.push(...entries) })
    await store.commit('sensors', [{ partition: { 'mqtt.client.id': 'sensors-0' }, offset: { n: 5 } }])
    assert.deepEqual(written, [{ key: '["sensors",{"mqtt.client.id":"sensors-0"}]', value: '{"n":5}' }])
  })

  it('reads offsets Kafka Connect wrote, and drops one on a null value', () => {
    const store = new OffsetStore('connect-offsets', { write: async () => {} })
    const key = '["file-source",{"filename":"/tmp/a.txt"}]'
    store.apply({ topic: 'connect-offsets', key, value: Buffer.from('{"position":42}') })
    assert.deepEqual(store.offsetsOf('file-source'), [{ partition: { filename: '/tmp/a.txt' }, offset: { position: 42 } }])
    assert.deepEqual(store.offsetOf('file-source', { filename: '/tmp/a.txt' }), { position: 42 })
    store.apply({ topic: 'connect-offsets', key, value: null })
    assert.deepEqual(store.offsetsOf('file-source'), [])
  })
})
