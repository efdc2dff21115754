import type { Logger } from '../logger.ts'
import { createKafkaClient, type KafkaClientOptions } from './client.ts'
import { InternalTopicsLog, type LogEntry } from './internal-topics-log.ts'
import { RecordConsumer, type RecordConsumerOptions } from './record-consumer.ts'
import { RecordProducer } from './record-producer.ts'
import { ensureCompactedTopics, ensureTopic, fetchClusterId, type CompactedTopicSpec } from './topics.ts'

/**
 * Kafka as the runtime sees it: producers, consumers, the internal topics log and topic administration, in types of
 * this project's own. The client library behind it (kafkajs today) is this folder's business alone, so another one
 * can take its place here without the worker noticing.
 */
export interface KafkaClient {
  /** A producer for one source task or one dead-letter queue: acks=all, batches as given. */
  producer(): RecordProducer
  /** A consumer group member for one sink task. */
  consumer(options: RecordConsumerOptions): RecordConsumer
  /** The log over the worker's compacted internal topics, which hands every entry to `onEntry` in order. */
  internalTopicsLog(topics: readonly string[], groupPrefix: string, onEntry: (entry: LogEntry) => void, logger: Logger): InternalTopicsLog
  /** Creates the compacted topics that are missing; leaves existing ones alone. */
  ensureCompactedTopics(specs: readonly CompactedTopicSpec[]): Promise<void>
  /** Creates `topic` with the broker's defaults when it is missing. */
  ensureTopic(topic: string, replicationFactor: number): Promise<void>
  clusterId(): Promise<string>
}

export const connectKafka = (options: KafkaClientOptions): KafkaClient => {
  const kafka = createKafkaClient(options)
  return {
    producer: () => new RecordProducer(kafka),
    consumer: (consumerOptions) => new RecordConsumer(kafka, consumerOptions),
    internalTopicsLog: (topics, groupPrefix, onEntry, logger) => new InternalTopicsLog(kafka, topics, groupPrefix, onEntry, logger),
    ensureCompactedTopics: (specs) => ensureCompactedTopics(kafka, specs),
    ensureTopic: (topic, replicationFactor) => ensureTopic(kafka, topic, replicationFactor),
    clusterId: () => fetchClusterId(kafka),
  }
}

export type { LogEntry, RecordConsumerOptions }
