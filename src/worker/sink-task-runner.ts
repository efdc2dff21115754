import type { SinkRecord } from '../data/record.ts'
import type { BatchHandlers, CommitOffset, ConsumedBatch, ConsumedMessage, RecordConsumer, TopicPartition } from '../kafka/record-consumer.ts'
import type { RecordSender, SerializedRecord } from '../kafka/record-producer.ts'
import type { Logger } from '../logger.ts'
import type { ParsedConfig } from '../plugin/connector.ts'
import type { SinkTask } from '../plugin/sink-task.ts'
import type { TaskLogger, TaskMetricsRegistry } from '../plugin/metrics.ts'
import type { TaskId } from '../plugin/source-task.ts'
import type { DegradedArea } from './degraded-tasks.ts'
import { StageError, type RecordErrorHandler } from './error-handler.ts'
import { deserializeSinkRecord, rawSinkRecord } from './record-deserializer.ts'
import { isRetriable, retry } from '../plugin/retry.ts'
import type { RecordConverters } from './record-serializer.ts'
import { settlesWithin } from './settles-within.ts'
import { NO_TASK_METRICS, type TaskMetrics } from './task-metrics.ts'
import type { RunnerState } from './source-task-runner.ts'
import type { TransformationChain } from './transformation-chain.ts'
import type { ActiveTopics } from './active-topics.ts'

/** The consumer a sink runner drives: {@link RecordConsumer}, or a fake in tests. */
export type SinkRecordConsumer = Pick<RecordConsumer, 'run' | 'commit' | 'pause' | 'resume' | 'disconnect'>

/** Where tolerated records go when a dead-letter topic is configured. */
export type DeadLetterProducer = RecordSender

export interface SinkTaskRunnerOptions {
  readonly id: TaskId
  readonly task: SinkTask<ParsedConfig>
  /** The task config as the connector's schema parsed it. */
  readonly config: ParsedConfig
  readonly converters: RecordConverters
  readonly chain: TransformationChain
  readonly consumer: SinkRecordConsumer
  /** Told of every topic a batch is read from (KIP-558 topic tracking). */
  readonly activeTopics?: ActiveTopics
  /** Retries, tolerance and dead-letter copies for records that fail conversion or transformation. */
  readonly errors: RecordErrorHandler
  /** `null` without a dead-letter topic. */
  readonly deadLetters: DeadLetterProducer | null
  /** How often what `put()` received is flushed by the task and committed to Kafka. */
  readonly offsetFlushIntervalMs: number
  /**
   * How long `stop()` may take in all, as the worker allows (task.shutdown.graceful.timeout.ms): the last flush gets
   * half, after which the task stops without committing it.
   */
  readonly shutdownTimeoutMs: number
  /** How the task, and this runner for Kafka, say what they cannot reach while the task stays RUNNING. */
  readonly reportDegraded: (area: DegradedArea, reason: string | null) => void
  /** Told of each batch's progress; counts nothing when absent. */
  readonly metrics?: TaskMetrics
  /** The task's own metrics hook and log (`context.metrics`, `context.logger`); none when absent. */
  readonly taskInstruments?: { readonly metrics: TaskMetricsRegistry; readonly logger: TaskLogger }
  readonly logger: Logger
  /** Told of every state change; `error` accompanies FAILED. */
  readonly onStateChange: (state: RunnerState, error?: unknown) => void
}

/** The consumer group of a sink connector's tasks, named as Kafka Connect names it. */
export const sinkConsumerGroupId = (connector: string): string => `connect-${connector}`


/** What one consumed message became: a record for the task, a dead letter, or nothing. */
type Prepared = SinkRecord | { readonly deadLetter: SerializedRecord } | null

/** A task that cannot take a batch yet is asked again, backing off to at most 5 s. */
const PUT_BACKOFF = { initialMs: 100, maxMs: 5_000 } as const
/**
 * Between `offset.flush.interval.ms` flushes, what the task acknowledged is committed at most this often, one commit
 * at a time: a crash then repeats about this long's worth of records, not up to a whole flush interval's.
 */
const PROMPT_COMMIT_INTERVAL_MS = 200
/** The most records one `put()` takes, as Kafka Connect's max.poll.records default hands its tasks. */
const MAX_PUT_RECORDS = 500

/**
 * Drives one sink task: consume a batch from Kafka → convert → transform → `put()` (at most {@link MAX_PUT_RECORDS}
 * at a time), and on the flush cadence (and before stopping or rejoining the group) `flush()` then commit exactly the
 * offsets flushed. An offset reaches Kafka only after the task made every record before it durable downstream: that
 * ordering is what makes the sink lossless. Batches and those flushes take turns on one chain. Between them, prompt
 * commits call `flush()` in turn too, so that it covers exactly what `put()` took so far, but let the next batches go
 * on while it resolves; then they commit. Commits never overlap: each waits for the one before.
 */
