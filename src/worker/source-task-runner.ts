import type { SourceOffset, SourcePartition, SourceRecord } from '../data/record.ts'
import type { SerializedRecord } from '../kafka/record-producer.ts'
import { isRetriableSendError, type RecordProducer } from '../kafka/record-producer.ts'
import type { Logger } from '../logger.ts'
import type { ParsedConfig } from '../plugin/connector.ts'
import type { SourceTask, TaskId } from '../plugin/source-task.ts'
import type { PartitionOffset } from '../storage/offset-store.ts'
import type { DegradedArea } from './degraded-tasks.ts'
import type { RecordErrorHandler } from './error-handler.ts'
import { serializeSourceRecord, type RecordConverters } from './record-serializer.ts'
import type { TransformationChain } from './transformation-chain.ts'

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
  readonly producer: RecordProducer
  readonly offsets: SourceOffsetSink
  readonly errors: RecordErrorHandler
  readonly offsetFlushIntervalMs: number
  /** How the task, and this runner for Kafka, say what they cannot reach while the task stays RUNNING. */
  readonly reportDegraded: (area: DegradedArea, reason: string | null) => void
  readonly logger: Logger
  /** Told of every state change; `error` accompanies FAILED. */
  readonly onStateChange: (state: RunnerState, error?: unknown) => void
}

const MAX_SEND_BACKOFF_MS = 5_000

/**
 * Drives one source task: poll → transform → convert → send to Kafka (acks=all) → commitRecord, one batch at a time,
 * and writes source offsets every `offset.flush.interval.ms`. A record is committed back to the task only after
 * Kafka acknowledged it; that ordering is what makes the MQTT source lossless.
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
  private state: RunnerState = 'STOPPED'

  constructor(private readonly options: SourceTaskRunnerOptions) {}

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

  /** Stops polling, finishes the batch in flight, writes the last offsets, and releases the task and producer. */
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
        const records = await this.options.task.poll(signal)
        if (records.length > 0) await this.process(records, signal)
        if (Date.now() - this.lastFlushAt >= this.options.offsetFlushIntervalMs) await this.flushOffsets()
      }
    } catch (error) {
      if (signal.aborted && error instanceof SendAbandoned) return
      this.options.logger.error('task failed', { task: this.options.id, error })
      this.setState('FAILED', error)
      await this.options.task.stop().catch(() => {})
    }
  }

  private async process(records: readonly SourceRecord[], signal: AbortSignal): Promise<void> {
    const outgoing: SerializedRecord[] = []
    const sent: boolean[] = new Array<boolean>(records.length)
    for (let i = 0; i < records.length; i++) {
      const serialized = await this.prepare(records[i]!)
      sent[i] = serialized !== null
      if (serialized !== null) outgoing.push(serialized)
    }
    // Dead letters travel in the same acks=all batch: a bad message is acknowledged upstream only once Kafka has it too.
    await this.sendUntilAcknowledged(outgoing, signal)
    const { task } = this.options
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!
      task.commitRecord?.(record, sent[i] ? { topic: record.topic } : null)
      this.trackOffset(record)
    }
  }

  /**
   * The record as Kafka will store it; `null` when a transform dropped it or a tolerated error skipped it, or its
   * dead-letter copy (sent to the dead-letter topic instead).
   */
  private async prepare(record: SourceRecord): Promise<SerializedRecord | null> {
    const { chain, converters, errors } = this.options
    try {
      return await errors.withRetries(() => {
        const transformed = chain.apply(record)
        return transformed === null ? null : serializeSourceRecord(transformed, converters)
      })
    } catch (error) {
      return errors.tolerate(record, error).deadLetter
    }
  }

  private async sendUntilAcknowledged(outgoing: readonly SerializedRecord[], signal: AbortSignal): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.producer.send(outgoing)
        return
      } catch (error) {
        if (!isRetriableSendError(error)) throw error
        if (signal.aborted) throw new SendAbandoned()
        const backoffMs = Math.min(MAX_SEND_BACKOFF_MS, 100 * 2 ** attempt)
        this.options.logger.warn('Kafka did not take the batch; retrying', { attempt, backoffMs, error })
        await new Promise((resolve) => setTimeout(resolve, backoffMs))
      }
    }
  }

  private trackOffset({ sourcePartition, sourceOffset }: SourceRecord): void {
    // Tasks usually reuse one partition object, so serialising it once per batch rather than per record is enough.
    if (sourcePartition !== this.lastPartition) {
      this.lastPartition = sourcePartition
      this.lastPartitionKey = JSON.stringify(sourcePartition)
    }
    this.pendingOffsets.set(this.lastPartitionKey, { partition: sourcePartition, offset: sourceOffset })
  }

  private async flushOffsets(): Promise<void> {
    this.lastFlushAt = Date.now()
    if (this.pendingOffsets.size === 0) return
    const entries = [...this.pendingOffsets.values()]
    this.pendingOffsets.clear()
    await this.options.offsets.commit(this.options.id.connector, entries)
  }

  private setState(state: RunnerState, error?: unknown): void {
    this.state = state
    this.options.onStateChange(state, error)
  }
}

/** The worker is stopping while Kafka is unreachable: the batch stays unacknowledged upstream and is redelivered. */
class SendAbandoned extends Error {}
