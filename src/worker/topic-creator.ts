import { groupFor, type TopicCreationGroup } from '../config/topic-creation-config.ts'
import type { KafkaClient } from '../kafka/kafka-client.ts'
import type { Logger } from '../logger.ts'

/** What a source runner asks before each send: that every topic the batch writes to exists. */
export interface TopicPreparer {
  prepare(records: readonly { readonly topic: string }[]): Promise<void>
}

/**
 * Creates the topics a source task writes to the first time it writes to each, with the settings of the first
 * `topic.creation` group that takes the topic (KIP-158), as Kafka Connect's WorkerSourceTask does. A topic that
 * already exists is left as it is. Each topic is looked into once per task: later batches cost a set lookup.
 */
export class TopicCreator implements TopicPreparer {
  private readonly known = new Set<string>()
  private lastTopic: string | null = null

  constructor(
    private readonly groups: readonly TopicCreationGroup[],
    private readonly kafka: Pick<KafkaClient, 'createTopic'>,
    private readonly logger: Logger,
  ) {}

  async prepare(records: readonly { readonly topic: string }[]): Promise<void> {
    for (const { topic } of records) {
      // A source usually writes one topic batch after batch: the common case costs one comparison.
      if (topic === this.lastTopic) continue
      if (!this.known.has(topic)) {
        await this.create(topic)
        this.known.add(topic)
      }
      this.lastTopic = topic
    }
  }

  private async create(topic: string): Promise<void> {
    const group = groupFor(this.groups, topic)
    const created = await this.kafka.createTopic({ topic, partitions: group.partitions, replicationFactor: group.replicationFactor, configs: group.topicConfigs })
    if (created) {
      this.logger.info('created topic', { topic, group: group.name, partitions: group.partitions, replicationFactor: group.replicationFactor, configs: group.topicConfigs })
    }
  }
}
