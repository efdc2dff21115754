import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs'
import { retryWhileRetriable } from './retry.ts'
import { DEFAULT_METADATA_MAX_AGE_MS, PatternTopics } from './pattern-topics.ts'
import { withSetupErrors } from './security.ts'
import type { ConsumerTuning } from '../config/kafka-client-config.ts'
import type { Logger } from '../logger.ts'

/** A message as the consumer hands it over: kafkajs's own objects, typed without kafkajs so callers need not import it. */
export interface ConsumedMessage {
  readonly key: Buffer | null
  readonly value: Buffer | null
  /** Milliseconds since the epoch, as a decimal string; `-1` when the record has none. */
  readonly timestamp: string
  /** The record's offset, as a decimal string. */
  readonly offset: string
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>
}

/** The messages of one fetch from one topic partition, in offset order. */
export interface ConsumedBatch {
  readonly topic: string
  readonly partition: number
  readonly messages: readonly ConsumedMessage[]
  /** The partition's end (the offset after its last record) when this batch was fetched, as a decimal string. */
  readonly highWatermark?: string
}

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

export interface CommitOffset extends TopicPartition {
  /** The next offset to consume, as Kafka commits it. */
  readonly offset: bigint
}

/** Either explicit topics or a pattern that must match a whole topic name. */
export type Subscription = { readonly topics: readonly string[] } | { readonly pattern: RegExp }

export interface RecordConsumerOptions {
  readonly groupId: string
  readonly subscription: Subscription
  /**
   * How long the group waits for this member's heartbeats before giving its partitions to others (Kafka's
   * session.timeout.ms, `consumer.session.timeout.ms` for Kafka Connect's sink consumers). It bounds how long a
   * killed worker's partitions stay with it: its successor's join waits for that session to expire. Default
   * {@link DEFAULT_SESSION_TIMEOUT_MS}; the broker accepts group.min.session.timeout.ms (6 s) to
   * group.max.session.timeout.ms (30 min).
   */
  readonly sessionTimeoutMs?: number
  /** The consumer keys the worker honours (`consumer.*`, `consumer.override.*`); its session timeout wins over the one above. */
  readonly tuning?: ConsumerTuning
  /** The prefix the connection's keys were set under, so that refused credentials name the key to fix. */
  readonly keyPrefix?: string
  /** How often a pattern subscription looks for new matching topics (the consumer's metadata.max.age.ms); default 5 min. */
  readonly metadataMaxAgeMs?: number
  readonly logger: Logger
}

/** Kafka's default before 3.0 (45 s since), and a third of kafkajs's: a killed sink's partitions resume within ~10 s. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000

export interface BatchHandlers {
  /**
   * Handles one batch. Called for one batch at a time. Resolving marks the batch consumed: the next fetch of its
   * partition starts after it. `false` leaves it unconsumed, so it is fetched again (after a resume).
   * A rejection is fatal: consumption stops and `onFatal` is told.
   */
  onBatch(batch: ConsumedBatch): Promise<boolean>
  /** Called after every group join with the partitions this member now owns. */
  onAssigned(partitions: readonly TopicPartition[]): void
  /**
   * The group is rebalancing and this member is about to rejoin: the last chance to commit what was processed.
   * Only called when the rebalance is noticed while a batch is being handled; one noticed while idle rejoins directly.
   */
  onRevoking(): Promise<void>
  /** Consumption stopped for good: a handler failed, or kafkajs crashed and will not restart. */
  onFatal(error: unknown): void
}

/** How often, at most, the consumer heartbeats, also while a long-running batch handler runs. */
const KEEP_ALIVE_INTERVAL_MS = 3_000

/**
 * One kafkajs consumer for one sink task, in a consumer group, with automatic commits off: offsets reach Kafka only
 * through `commit()`, which the sink runner calls once the task has made the records durable downstream.
 * kafkajs heartbeats only between batches, so while a handler runs this class heartbeats for it.
 */
export class RecordConsumer {
  /** Created by `run()`, once the connection's certificate files are read. */
  private consumerInstance: Consumer | null = null
  private handlers: BatchHandlers | null = null
  private paused = false
  private assignedTopics: readonly string[] = []
  private running = false
  private readonly heartbeatIntervalMs: number
  private patternTopics: PatternTopics | null = null

  constructor(
    private readonly kafka: Kafka | (() => Promise<Kafka>),
    private readonly options: RecordConsumerOptions,
  ) {
    const sessionTimeout = this.sessionTimeoutMs()
    // A third of the session, as Kafka recommends, and never rarer than kafkajs's default 3 s.
    this.heartbeatIntervalMs = Math.min(KEEP_ALIVE_INTERVAL_MS, Math.floor(sessionTimeout / 3))
  }

  private sessionTimeoutMs(): number {
    return this.options.tuning?.sessionTimeoutMs ?? this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS
  }

  private get consumer(): Consumer {
    if (this.consumerInstance === null) throw new Error('the Kafka consumer has not been started')
    return this.consumerInstance
  }

