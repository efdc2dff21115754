import type { Logger } from '../logger.ts'
import type { StatusStore } from '../storage/status-store.ts'

/** What a task runner tells about the topics its task uses. */
export interface ActiveTopics {
  /** The task wrote to (source) or read from (sink) `topic`: cheap enough to call per record. */
  used(topic: string): void
}

/** Tracks nothing: topic.tracking.enable=false, or a test. */
export const NO_ACTIVE_TOPICS: ActiveTopics = Object.freeze({ used: () => {} })

/**
 * Records each topic a task uses in the status topic the first time, as Kafka Connect's WorkerTask.recordActiveTopic
 * (KIP-558): once the status topic has the topic for this connector, nothing more is written, until a reset removes
 * it. The write happens in the background; the records never wait for it.
 */
export class ActiveTopicRecorder implements ActiveTopics {
  private lastTopic: string | null = null
  private seenRemovals = -1
  private readonly writing = new Set<string>()

  constructor(
    private readonly statuses: Pick<StatusStore, 'topicStatus' | 'putTopic' | 'topicRemovals'>,
    private readonly connector: string,
    private readonly task: number,
    private readonly logger: Logger,
  ) {}

  used(topic: string): void {
    // The common case, the same topic as last time and no reset since, costs two comparisons.
    if (topic === this.lastTopic && this.statuses.topicRemovals === this.seenRemovals) return
    this.seenRemovals = this.statuses.topicRemovals
    this.lastTopic = topic
    if (this.writing.has(topic) || this.statuses.topicStatus(this.connector, topic) !== undefined) return
    this.writing.add(topic)
    void this.statuses
      .putTopic({ topic, connector: this.connector, task: this.task, discoverTimestamp: Date.now() })
      .catch((error: unknown) => {
        this.logger.warn('could not record an active topic in the status topic', { topic, error })
        // Looked at again with the next record of that topic.
        this.lastTopic = null
      })
      .finally(() => this.writing.delete(topic))
  }
}