export class SinkTaskRunner {
  private state: RunnerState = 'STOPPED'
  private paused = false
  private stopping = false
  private failed = false
  /** Per `topic:partition`, the next offset after the last record handed to `put()` (or skipped). */
  private readonly consumed = new Map<string, CommitOffset>()
  /** Per `topic:partition`, the offset last committed by this runner. */
  private readonly committed = new Map<string, bigint>()
  private turn: Promise<unknown> = Promise.resolve()
  private lastFlushAt = Date.now()
  private flushTimer: NodeJS.Timeout | null = null
  private timedFlush: Promise<void> | null = null
  /** The prompt commit in flight: the task's flush, then the commit. */
  private promptCommit: Promise<void> | null = null
  /** A prompt commit the timer queued behind the batch being handled. */
  private queuedPromptCommit: Promise<void> | null = null
  /** Counted from construction, as `lastFlushAt`: the first prompt commit comes one interval after the task starts. */
  private lastPromptCommitAt = Date.now()
  private consuming: Promise<void> = Promise.resolve()
  private failureCleanup: Promise<void> = Promise.resolve()

  private readonly metrics: TaskMetrics

  constructor(private readonly options: SinkTaskRunnerOptions) {
    this.metrics = options.metrics ?? NO_TASK_METRICS
  }

  /** Starts the task, then joins the consumer group in the background (a failed join fails the task). */
  async start(): Promise<void> {
    const { task, config, id, consumer, deadLetters } = this.options
    await deadLetters?.connect()
    await task.start(config, { taskId: id, reportDegraded: (reason) => this.options.reportDegraded('external', reason), logger: this.options.logger, ...this.options.taskInstruments })
    if (this.paused) consumer.pause()
    this.setState(this.paused ? 'PAUSED' : 'RUNNING')
    const handlers: BatchHandlers = {
      onBatch: (batch) => this.inTurn(() => this.handleBatch(batch)),
      onAssigned: (partitions) => this.forgetUnassigned(partitions),
      onRevoking: () => this.inTurn(() => this.flushAndCommit()),
      onFatal: (error) => this.fail(error),
    }
    this.consuming = consumer.run(handlers).catch((error: unknown) => this.fail(error))
    this.flushTimer = setInterval(() => this.flushIfDue(), Math.min(PROMPT_COMMIT_INTERVAL_MS, this.options.offsetFlushIntervalMs))
    this.flushTimer.unref()
  }

  pause(): void {
    this.paused = true
    this.options.consumer.pause()
    if (this.state === 'RUNNING') this.setState('PAUSED')
  }

  resume(): void {
    this.paused = false
    this.options.consumer.resume()
    if (this.state === 'PAUSED') this.setState('RUNNING')
  }

  /**
   * Stops consuming, finishes the batch in flight, flushes and commits what the task received, then stops the task
   * and leaves the group. A flush that takes longer than half of `shutdownTimeoutMs` is abandoned uncommitted: those
   * records are consumed again by the next owner of their partitions.
   */
  async stop(): Promise<void> {
    this.stopping = true
    this.clearFlushTimer()
    const { consumer, task, logger, shutdownTimeoutMs } = this.options
    consumer.pause()
    await this.consuming
    if (this.failed) {
      await this.failureCleanup
      return
    }
    // The last flush gets half the budget and stopping the task and leaving the group the other half: the worker
    // abandons a task that outlasts the whole of it, and one abandoned before its LeaveGroup keeps its partitions from
    // the next owner until its consumer session expires.
    const flushTimeoutMs = shutdownTimeoutMs / 2
    const drained = this.inTurn(() => this.flushAndCommit())
    const settled = await settlesWithin(drained, flushTimeoutMs)
    if (settled === 'timeout') logger.warn('the last flush did not finish in time; its records stay uncommitted', { flushTimeoutMs })
    else if (settled !== 'ok') logger.warn('the last flush failed; its records stay uncommitted', { error: settled.error })
    // The task stops first: that is what releases a batch still waiting on it, which leaving the group waits for.
    await task.stop()
    await consumer.disconnect()
    await this.options.deadLetters?.disconnect()
    this.setState('STOPPED')
  }

