import { randomUUID } from 'node:crypto'
import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs'
import type { Logger } from '../logger.ts'
import { retryWhileRetriable } from './retry.ts'

export interface LogEntry {
  readonly topic: string
  readonly key: string | null
  /** `null` is a tombstone. */
  readonly value: Buffer | null
  /** The entry's offset in its partition: the config topic's is the config offset workers compare in a rebalance. */
  readonly offset?: bigint
}

/** Kafka's own default before 3.0; kafkajs heartbeats at least after every fetch, whose long poll lasts up to 5 s. */
const INTERNAL_SESSION_TIMEOUT_MS = 10_000

/**
 * Kafka Connect's KafkaBasedLog for the worker's compacted topics (configs, statuses, offsets): reads each topic from
 * the beginning, hands every entry to `onEntry` in log order, keeps tailing, and writes with acks=all.
 * kafkajs consumers always join a group, so each worker process uses a group of its own and never commits offsets.
 */
export class InternalTopicsLog {
  private readonly consumer: Consumer
  private readonly producer: Producer
  /** Next offset to read, per `topic:partition`: what makes read-your-writes possible. */
  private readonly positions = new Map<string, bigint>()
  private readonly positionWaiters: { partitionKey: string; offset: bigint; resolve: () => void }[] = []

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
    groupPrefix: string,
    private readonly onEntry: (entry: LogEntry) => void,
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer({
      groupId: `${groupPrefix}-internal-${randomUUID()}`,
      allowAutoTopicCreation: false,
      // A consumer that kafkajs restarts after a Kafka outage joins as a new member, and its group waits for the old
      // member's session to expire; everything read back (offset flushes, status writes) waits as long. kafkajs's
      // default session is 30 s.
      sessionTimeout: INTERNAL_SESSION_TIMEOUT_MS,
      heartbeatInterval: 3_000,
    })
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false, createPartitioner: Partitioners.DefaultPartitioner })
  }

  /** Resolves once every entry that existed when it was called has been handed to `onEntry`. */
  async start(): Promise<void> {
    const endOffsets = await this.fetchEndOffsets()
    const pending = new Map([...endOffsets].filter(([, end]) => end.end > end.start).map(([tp, end]) => [tp, end.end]))
    let caughtUp!: () => void
    const whenCaughtUp = new Promise<void>((resolve) => (caughtUp = resolve))
    if (pending.size === 0) caughtUp()

    await Promise.all([this.producer.connect(), this.consumer.connect()])
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true })
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload
        const partitionKey = `${batch.topic}:${batch.partition}`
        const applied = this.positions.get(partitionKey) ?? 0n
        for (const message of batch.messages) {
          // kafkajs restarts a crashed consumer (after a Kafka outage) from the beginning, as this log commits no
          // offsets: entries applied already are not applied again, so the stores never step back to older states.
          if (BigInt(message.offset) < applied) continue
          this.onEntry({ topic: batch.topic, key: message.key?.toString('utf8') ?? null, value: message.value, offset: BigInt(message.offset) })
        }
        const position = BigInt(batch.lastOffset()) + 1n
        if (position > applied) this.advance(partitionKey, position)
        const end = pending.get(partitionKey)
        if (end !== undefined && position >= end) {
          pending.delete(partitionKey)
          if (pending.size === 0) caughtUp()
        }
        await payload.heartbeat()
      },
    })
    await whenCaughtUp
    this.logger.info('read the internal topics to their end', { topics: this.topics })
  }

  /**
   * Appends entries to one topic in order with acks=all. With `readBack`, resolves only once this log has read them
   * back, so that state derived from the log already reflects them.
   */
  async write(topic: string, entries: readonly { key: string; value: string | null }[], readBack = true): Promise<void> {
    if (entries.length === 0) return
    const results = await this.producer.send({ topic, acks: -1, messages: entries.map(({ key, value }) => ({ key, value })) })
    if (!readBack) return
    // A produce request lands in each partition as one record batch, and fetches hand whole batches over: having
    // read past a batch's first offset means having read all of it.
    await Promise.all(
      results.map(({ topicName, partition, baseOffset }) => this.untilRead(`${topicName}:${partition}`, BigInt(baseOffset ?? '0'))),
    )
  }

  /**
   * Resolves once this log has read `topics` up to their end as it is now: what a leader does before it assigns, so
   * that it assigns from the latest configs and statuses.
   */
  async catchUp(topics: readonly string[]): Promise<void> {
    const ends = await this.fetchEndOffsets(topics)
    await Promise.all([...ends].filter(([, { start, end }]) => end > start).map(([partitionKey, { end }]) => this.untilRead(partitionKey, end - 1n)))
  }

  /** Resolves true once `topic`'s partition 0 has been read past `offset`, or false after `timeoutMs`. */
  async readPast(topic: string, offset: bigint, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const read = this.untilRead(`${topic}:0`, offset).then(() => true)
    const result = await Promise.race([read, timedOut])
    clearTimeout(timer)
    return result
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect()
    await this.producer.disconnect()
  }

  private untilRead(partitionKey: string, offset: bigint): Promise<void> {
    if ((this.positions.get(partitionKey) ?? 0n) > offset) return Promise.resolve()
    return new Promise((resolve) => this.positionWaiters.push({ partitionKey, offset, resolve }))
  }

  private advance(partitionKey: string, position: bigint): void {
    this.positions.set(partitionKey, position)
    for (let i = this.positionWaiters.length - 1; i >= 0; i--) {
      const waiter = this.positionWaiters[i]!
      if (waiter.partitionKey === partitionKey && position > waiter.offset) {
        this.positionWaiters.splice(i, 1)
        waiter.resolve()
      }
    }
  }

  private async fetchEndOffsets(topics: readonly string[] = this.topics): Promise<Map<string, { start: bigint; end: bigint }>> {
    const admin = this.kafka.admin()
    await admin.connect()
    try {
      const offsets = new Map<string, { start: bigint; end: bigint }>()
      for (const topic of topics) {
        for (const { partition, low, high } of await retryWhileRetriable(() => admin.fetchTopicOffsets(topic))) {
          offsets.set(`${topic}:${partition}`, { start: BigInt(low), end: BigInt(high) })
        }
      }
      return offsets
    } finally {
      await admin.disconnect()
    }
  }
}
