import type { SourceOffset, SourcePartition, SourceRecord } from '../data/record.ts'
import type { SerializedRecord } from '../kafka/record-producer.ts'
import type { RecordSender } from '../kafka/record-producer.ts'
import { retry } from '../plugin/retry.ts'
import type { Logger } from '../logger.ts'
import type { ParsedConfig } from '../plugin/connector.ts'
import type { SourceTask, TaskId } from '../plugin/source-task.ts'
import type { TaskLogger, TaskMetricsRegistry } from '../plugin/metrics.ts'
import type { PartitionOffset } from '../storage/offset-store.ts'
import type { DegradedArea } from './degraded-tasks.ts'
import { NO_TASK_METRICS, type TaskMetrics } from './task-metrics.ts'
import type { RecordErrorHandler } from './error-handler.ts'
import { serializeSourceRecord, type RecordConverters } from './record-serializer.ts'
import type { TransformationChain } from './transformation-chain.ts'
import type { TopicPreparer } from './topic-creator.ts'
import type { ActiveTopics } from './active-topics.ts'
import { SourceSendQueue } from './source-send-queue.ts'

export type RunnerState = 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED'

export interface SourceOffsetSink {
  offsetOf(connector: string, partition: SourcePartition): SourceOffset | null
  commit(connector: string, entries: readonly PartitionOffset[]): Promise<void>
}

export interface SourceTaskRunnerOptions {
  readonly id: TaskId
  readonly task: SourceTask<ParsedConfig>
  /** The task config as the connector's schema parsed it. */
  readonly config: ParsedConfig
  readonly converters: RecordConverters
  readonly chain: TransformationChain
  readonly producer: RecordSender
  readonly offsets: SourceOffsetSink
  /** Creates the topics a batch writes to that do not exist yet (topic.creation.*); absent: the broker's auto-creation. */
  readonly topicCreator?: TopicPreparer
  /** Told of every topic Kafka acknowledged records in (KIP-558 topic tracking). */
  readonly activeTopics?: ActiveTopics
  readonly errors: RecordErrorHandler
  readonly offsetFlushIntervalMs: number
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

/** At most 1 s between two sends Kafka refused: it bounds how long records wait once Kafka is back. */
const SEND_BACKOFF = { initialMs: 100, maxMs: 1_000 } as const
/** A batch Kafka has not acknowledged after this long makes the task degraded on /health until Kafka takes it. */
const SLOW_SEND_MS = 5_000
/**
 * Polls that may wait behind the produce request in flight (one more is converted and then held): the task converts
 * while Kafka writes, and the MQTT buffer, not a chain of tiny polls, gathers the rest. Paced at 16,000 msg/s (QoS 1,
 * 100 B), single runs gave a p99 of 24–45 ms with 4, 21–47 ms with 1 and 14–26 ms with none: 1 is within this
 * machine's noise of none, 4 is worse.
 */
const MAX_POLLS_WAITING = 1

/**
 * Drives one source task: poll → transform → convert → send to Kafka (acks=all) → commitRecord, and writes source
 * offsets every `offset.flush.interval.ms`. The next polls are converted while Kafka writes the last one, one request
 * in flight at a time. A record is committed back to the task only after Kafka acknowledged it, in poll order; that
 * ordering is what makes the MQTT source lossless.
 */
export class SourceTaskRunner {
  private readonly abort = new AbortController()
  private loop: Promise<void> | null = null
  private starting: Promise<void> | null = null
  private paused = false
  private resumeWaiter: (() => void) | null = null
  private readonly pendingOffsets = new Map<string, PartitionOffset>()
  private lastPartition: SourcePartition | null = null
  private lastPartitionKey = ''
  private lastFlushAt = Date.now()
  /** The offset flush the loop started in the background, while it runs. */
  private offsetFlush: Promise<void> | null = null
  private state: RunnerState = 'STOPPED'
  private readonly sendQueue = new SourceSendQueue(
    (outgoing, onAcknowledged) => this.sendUntilAcknowledged(outgoing, this.abort.signal, onAcknowledged),
    MAX_POLLS_WAITING,
  )

  private readonly metrics: TaskMetrics

  constructor(private readonly options: SourceTaskRunnerOptions) {
    this.metrics = options.metrics ?? NO_TASK_METRICS
  }

  /** Connects the producer and starts the task; a stop() that arrives meanwhile calls the start off. */
  async start(): Promise<void> {
    const { task, config, id, producer, offsets } = this.options
    this.starting = (async () => {
      await producer.connect()
      if (this.abort.signal.aborted) return
      await task.start(config, {
        taskId: id,
        offsetOf: (partition) => offsets.offsetOf(id.connector, partition),
        reportDegraded: (reason) => this.options.reportDegraded('external', reason),
        ...this.options.taskInstruments,
      })
    })()
    await this.starting
    if (this.abort.signal.aborted) return
    this.setState(this.paused ? 'PAUSED' : 'RUNNING')
    this.loop = this.run()
  }