  /** Joins the group and starts handing batches to `handlers`; resolves once the first join completed. */
  async run(handlers: BatchHandlers): Promise<void> {
    this.handlers = handlers
    const kafka = typeof this.kafka === 'function' ? await withSetupErrors(this.kafka, this.options.keyPrefix ?? 'consumer.') : this.kafka
    const { tuning } = this.options
    const consumer = (this.consumerInstance ??= kafka.consumer({
      groupId: this.options.groupId,
      // Like the Java consumer's allow.auto.create.topics: a sink may start before its topics exist.
      allowAutoTopicCreation: true,
      maxWaitTimeInMs: tuning?.fetchMaxWaitMs ?? 500,
      ...(tuning?.fetchMaxBytes === undefined ? {} : { maxBytes: tuning.fetchMaxBytes }),
      ...(tuning?.maxPartitionFetchBytes === undefined ? {} : { maxBytesPerPartition: tuning.maxPartitionFetchBytes }),
      sessionTimeout: this.sessionTimeoutMs(),
      heartbeatInterval: this.heartbeatIntervalMs,
    }))
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
      this.assignedTopics = [...new Set(assigned.map(({ topic }) => topic))]
      if (this.paused) this.applyPause()
      handlers.onAssigned(assigned)
    })
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) this.options.logger.warn('Kafka consumer crashed; kafkajs restarts it', { error: payload.error })
      else this.fail(payload.error)
    })
    await withSetupErrors(() => consumer.connect(), this.options.keyPrefix ?? 'consumer.')
    const { subscription } = this.options
    const patternTopics = 'pattern' in subscription ? new PatternTopics(kafka, subscription.pattern, this.options.metadataMaxAgeMs ?? DEFAULT_METADATA_MAX_AGE_MS, this.options.logger) : null
    // Listed before subscribing: a topic created in between is subscribed to and merely looked at once more.
    const matching = await patternTopics?.current()
    // A topic nobody has written yet is being created on this very request; the broker says so with a retriable error.
    await retryWhileRetriable(() =>
      consumer.subscribe({ topics: 'pattern' in subscription ? [subscription.pattern] : [...subscription.topics], fromBeginning: true }),
    )
    this.running = true
    await this.startConsuming()
    if (patternTopics !== null && matching !== undefined) {
      this.patternTopics = patternTopics
      patternTopics.watch(matching, (added) => this.resubscribe(added))
    }
  }

  private async startConsuming(): Promise<void> {
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.handle(payload),
    })
    if (this.paused) this.applyPause()
  }

  /**
   * kafkajs takes new topics only between runs: what was processed is committed, the consumer stops (finishing the
   * batch in hand) and runs again subscribed to the pattern anew, resuming every partition from its committed offset.
   */
  private async resubscribe(added: readonly string[]): Promise<void> {
    if (!this.running || this.handlers === null) return
    this.options.logger.info('new topics match topics.regex; rejoining the group to consume them', { topics: added })
    await this.handlers.onRevoking()
    const { subscription } = this.options
    if (!this.running || !('pattern' in subscription)) return
    try {
      await this.consumer.stop()
      await retryWhileRetriable(() => this.consumer.subscribe({ topics: [subscription.pattern], fromBeginning: true }))
      if (this.running) await this.startConsuming()
    } catch (error) {
      // Stopped and not running again, the consumer would read nothing more: the task fails, visibly, instead.
      this.fail(error)
    }
  }

  /** Commits `offsets` for the group; rejects when Kafka refused them (a rebalance took the partitions away). */
  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (offsets.length === 0 || !this.running) return
    await this.consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: offset.toString() })))
  }

  /** Stops fetching every subscribed partition; batches already fetched are handed over unless the handler declines. */
  pause(): void {
    this.paused = true
    if (this.running) this.applyPause()
  }

  resume(): void {
    this.paused = false
    if (this.running) this.consumer.resume(this.pausable())
  }

  /** Leaves the group. Must not be awaited from inside `onBatch`, which it waits for. */
  async disconnect(): Promise<void> {
    this.running = false
    await this.patternTopics?.stop()
    await this.consumerInstance?.disconnect()
  }

  private applyPause(): void {
    const topics = this.pausable()
    try {
      if (topics.length > 0) this.consumer.pause(topics)
    } catch (error) {
      // kafkajs refuses before its group exists (a crash during the first join); the runner pauses again after it.
      this.options.logger.warn('could not pause the Kafka consumer', { error })
    }
  }

  private pausable(): { topic: string }[] {
    const { subscription } = this.options
    return ('topics' in subscription ? subscription.topics : this.assignedTopics).map((topic) => ({ topic }))
  }

  private async handle(payload: EachBatchPayload): Promise<void> {
    const handlers = this.handlers
    if (handlers === null || !this.running) return
    let rebalance: Error | null = null
    const keepAlive = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        if (isRebalancing(error)) rebalance ??= error as Error
      })
    }, this.heartbeatIntervalMs)
    let consumed: boolean
    try {
      consumed = await handlers.onBatch(payload.batch)
    } catch (error) {
      this.fail(error)
      return
    } finally {
      clearInterval(keepAlive)
    }
    if (consumed) payload.resolveOffset(payload.batch.lastOffset())
    if (rebalance === null) {
      try {
        await payload.heartbeat()
      } catch (error) {
        if (!isRebalancing(error)) throw error
        rebalance = error as Error
      }
    }
    if (rebalance !== null) {
      try {
        await handlers.onRevoking()
      } catch (error) {
        this.fail(error)
        return
      }
      // kafkajs rejoins the group when a batch handler rejects with the rebalance error.
      throw rebalance
    }
  }

  private fail(error: unknown): void {
    if (!this.running) return
    // Until disconnect() the fetch loop keeps going; paused, it stops re-fetching the batch nobody will consume.
    this.applyPause()
    this.running = false
    this.handlers?.onFatal(error)
  }
}

/** kafkajs's own test for "rejoin the group" errors, which it does not export. */
const isRebalancing = (error: unknown): boolean => {
  const type = (error as { type?: unknown } | null)?.type
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION'
}
