import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Partitioners } from 'kafkajs'
import { partitionForKey } from '../../../src/kafka/murmur2.ts'

describe('murmur2 partitioning', () => {
  // Values from Kafka's own UtilsTest.testMurmur2 (bytes → hash as a signed 32-bit int).
  it('gives Kafka’s hashes for Kafka’s test vectors', async () => {
    const { murmur2 } = await import('../../../src/kafka/murmur2.ts')
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ]
    for (const [text, expected] of vectors) assert.equal(murmur2(Buffer.from(text)), expected, text)
  })

  it('picks the partition kafkajs’s Java-compatible partitioner picks, for every key length', () => {
    const kafkajs = Partitioners.DefaultPartitioner()
    for (const partitions of [1, 3, 12, 100]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }))
      for (let length = 0; length < 40; length++) {
        const key = Buffer.from(`devices/${'x'.repeat(length)}`.slice(0, length + 1))
        const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } })
        assert.equal(partitionForKey(key, partitions), expected, `${key.toString()} over ${partitions}`)
      }
    }
  })
})
