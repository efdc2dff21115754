import type { BenchKafka } from './kafka-io.ts'
import { payloadFor } from './payload.ts'

/**
 * Produces `messages` records to `topic` with kafkajs, acks=all, one batch in flight (as the producer ceiling batches
 * them); each value is `payloadFor(seq)` stamped with its batch's send time. Resolves to the time it took.
 */
export const preProduce = async (kafka: BenchKafka, topic: string, messages: number, payloadBytes: number): Promise<number> => {
  const batchSize = Math.min(4_096, Math.floor(900_000 / (payloadBytes + 64)))
  const producer = kafka.producer()
  await producer.connect()
  const started = performance.now()
  try {
    for (let start = 0; start < messages; start += batchSize) {
      const now = Date.now()
      const batch = []
      for (let seq = start; seq < Math.min(messages, start + batchSize); seq++) batch.push({ value: payloadFor(seq, payloadBytes, now) })
      await producer.send({ topic, acks: -1, messages: batch })
    }
  } finally {
    await producer.disconnect()
  }
  return Math.round(performance.now() - started)
}
