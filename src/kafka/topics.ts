import { retryWhileRetriable } from './retry.ts'
import type { Kafka } from 'kafkajs'
import { asConnectError } from './record-producer.ts'

export interface CompactedTopicSpec {
  readonly topic: string
  readonly partitions: number
  /** -1 lets the broker apply its `default.replication.factor`. */
  readonly replicationFactor: number
}

/**
 * Creates the worker's internal topics when they are missing, compacted as Kafka Connect creates them. Topics that
 * already exist are left as they are.
 */
export const ensureCompactedTopics = async (kafka: Kafka, specs: readonly CompactedTopicSpec[]): Promise<void> => {
  const admin = kafka.admin()
  await admin.connect()
  try {
    // Listed again on each attempt: a broker that has just started can answer that it does not host a partition of a
    // topic it is still creating, and the retry then finds the topic there.
    await retryWhileRetriable(async () => {
      const existing = new Set(await admin.listTopics())
      const missing = specs.filter(({ topic }) => !existing.has(topic))
      if (missing.length === 0) return
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ topic, partitions, replicationFactor }) => ({
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        })),
      })
    })
  } finally {
    await admin.disconnect()
  }
}

/** Creates a plain (deleting) topic unless it exists, such as a dead-letter topic. */
export const ensureTopic = async (kafka: Kafka, topic: string, replicationFactor: number): Promise<void> => {
  const admin = kafka.admin()
  await admin.connect()
  try {
    if ((await admin.listTopics()).includes(topic)) return
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, replicationFactor }] })
  } finally {
    await admin.disconnect()
  }
}

/** Kafka's cluster id, which `GET /` reports as `kafka_cluster_id`. */
export const fetchClusterId = async (kafka: Kafka): Promise<string> => {
  const admin = kafka.admin()
  await admin.connect()
  try {
    return (await admin.describeCluster()).clusterId
  } finally {
    await admin.disconnect()
  }
}

/** A topic as a source connector's topic creation group says to create it (KIP-158). */
export interface NewTopicSpec {
  readonly topic: string
  /** -1 lets the broker apply its `num.partitions`. */
  readonly partitions: number
  /** -1 lets the broker apply its `default.replication.factor`. */
  readonly replicationFactor: number
  readonly configs: Readonly<Record<string, string>>
}

/** Creates the topic unless it exists, as Kafka Connect's TopicAdmin.createOrFindTopics; resolves to whether it created it. */
export const createTopicUnlessExists = async (kafka: Kafka, { topic, partitions, replicationFactor, configs }: NewTopicSpec): Promise<boolean> => {
  const admin = kafka.admin()
  await admin.connect()
  try {
    // kafkajs answers false, not an error, for a topic that already exists.
    return await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    })
  } catch (error) {
    // Retriable (a broker away) or not (a bad topic config), as the client judged it: no kafkajs error leaves this folder.
    throw asConnectError(error)
  } finally {
    await admin.disconnect()
  }
}