  private async handleBatch(batch: ConsumedBatch): Promise<boolean> {
    if (this.stopping || this.failed || this.paused) return false
    const { messages, topic, partition } = batch
    const partitionKey = `${topic}:${partition}`
    this.options.activeTopics?.used(topic)
    // A fetch can hold tens of thousands of records: put() takes them in slices, and what each slice took can be
    // committed while the rest is still on its way.
    for (let start = 0; start < messages.length; start += MAX_PUT_RECORDS) {
      // Stopping: what was put() is committed by stop(); the rest is the next owner's (the batch stays unconsumed).
      if (start > 0 && (this.stopping || this.failed)) return false
      const end = Math.min(messages.length, start + MAX_PUT_RECORDS)
      const records: SinkRecord[] = []
      const deadLetters: SerializedRecord[] = []
      for (let i = start; i < end; i++) {
        const prepared = this.prepare(topic, partition, messages[i]!)
        const outcome = prepared instanceof Promise ? await prepared : prepared
        if (outcome === null) continue
        if ('deadLetter' in outcome) deadLetters.push(outcome.deadLetter)
        else records.push(outcome)
      }
      // Dead letters are in Kafka before the slice's offsets can be committed.
      if (deadLetters.length > 0) await this.sendDeadLetters(deadLetters)
      this.metrics.read(end - start)
      if (records.length > 0) await this.put(records)
      const nextOffset = BigInt(messages[end - 1]!.offset) + 1n
      this.consumed.set(partitionKey, { topic, partition, offset: nextOffset })
      this.metrics.sinkProgress?.(topic, partition, BigInt(messages[start]!.offset), nextOffset, batch.highWatermark === undefined ? null : BigInt(batch.highWatermark))
      if (Date.now() - this.lastFlushAt >= this.options.offsetFlushIntervalMs) await this.flushAndCommit()
      else this.commitPromptly()
    }
    return true
  }

  /**
   * The record as the task sees it; `null` when a transform dropped it or a tolerated error skipped it; or the dead-letter
   * copy of the record as it arrived. Synchronous converters and transforms cost no await: only a failure takes the
   * slow path through the error handler's retries.
   */
  private prepare(topic: string, partition: number, message: ConsumedMessage): Prepared | Promise<Prepared> {
    let prepared: SinkRecord | null | Promise<SinkRecord | null>
    try {
      prepared = this.convertAndTransform(topic, partition, message)
    } catch {
      return this.prepareWithErrorHandling(topic, partition, message)
    }
    return prepared instanceof Promise ? prepared.catch(() => this.prepareWithErrorHandling(topic, partition, message)) : prepared
  }

  /** Tries again as `errors.retry.timeout` allows, then fails the task or tolerates the record as `errors.tolerance` says. */
  private async prepareWithErrorHandling(topic: string, partition: number, message: ConsumedMessage): Promise<Prepared> {
    const { errors } = this.options
    try {
      return await errors.withRetries(() => this.convertAndTransform(topic, partition, message))
    } catch (error) {
      const { deadLetter } = errors.tolerate(rawSinkRecord(topic, partition, message), error)
      // Failures are the exception, so counting them one by one costs the hot path nothing.
      this.metrics.tolerated(1)
      return deadLetter === null ? null : { deadLetter }
    }
  }

  private convertAndTransform(topic: string, partition: number, message: ConsumedMessage): SinkRecord | null | Promise<SinkRecord | null> {
    const record = deserializeSinkRecord(topic, partition, message, this.options.converters)
    return record instanceof Promise ? record.then((converted) => this.transform(converted)) : this.transform(record)
  }

  private transform(record: SinkRecord): SinkRecord | null {
    const { chain } = this.options
    try {
      return chain.apply(record)
    } catch (error) {
      throw error instanceof StageError ? error : new StageError('TRANSFORMATION', chain.stages.map(({ className }) => className).join(','), error)
    }
  }

  /** `put()`, again after a backoff for as long as the task says the failure is retriable and the task is not stopping. */
  private async put(records: readonly SinkRecord[]): Promise<void> {
    const started = performance.now()
    await retry(() => this.options.task.put(records), {
      backoff: PUT_BACKOFF,
      retriable: (error) => isRetriable(error) && !this.stopping,
      onRetry: (error, attempt, backoffMs) => this.options.logger.warn('the task could not take the batch yet; retrying', { attempt, backoffMs, error }),
    })
    this.metrics.put(records.length, performance.now() - started)
  }

  /** Asks the task to make what it received durable, then commits exactly those offsets. Runs in turn. */
  private async flushAndCommit(): Promise<void> {
    this.lastFlushAt = Date.now()
    // Commits land in order: a prompt commit still in flight goes first.
    await this.promptCommit
    const offsets = this.uncommittedOffsets()
    if (offsets.length === 0) return
    await this.options.task.flush(offsets)
    await this.commit(offsets)
  }