  pause(): void {
    this.paused = true
    if (this.state === 'RUNNING') this.setState('PAUSED')
  }

  resume(): void {
    this.paused = false
    this.resumeWaiter?.()
    if (this.state === 'PAUSED') this.setState('RUNNING')
  }

  /** Stops polling, sends what was polled, writes the last offsets, and releases the task and producer. */
  async stop(): Promise<void> {
    this.abort.abort()
    this.resumeWaiter?.()
    if (this.loop === null) {
      // Still starting: stopping the task ends what it is waiting on (an MQTT broker that never sends CONNACK).
      await this.options.task.stop()
      await this.starting?.catch(() => {})
      await this.options.producer.disconnect()
      return
    }
    await this.loop
    const failed = this.state === 'FAILED'
    await this.flushOffsets().catch((error: unknown) => this.options.logger.warn('final offset flush failed', { error }))
    if (!failed) await this.options.task.stop()
    await this.options.producer.disconnect()
    if (!failed) this.setState('STOPPED')
  }

  private async run(): Promise<void> {
    const { signal } = this.abort
    try {
      while (!signal.aborted) {
        if (this.paused) {
          await new Promise<void>((resolve) => (this.resumeWaiter = resolve))
          this.resumeWaiter = null
          continue
        }
        const pollStartedAt = performance.now()
        const records = await this.options.task.poll(signal)
        if (records.length > 0) {
          this.metrics.polled(records.length, performance.now() - pollStartedAt)
          await this.process(records)
        }
        if (this.offsetFlush === null && Date.now() - this.lastFlushAt >= this.options.offsetFlushIntervalMs) {
          // In the background, as Kafka Connect's offset committer does: records keep flowing while the offsets topic
          // is slow to answer, as it is after a Kafka outage until the worker's own consumer has rejoined its group.
          this.offsetFlush = this.flushOffsets()
            .catch((error: unknown) => this.options.logger.warn('could not write source offsets; trying again at the next flush', { error }))
            .finally(() => (this.offsetFlush = null))
        }
      }
      await this.sendQueue.flushed()
    } catch (error) {
      if (signal.aborted && error instanceof SendAbandoned) return
      this.options.logger.error('task failed', { task: this.options.id, error })
      this.setState('FAILED', error)
      // What is still on its way gets its one attempt and no retries: Kafka may be what failed the task.
      this.abort.abort()
      await this.sendQueue.flushed().catch(() => {})
      await this.options.task.stop().catch(() => {})
    }
  }

  private async process(records: readonly SourceRecord[]): Promise<void> {
    const outgoing: SerializedRecord[] = []
    const sent: boolean[] = new Array<boolean>(records.length)
    /** Per record, how many of `outgoing` Kafka must have acknowledged before the record is committed. */
    const committableAfter = new Uint32Array(records.length)
    for (let i = 0; i < records.length; i++) {
      const prepared = this.prepare(records[i]!)
      // Only a converter that returns a promise, or a failure, costs an await: not every record of the hot path.
      const serialized = prepared instanceof Promise ? await prepared : prepared
      sent[i] = serialized !== null
      if (serialized !== null) outgoing.push(serialized)
      committableAfter[i] = outgoing.length
    }
    const { task } = this.options
    let committed = 0
    const commitAcknowledged = (acknowledged: number): void => {
      for (; committed < records.length && committableAfter[committed]! <= acknowledged; committed++) {
        const record = records[committed]!
        task.commitRecord?.(record, sent[committed] ? { topic: record.topic } : null)
        this.trackOffset(record)
      }
    }
    // Dead letters travel in the same acks=all batch: a bad message is acknowledged upstream only once Kafka has it too.
    // A poll too large for one produce request is committed request by request, as Kafka acknowledges each: upstream
    // acknowledgements then trail Kafka's by at most one request.
    await this.sendQueue.add({
      outgoing,
      onAcknowledged: commitAcknowledged,
      onSent: () => {
        commitAcknowledged(outgoing.length)
        const { activeTopics } = this.options
        if (activeTopics !== undefined) for (const { topic } of outgoing) activeTopics.used(topic)
        this.metrics.written(outgoing.length)
        this.metrics.sourceBatchDone?.(records.length, records.length - outgoing.length)
      },
    })
  }

