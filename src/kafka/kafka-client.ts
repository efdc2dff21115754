import type { Logger } from '../logger.ts'
import { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator.ts'
import type { KafkaConnection, ProducerTuning } from '../config/kafka-client-config.ts'
import { createKafkaClient, type Kafka } from './client.ts'
import { kafkaConnectionOptions, probeTls, withSetupErrors, type KafkaConnectionOptions } from './security.ts'
import { InternalTopicsLog, type LogEntry } from './internal-topics-log.ts'
import { RecordConsumer, type RecordConsumerOptions } from './record-consumer.ts'
import { RecordProducer, type RecordSender } from './record-producer.ts'
import { PlatformaticRecordProducer } from './platformatic-producer.ts'
import { alterGroupOffsets, deleteGroup, fetchGroupOffsets, type GroupOffset } from './group-offsets.ts'
import { createTopicUnlessExists, ensureCompactedTopics, ensureTopic, fetchClusterId, type CompactedTopicSpec, type NewTopicSpec } from './topics.ts'

/**
 * Kafka as the runtime sees it: producers, consumers, the internal topics log and topic administration, in types of
 * this project's own. The client library behind it (kafkajs today) is this folder's business alone, so another one
 * can take its place here without the worker noticing.
 */
export interface KafkaClient {
  /**
   * A producer for one source task or one dead-letter queue: acks=all, batches as given, over the worker's own
   * connection unless `settings` give the task's (`producer.*` keys and the connector's overrides).
   */
  producer(settings?: ProducerSettings): RecordSender
  /** A consumer group member for one sink task, over `connection` (the `consumer.*` keys) or the worker's own. */
  consumer(options: RecordConsumerOptions & { readonly connection?: KafkaConnection }): RecordConsumer
  /** The log over the worker's compacted internal topics, which hands every entry to `onEntry` in order. */
  internalTopicsLog(topics: readonly string[], groupPrefix: string, onEntry: (entry: LogEntry) => void, logger: Logger): InternalTopicsLog
  /** Creates the compacted topics that are missing; leaves existing ones alone. */
  ensureCompactedTopics(specs: readonly CompactedTopicSpec[]): Promise<void>
  /** Creates `topic` with the broker's defaults when it is missing, through an admin on `connection` or the worker's own. */
  ensureTopic(topic: string, replicationFactor: number, connection?: KafkaConnection): Promise<void>
  clusterId(): Promise<string>
  /** Creates a topic with the given partitions, replication and topic configs unless it exists; true when it created it. */
  createTopic(spec: NewTopicSpec): Promise<boolean>
  /** A consumer group's committed offsets (a sink connector's, for KIP-875's endpoints). */
  groupOffsets(groupId: string): Promise<GroupOffset[]>
  /** Commits `offsets` for an empty group. */
  alterGroupOffsets(groupId: string, offsets: readonly GroupOffset[]): Promise<void>
  /** Deletes the group and every offset it committed; one that does not exist is left as it is. */
  deleteGroup(groupId: string): Promise<void>
  /** The group coordinator of the worker's Connect group, over the worker's own connection. */
  groupCoordinator(options: GroupCoordinatorOptions): GroupCoordinator
}

export interface ProducerSettings {
  readonly connection: KafkaConnection
  readonly tuning: ProducerTuning
  /** The prefix the connection's keys were set under (`producer.`, `producer.override.`), for errors naming them. */
  readonly keyPrefix?: string
}

export interface KafkaClusterOptions {
  /** How the worker's own clients connect (internal topics, its admin): the worker's top-level keys. */
  readonly connection: KafkaConnection
  readonly clientId: string
  readonly logger: Logger
  /** The library behind producers (`kafka.producer.client`); kafkajs when absent. */
  readonly producerClient?: 'platformatic' | 'kafkajs'
}

/**
 * The worker's Kafka. kafkajs takes TLS and SASL per client object, so each distinct connection (the worker's own,
 * its producers', a connector's overrides) gets one, created on first use and shared after. Resolves once the
 * worker's own connection's files are read: a missing CA file is a ConfigError naming its key before anything connects.
 */
export const connectKafka = async ({ connection, clientId, logger, producerClient = 'kafkajs' }: KafkaClusterOptions): Promise<KafkaClient> => {
  /** Per distinct connection, created on first use and shared after; a failed one is tried again by the next caller. */
  const cached = <T>(cache: Map<string, Promise<T>>, target: KafkaConnection, create: () => Promise<T>): Promise<T> => {
    const key = JSON.stringify(target)
    let value = cache.get(key)
    if (value === undefined) {
      value = create()
      // A failed read (a file not there yet) is tried again by the next task that needs it.
      value.catch(() => cache.delete(key))
      cache.set(key, value)
    }
    return value
  }
  const options = new Map<string, Promise<KafkaConnectionOptions>>()
  const optionsFor = (target: KafkaConnection): Promise<KafkaConnectionOptions> =>
    cached(options, target, async () => {
      const resolved = await kafkaConnectionOptions(target)
      if (typeof resolved.ssl === 'object') await probeTls(resolved.brokers as string[], resolved.ssl)
      return resolved
    })
  const clients = new Map<string, Promise<Kafka>>()
  const kafkaFor = (target: KafkaConnection): Promise<Kafka> =>
    cached(clients, target, async () => {
      const { brokers, ssl, sasl } = await optionsFor(target)
      return createKafkaClient({ bootstrapServers: brokers as string[], clientId, logger, security: { ssl, sasl } })
    })
  const kafka = await withSetupErrors(() => kafkaFor(connection))
  const producer = (settings?: ProducerSettings): RecordSender => {
    if (producerClient === 'platformatic') {
      return new PlatformaticRecordProducer(() => optionsFor(settings?.connection ?? connection), clientId, settings?.tuning, settings === undefined ? '' : (settings.keyPrefix ?? 'producer.'))
    }
    return settings === undefined ? new RecordProducer(kafka, undefined, '') : new RecordProducer(() => kafkaFor(settings.connection), settings.tuning, settings.keyPrefix)
  }
  return {
    producer,
    consumer: ({ connection: own, ...consumerOptions }) =>
      own === undefined ? new RecordConsumer(kafka, { keyPrefix: '', ...consumerOptions }) : new RecordConsumer(() => kafkaFor(own), consumerOptions),
    internalTopicsLog: (topics, groupPrefix, onEntry, logger) => new InternalTopicsLog(kafka, topics, groupPrefix, onEntry, logger),
    ensureCompactedTopics: (specs) => withSetupErrors(() => ensureCompactedTopics(kafka, specs)),
    ensureTopic: async (topic, replicationFactor, own) =>
      own === undefined
        ? withSetupErrors(() => ensureTopic(kafka, topic, replicationFactor))
        : withSetupErrors(async () => ensureTopic(await kafkaFor(own), topic, replicationFactor), 'admin.'),
    clusterId: () => withSetupErrors(() => fetchClusterId(kafka)),
    createTopic: (spec) => createTopicUnlessExists(kafka, spec),
    groupOffsets: (groupId) => fetchGroupOffsets(kafka, groupId),
    alterGroupOffsets: (groupId, offsets) => alterGroupOffsets(kafka, groupId, offsets),
    deleteGroup: (groupId) => deleteGroup(kafka, groupId),
    groupCoordinator: (options) => new GroupCoordinator(kafka, options),
  }
}

export type { GroupOffset, LogEntry, NewTopicSpec, RecordConsumerOptions }