  /**
   * Flushes what `put()` took so far and commits it, without holding up the batches that follow; called in turn, at
   * most one in flight, at most one started every {@link PROMPT_COMMIT_INTERVAL_MS}.
   */
  private commitPromptly(): void {
    if (this.promptCommit !== null || this.stopping || this.failed || Date.now() - this.lastPromptCommitAt < PROMPT_COMMIT_INTERVAL_MS) return
    const offsets = this.uncommittedOffsets()
    if (offsets.length === 0) return
    this.lastPromptCommitAt = Date.now()
    this.promptCommit = this.options.task
      .flush(offsets)
      .then(() => this.commit(offsets))
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.promptCommit = null))
  }

  /** Commits offsets the task flushed; a commit Kafka refuses is tried again by the next flush. */
  private async commit(offsets: readonly CommitOffset[]): Promise<void> {
    const started = performance.now()
    try {
      await this.options.consumer.commit(offsets)
      this.metrics.offsetCommit(true, performance.now() - started)
    } catch (error) {
      this.metrics.offsetCommit(false, performance.now() - started)
      // Flushed but not committed: the records are consumed again, never lost.
      this.options.logger.warn('Kafka did not take the offset commit; retrying at the next flush', { error })
      return
    }
    for (const offset of offsets) this.committed.set(`${offset.topic}:${offset.partition}`, offset.offset)
    this.metrics.sinkCommitted?.(offsets)
  }

  /** A dead-letter topic that refuses its records fails the task, as in Kafka Connect; the metrics count the attempt. */
  private async sendDeadLetters(deadLetters: readonly SerializedRecord[]): Promise<void> {
    try {
      await this.options.deadLetters?.send(deadLetters)
    } catch (error) {
      this.metrics.deadLetterFailed?.(deadLetters.length)
      throw error
    }
  }

  private uncommittedOffsets(): CommitOffset[] {
    const offsets: CommitOffset[] = []
    for (const [key, offset] of this.consumed) if (this.committed.get(key) !== offset.offset) offsets.push(offset)
    return offsets
  }

  /** On every tick: the timed flush once `offset.flush.interval.ms` passed, otherwise a prompt commit of what is left. */
  private flushIfDue(): void {
    if (this.timedFlush !== null || this.stopping || this.failed) return
    if (Date.now() - this.lastFlushAt < this.options.offsetFlushIntervalMs) {
      if (this.promptCommit !== null || this.queuedPromptCommit !== null) return
      this.queuedPromptCommit = this.inTurn(async () => this.commitPromptly()).finally(() => (this.queuedPromptCommit = null))
      return
    }
    this.timedFlush = this.inTurn(async () => {
      if (!this.stopping && !this.failed && Date.now() - this.lastFlushAt >= this.options.offsetFlushIntervalMs) await this.flushAndCommit()
    })
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.timedFlush = null))
  }

  /** After a rebalance, partitions another member now owns are its to commit. */
  private forgetUnassigned(partitions: readonly TopicPartition[]): void {
    this.metrics.sinkAssigned?.(partitions)
    const owned = new Set(partitions.map(({ topic, partition }) => `${topic}:${partition}`))
    for (const key of this.consumed.keys()) if (!owned.has(key)) this.consumed.delete(key)
    for (const key of this.committed.keys()) if (!owned.has(key)) this.committed.delete(key)
  }

  /** Runs `action` once every earlier batch, flush and commit has finished. */
  private inTurn<T>(action: () => Promise<T>): Promise<T> {
    const result = this.turn.then(action)
    this.turn = result.catch(() => {})
    return result
  }

  private fail(error: unknown): void {
    if (this.failed) return
    if (this.stopping) {
      this.options.logger.warn('error while the task was stopping', { task: this.options.id, error })
      return
    }
    this.failed = true
    this.clearFlushTimer()
    this.options.logger.error('task failed', { task: this.options.id, error })
    this.setState('FAILED', error)
    const { task, consumer, logger } = this.options
    // Not awaited here: this may run inside a batch handler, which leaving the group waits for.
    this.failureCleanup = (async () => {
      await task.stop().catch((stopError: unknown) => logger.warn('the failed task did not stop cleanly', { error: stopError }))
      await consumer.disconnect().catch((disconnectError: unknown) => logger.warn('the Kafka consumer did not disconnect cleanly', { error: disconnectError }))
      await this.options.deadLetters?.disconnect().catch(() => {})
    })()
  }

  private clearFlushTimer(): void {
    if (this.flushTimer !== null) clearInterval(this.flushTimer)
    this.flushTimer = null
  }

  private setState(state: RunnerState, error?: unknown): void {
    this.state = state
    this.options.onStateChange(state, error)
  }
}
