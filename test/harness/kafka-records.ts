import { randomUUID } from 'node:crypto'
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs'
import { retry } from '../../src/plugin/retry.ts'
import { kafkaBootstrapServers } from './kafka.ts'

export interface ConsumedRecord {
  readonly partition: number
  readonly offset: string
  readonly key: string | null
  readonly value: Buffer | null
  readonly headers: Readonly<Record<string, string>>
}

/**
 * Reads `topic` from the beginning with a real Kafka consumer until `done(records)` says enough or `timeoutMs`
 * passes; returns what it read either way, so a failing assertion shows what arrived.
 */
export const readTopic = async (
  topic: string,
  done: (records: readonly ConsumedRecord[]) => boolean,
  timeoutMs = 60_000,
): Promise<ConsumedRecord[]> => {
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'test-reader', logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` })
  const records: ConsumedRecord[] = []
  // Subscribing to a topic that does not exist yet fails; the connector may not have written its first record.
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }).finally(() => admin.disconnect())
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) records.push(toRecord(batch.partition, message))
          if (done(records)) {
            clearTimeout(timer)
            resolve()
          }
        },
      })
    })
  } finally {
    await consumer.disconnect()
  }
  return records
}

const toRecord = (partition: number, message: KafkaMessage): ConsumedRecord => {
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.map(String).join(',') : value.toString()
  }
  return { partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers }
}

/**
 * Creates a one-partition topic named `<prefix>-<random>` holding the values `seq=0` … `seq=<count-1>` in order,
 * written with acks=all, and returns its name: the backlog a sink test drains.
 */
export const createSequenceTopic = async (prefix: string, count: number, perRequest = 5_000): Promise<string> => {
  const topic = `${prefix}-${randomUUID().slice(0, 8)}`
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'test-sequence-writer', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] }).finally(() => admin.disconnect())
  const producer = kafka.producer()
  await producer.connect()
  try {
    for (let start = 0; start < count; start += perRequest) {
      const size = Math.min(perRequest, count - start)
      const messages = Array.from({ length: size }, (_, i) => ({ value: `seq=${start + i}` }))
      // A client of its own may not know the new topic's leader yet: "does not host this topic-partition" is retriable.
      await retry(() => producer.send({ topic, acks: -1, messages }), { backoff: { initialMs: 100, maxMs: 1_000 }, timeoutMs: 30_000 })
    }
  } finally {
    await producer.disconnect()
  }
  return topic
}
