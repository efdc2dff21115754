import { Kafka, logLevel, Partitioners, type Admin, type ConsumerConfig, type KafkaMessage } from 'kafkajs'
import { sleep } from '../../scripts/infra/wait.ts'
import { publishedAt } from './payload.ts'

/** What a benchmark topic held once a run was over. */
export interface Readback {
  /** Distinct benchmark records (probes and duplicates not counted). */
  readonly received: number
  readonly duplicates: number
  /** LogAppendTime − publish time of every benchmark record, including duplicates. */
  readonly latenciesMs: readonly number[]
  readonly firstPublishMs: number
  readonly lastAppendMs: number
}

/** The benchmark's own view of Kafka: topics with LogAppendTime, their sizes, and the records read back. */
export class BenchKafka {
  private readonly kafka: Kafka
  private readonly admin: Admin
  private readSeq = 0

  constructor(readonly bootstrapServers: string) {
    this.kafka = new Kafka({ brokers: [bootstrapServers], clientId: 'bench-compare', logLevel: logLevel.NOTHING })
    this.admin = this.kafka.admin()
  }

  connect(): Promise<void> {
    return this.admin.connect()
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect()
  }

  /** One partition, and the broker's append time as each record's timestamp: latency needs no worker's clock. */
  async createLogAppendTimeTopic(topic: string): Promise<void> {
    await this.admin.createTopics({
      // kafkajs's own wait gives up on UNKNOWN_TOPIC_OR_PARTITION while KRaft is still propagating the topic.
      waitForLeaders: false,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }],
    })
    const deadline = performance.now() + 30_000
    for (;;) {
      try {
        await this.admin.fetchTopicOffsets(topic)
        return
      } catch (error) {
        if (performance.now() > deadline) throw error
        await sleep(100)
      }
    }
  }

  async recordCount(topic: string): Promise<number> {
    const offsets = await this.admin.fetchTopicOffsets(topic)
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0)
  }

  /**
   * Polls the topic's size until it holds `expected` records, until it has not grown for `stallMs` (records lost), or
   * until `failure` (asked about once a second) names a reason to stop. Once `published()` is true the worker has all
   * there is, so `stallAfterPublishMs` of no growth ends the wait sooner. Cheap on purpose: it runs while the worker
   * is being measured.
   */
  async waitForRecords(
    topic: string,
    expected: number,
    options: {
      stallMs: number
      stallAfterPublishMs?: number
      published?: () => boolean
      failure?: () => Promise<string | undefined>
      intervalMs?: number
    },
  ): Promise<{ count: number; failure: string | undefined }> {
    const { stallMs, stallAfterPublishMs = stallMs, published = () => false, failure, intervalMs = 100 } = options
    let count = 0
    let grewAt = performance.now()
    let checkedAt = performance.now()
    for (;;) {
      const now = await this.recordCount(topic)
      if (now >= expected) return { count: now, failure: undefined }
      if (now > count) {
        count = now
        grewAt = performance.now()
      } else if (performance.now() - grewAt > (published() ? stallAfterPublishMs : stallMs)) {
        return { count, failure: undefined }
      }
      if (failure !== undefined && performance.now() - checkedAt > 1_000) {
        checkedAt = performance.now()
        const reason = await failure()
        if (reason !== undefined) return { count: await this.recordCount(topic), failure: reason }
      }
      await sleep(intervalMs)
    }
  }

  /**
   * Reads `topic` from the beginning in a consumer group of its own, handing each fetched batch to `onBatch` until it
   * says it has seen enough (or `timeoutMs` passes, when given).
   */
  private async consumeFromStart(
    topic: string,
    config: Omit<ConsumerConfig, 'groupId'>,
    onBatch: (messages: readonly KafkaMessage[]) => boolean,
    timeoutMs?: number,
  ): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `bench-compare-reader-${process.pid}-${this.readSeq++}`, ...config })
    let resolveDone: () => void = () => undefined
    const done = new Promise<void>((resolve) => (resolveDone = resolve))
    await consumer.connect()
    try {
      await consumer.subscribe({ topic, fromBeginning: true })
      await consumer.run({
        eachBatch: async ({ batch }) => {
          if (onBatch(batch.messages)) resolveDone()
        },
      })
      await (timeoutMs === undefined ? done : Promise.race([done, sleep(timeoutMs)]))
    } finally {
      await consumer.disconnect()
    }
  }

  /**
   * Consumes `expected` records of `topic` from the beginning and does nothing with them: when the first and the last
   * batch arrived, how many records did, and how many came after the first batch (the ones a rate can be timed on).
   */
  async drain(topic: string, expected: number, options: { maxWaitTimeInMs: number }): Promise<{ received: number; timedRecords: number; firstMs: number; lastMs: number }> {
    let received = 0
    let firstBatch = 0
    let firstMs = NaN
    let lastMs = NaN
    await this.consumeFromStart(
      topic,
      { maxWaitTimeInMs: options.maxWaitTimeInMs },
      (messages) => {
        const now = Date.now()
        if (Number.isNaN(firstMs)) {
          firstMs = now
          firstBatch = messages.length
        }
        received += messages.length
        lastMs = now
        return received >= expected
      },
      120_000,
    )
    return { received, timedRecords: received - firstBatch, firstMs, lastMs }
  }

  /** Reads the whole (single-partition) topic once it holds `total` records and measures every benchmark record. */
  async readBack(topic: string, total: number, messages: number): Promise<Readback> {
    const seen = new Uint8Array(messages)
    const latenciesMs: number[] = []
    let read = 0
    let received = 0
    let duplicates = 0
    let firstPublishMs = Infinity
    let lastAppendMs = -Infinity
    if (total === 0) return { received, duplicates, latenciesMs, firstPublishMs, lastAppendMs }
    await this.consumeFromStart(topic, { maxBytes: 64 * 1024 * 1024, maxBytesPerPartition: 16 * 1024 * 1024 }, (batch) => {
      for (const message of batch) {
        read++
        const value = message.value
        const sent = value === null ? NaN : publishedAt(value)
        if (Number.isNaN(sent)) continue
        const appended = Number(message.timestamp)
        latenciesMs.push(appended - sent)
        if (sent < firstPublishMs) firstPublishMs = sent
        if (appended > lastAppendMs) lastAppendMs = appended
        const seq = Number(value!.toString('latin1', 0, value!.indexOf(0x3a)))
        if (seen[seq] === 1) duplicates++
        else {
          seen[seq] = 1
          received++
        }
      }
      return read >= total
    })
    return { received, duplicates, latenciesMs, firstPublishMs, lastAppendMs }
  }

  /** Deletes what a run created; topics that are already gone are fine. */
  async deleteTopics(topics: readonly string[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics())
    const doomed = topics.filter((topic) => existing.has(topic))
    if (doomed.length > 0) await this.admin.deleteTopics({ topics: doomed, timeout: 30_000 })
  }

  /** A kafkajs producer in this process (the producer ceiling). */
  producer(): ReturnType<Kafka['producer']> {
    return this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  }
}