  /**
   * The record as Kafka will store it; `null` when a transform dropped it or a tolerated error skipped it, or its
   * dead-letter copy (sent to the dead-letter topic instead).
   */
  private prepare(record: SourceRecord): SerializedRecord | null | Promise<SerializedRecord | null> {
    try {
      const serialized = this.transformAndSerialize(record)
      return serialized instanceof Promise ? serialized.catch((error: unknown) => this.recover(record, error)) : serialized
    } catch (error) {
      return this.recover(record, error)
    }
  }

  private transformAndSerialize(record: SourceRecord): SerializedRecord | null | Promise<SerializedRecord> {
    const transformed = this.options.chain.apply(record)
    return transformed === null ? null : serializeSourceRecord(transformed, this.options.converters)
  }

  /**
   * The first attempt failed: tried again as `errors.retry.*` allow when the failure is retriable (the retries start
   * with one more attempt at once), else tolerated or fatal as `errors.tolerance` says.
   */
  private async recover(record: SourceRecord, firstFailure: unknown): Promise<SerializedRecord | null> {
    const { errors } = this.options
    try {
      if (!errors.retries(firstFailure)) throw firstFailure
      return await errors.withRetries(() => this.transformAndSerialize(record))
    } catch (error) {
      const { deadLetter } = errors.tolerate(record, error)
      // Failures are the exception, so counting them one by one costs the hot path nothing.
      this.metrics.tolerated(1)
      return deadLetter
    }
  }

  /** Sends until Kafka acknowledged every record, telling `onAcknowledged` how many it has, from the first, as they land. */
  private async sendUntilAcknowledged(
    outgoing: readonly SerializedRecord[],
    signal: AbortSignal,
    onAcknowledged: (acknowledged: number) => void,
  ): Promise<void> {
    let acknowledged = 0
    let degraded = false
    // A send that Kafka leaves unanswered (a broker gone: the client waits out its request timeout before it even
    // fails) is an outage too: said after a few seconds rather than when the client finally gives up.
    const slow = setTimeout(() => {
      degraded = true
      this.options.reportDegraded('kafka', `Kafka has not acknowledged a batch for ${SLOW_SEND_MS / 1000} s`)
    }, SLOW_SEND_MS)
    try {
      await retry(
        async () => {
          const before = acknowledged
          await this.options.topicCreator?.prepare(outgoing)
          // After a failure, only what Kafka has not acknowledged yet goes again: no duplicates from the retry itself.
          await this.options.producer.send(before === 0 ? outgoing : outgoing.slice(before), (count) => {
            acknowledged = before + count
            onAcknowledged(acknowledged)
          })
        },
        {
          backoff: SEND_BACKOFF,
          signal,
          onRetry: (error, attempt, backoffMs) => {
            this.options.logger.warn('Kafka did not take the batch; retrying', { attempt, backoffMs, error })
            this.options.reportDegraded('kafka', `Kafka did not take the batch: ${error instanceof Error ? error.message : String(error)}`)
            degraded = true
          },
        },
      )
    } catch (error) {
      if (signal.aborted) throw new SendAbandoned()
      throw error
    } finally {
      clearTimeout(slow)
    }
    if (degraded) this.options.reportDegraded('kafka', null)
  }

  private trackOffset({ sourcePartition, sourceOffset }: SourceRecord): void {
    // Tasks usually reuse one partition object, so serialising it once per batch rather than per record is enough.
    if (sourcePartition !== this.lastPartition) {
      this.lastPartition = sourcePartition
      this.lastPartitionKey = JSON.stringify(sourcePartition)
    }
    this.pendingOffsets.set(this.lastPartitionKey, { partition: sourcePartition, offset: sourceOffset })
  }

  /** Writes the offsets tracked since the last flush, after the flush the loop started, if one is still running. */
  private async flushOffsets(): Promise<void> {
    // The loop's background flush is this very call until it returns its promise, so it never waits for itself.
    while (this.offsetFlush !== null) await this.offsetFlush
    this.lastFlushAt = Date.now()
    if (this.pendingOffsets.size === 0) return
    const entries = [...this.pendingOffsets]
    this.pendingOffsets.clear()
    const started = performance.now()
    try {
      await this.options.offsets.commit(this.options.id.connector, entries.map(([, entry]) => entry))
      this.metrics.offsetCommit(true, performance.now() - started)
    } catch (error) {
      this.metrics.offsetCommit(false, performance.now() - started)
      // Offsets tracked since supersede these; the others wait for the next flush.
      for (const [key, entry] of entries) if (!this.pendingOffsets.has(key)) this.pendingOffsets.set(key, entry)
      throw error
    }
  }

  private setState(state: RunnerState, error?: unknown): void {
    this.state = state
    this.options.onStateChange(state, error)
  }
}

/** The worker is stopping while Kafka is unreachable: the batch stays unacknowledged upstream and is redelivered. */
class SendAbandoned extends Error {}
