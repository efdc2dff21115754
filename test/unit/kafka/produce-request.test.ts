import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { crc32c, produceV11, readRecordsBatch, Reader } from '@platformatic/kafka'
import { encodeProduceRequest, type ProduceMessage } from '../../../src/kafka/produce-request.ts'

interface DecodedPartition {
  readonly topic: string
  readonly partition: number
  readonly batch: ReturnType<typeof readRecordsBatch>
  readonly crcOk: boolean
}

/** Reads a Produce v9–v11 request body back with the client's own record-batch reader. */
const decode = (body: Buffer): { acks: number; timeout: number; partitions: DecodedPartition[] } => {
  const reader = Reader.from(body)
  assert.equal(reader.readUnsignedVarInt(), 0, 'transactional_id is null')
  const acks = reader.readInt16()
  const timeout = reader.readInt32()
  const partitions: DecodedPartition[] = []
  const topicCount = reader.readUnsignedVarInt() - 1
  for (let t = 0; t < topicCount; t++) {
    const topic = reader.readString()
    const partitionCount = reader.readUnsignedVarInt() - 1
    for (let p = 0; p < partitionCount; p++) {
      const partition = reader.readInt32()
      const length = reader.readUnsignedVarInt() - 1
      const start = reader.position
      const bytes = body.subarray(start, start + length)
      const batch = readRecordsBatch(reader)
      assert.equal(reader.position, start + length, 'the batch fills exactly its declared length')
      partitions.push({ topic, partition, batch, crcOk: crc32c(bytes.subarray(21)) === bytes.readUInt32BE(17) })
      assert.equal(reader.readUnsignedVarInt(), 0, 'partition tagged fields')
    }
    assert.equal(reader.readUnsignedVarInt(), 0, 'topic tagged fields')
  }
  assert.equal(reader.readUnsignedVarInt(), 0, 'request tagged fields')
  assert.equal(reader.remaining, 0, 'nothing after the request')
  return { acks, timeout, partitions }
}

const message = (topic: string, partition: number, value: string, extra: Partial<ProduceMessage> = {}): ProduceMessage => ({
  topic,
  partition,
  key: Buffer.from(`key-${value}`),
  value: Buffer.from(value),
  headers: new Map([[Buffer.from('mqtt.topic'), Buffer.from(`devices/${value}`)]]),
  timestamp: 1_764_000_000_000n,
  ...extra,
})

describe('encodeProduceRequest', () => {
  it('groups records by topic and partition, in order, with valid CRCs', () => {
    const messages = [message('a', 0, 'one'), message('a', 1, 'two'), message('b', 0, 'three'), message('a', 0, 'four')]
    const { acks, timeout, partitions } = decode(encodeProduceRequest(-1, 30_000, messages))
    assert.equal(acks, -1)
    assert.equal(timeout, 30_000)
    const summary = partitions.map(({ topic, partition, batch, crcOk }) => ({
      topic,
      partition,
      crcOk,
      values: batch.records.map((record) => record.value.toString()),
    }))
    assert.deepEqual(summary, [
      { topic: 'a', partition: 0, crcOk: true, values: ['one', 'four'] },
      { topic: 'a', partition: 1, crcOk: true, values: ['two'] },
      { topic: 'b', partition: 0, crcOk: true, values: ['three'] },
    ])
  })

  it('writes keys, headers, timestamps and offsets as the client reads them', () => {
    const messages = [
      message('t', 3, 'first', { timestamp: 1_764_000_000_000n }),
      message('t', 3, 'second', { timestamp: 1_764_000_000_250n, key: null }),
      message('t', 3, 'third', { timestamp: 1_763_999_999_000n, headers: new Map() }),
    ]
    const [decoded] = decode(encodeProduceRequest(1, 5_000, messages)).partitions
    assert.ok(decoded !== undefined)
    const { batch } = decoded
    assert.equal(batch.magic, 2)
    assert.equal(batch.attributes, 0)
    assert.equal(batch.lastOffsetDelta, 2)
    assert.equal(batch.firstTimestamp, 1_764_000_000_000n)
    assert.equal(batch.maxTimestamp, 1_764_000_000_250n)
    assert.equal(batch.producerId, -1n)
    assert.equal(batch.firstSequence, -1)
    assert.deepEqual(
      batch.records.map((record) => [record.offsetDelta, record.timestampDelta, record.key?.toString() ?? null, record.headers.length]),
      [
        [0, 0n, 'key-first', 1],
        [1, 250n, '', 1], // the client's reader reads a null key as empty: the next test tells them apart
        [2, -1000n, 'key-third', 0],
      ],
    )
    assert.deepEqual(
      batch.records[0]?.headers.map(([name, value]) => [name.toString(), value.toString()]),
      [['mqtt.topic', 'devices/first']],
    )
  })

  it('writes a null key as length -1, apart from an empty one', () => {
    const withKey = (key: Buffer | null) => encodeProduceRequest(-1, 30_000, [message('t', 0, 'v', { key, headers: new Map() })])
    const nullKey = withKey(null)
    const emptyKey = withKey(Buffer.alloc(0))
    // From the end: 3 tagged-field bytes, the header count, 'v', the value's length, then the key's length.
    const keyLength = nullKey.length - 7
    assert.equal(nullKey.length, emptyKey.length)
    assert.equal(nullKey[keyLength], 0x01, 'zig-zag -1')
    assert.equal(emptyKey[keyLength], 0x00, 'zig-zag 0')
    assert.deepEqual(nullKey.subarray(keyLength + 1), emptyKey.subarray(keyLength + 1))
  })

  it('sizes multi-byte varints right: long values and many records', () => {
    const long = 'x'.repeat(70_000)
    const messages = Array.from({ length: 300 }, (_, index) => message('big', 0, index === 7 ? long : `v${index}`))
    const [decoded] = decode(encodeProduceRequest(-1, 30_000, messages)).partitions
    assert.equal(decoded?.batch.records.length, 300)
    assert.equal(decoded?.batch.records[7]?.value.length, 70_000)
    assert.equal(decoded?.batch.records[299]?.offsetDelta, 299)
    assert.equal(decoded?.crcOk, true)
  })

  it('is the request the client would send, but for the header fields a Java producer writes', () => {
    // The client writes producerEpoch 0, baseSequence 0 and partitionLeaderEpoch 0 where the Java producer writes -1;
    // everything else, record bytes included, must match byte for byte.
    const messages = [message('a', 0, 'one'), message('a', 0, 'two')]
    const ours = encodeProduceRequest(-1, 30_000, messages)
    const theirs = produceV11.createRequest(-1, 30_000, messages.map((m) => ({ ...m, headers: new Map(m.headers) })) as never).buffer
    assert.equal(ours.length, theirs.length)
    const batchStart = ours.indexOf(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]))
    const masked = (request: Buffer): Buffer => {
      const copy = Buffer.from(request)
      for (const [offset, width] of [
        [12, 4], // partitionLeaderEpoch
        [17, 4], // CRC (covers the fields that differ)
        [51, 2], // producerEpoch
        [53, 4], // baseSequence
      ] as const) {
        copy.fill(0, batchStart + offset, batchStart + offset + width)
      }
      return copy
    }
    assert.deepEqual(masked(ours), masked(theirs))
  })
})
