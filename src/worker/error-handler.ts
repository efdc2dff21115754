import type { ConnectRecord } from '../data/record.ts'
import type { SerializedRecord } from '../kafka/record-producer.ts'
import type { Logger } from '../logger.ts'
import type { TaskId } from '../plugin/source-task.ts'
import { ConnectError } from '../plugin/errors.ts'
import { isRetriable, retry } from '../plugin/retry.ts'

const RETRY_INITIAL_MS = 300

/** Where in the pipeline a record failed, in Kafka Connect's words (`__connect.errors.stage`). */
export type ErrorStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION'

/** A record-level failure that knows its stage and the class that failed. */
export class StageError extends ConnectError {
  constructor(
    readonly stage: ErrorStage,
    readonly className: string,
    cause: unknown,
  ) {
    super(`${stage} failed in ${className}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

export interface ErrorHandlingConfig {
  readonly tolerance: 'none' | 'all'
  /** 0: no retries; -1: retry forever. Only retriable errors are retried. */
  readonly retryTimeoutMs: number
  readonly retryDelayMaxMs: number
  readonly log: boolean
  readonly logRecords: boolean
  /** `null` when no dead-letter topic is configured. */
  readonly deadLetterTopic: string | null
  readonly contextHeaders: boolean
}

/** What became of a record that failed: nothing further (skipped), or this record for the dead-letter topic. */
export type ToleratedFailure = { readonly deadLetter: SerializedRecord | null }

const HEADER = '__connect.errors.'

/**
 * Kafka Connect's RetryWithToleranceOperator and dead-letter reporter for one task: retries retriable failures
 * within `errors.retry.timeout`, then either fails the task (`errors.tolerance=none`) or tolerates the record,
 * logging it and building its dead-letter copy with the `__connect.errors.*` context headers.
 */
export class RecordErrorHandler {
  private readonly encoder = new TextEncoder()

  constructor(
    private readonly config: ErrorHandlingConfig,
    private readonly taskId: TaskId,
    private readonly logger: Logger,
  ) {}

  /** Runs `operation`, retrying it as configured; a retriable failure that persists is handled like any other. */
  async withRetries<T>(operation: () => T | Promise<T>): Promise<T> {
    const { retryTimeoutMs, retryDelayMaxMs } = this.config
    // Kafka Connect's RetryWithToleranceOperator waits 300 ms, then doubles up to errors.retry.delay.max.ms.
    return retry(operation, { backoff: { initialMs: RETRY_INITIAL_MS, maxMs: retryDelayMaxMs }, timeoutMs: retryTimeoutMs })
  }

  /** Whether `withRetries` would try again after `error`: a retriable failure, and `errors.retry.timeout` not 0. */
  retries(error: unknown): boolean {
    return this.config.retryTimeoutMs !== 0 && isRetriable(error)
  }

  /** Throws when the failure is not tolerated; otherwise logs it and returns the dead-letter record, if any. */
  tolerate(record: ConnectRecord, error: unknown): ToleratedFailure {
    if (this.config.tolerance === 'none') {
      throw new ConnectError('Tolerance exceeded in error handler', { cause: error })
    }
    if (this.config.log) {
      this.logger.warn('tolerated a record that failed', {
        stage: error instanceof StageError ? error.stage : undefined,
        error,
        ...(this.config.logRecords ? { record } : {}),
      })
    }
    return { deadLetter: this.config.deadLetterTopic === null ? null : this.deadLetterRecord(this.config.deadLetterTopic, record, error) }
  }

  /** The record as it arrived, before any transformation, with the error described in headers when enabled. */
  private deadLetterRecord(topic: string, record: ConnectRecord, error: unknown): SerializedRecord {
    const headers: (readonly [string, Buffer | null])[] = record.headers.map(({ key, value }) => [key, this.bytes(value)] as const)
    if (this.config.contextHeaders) {
      const cause = error instanceof StageError ? error.cause : error
      const context: Record<string, string> = {
        topic: record.topic,
        'connector.name': this.taskId.connector,
        'task.id': String(this.taskId.task),
        stage: error instanceof StageError ? error.stage : 'TRANSFORMATION',
        'class.name': error instanceof StageError ? error.className : 'unknown',
        'exception.class.name': cause instanceof Error ? cause.name : typeof cause,
        'exception.message': cause instanceof Error ? cause.message : String(cause),
        'exception.stacktrace': cause instanceof Error ? (cause.stack ?? cause.message) : String(cause),
      }
      for (const [name, value] of Object.entries(context)) headers.push([`${HEADER}${name}`, Buffer.from(value, 'utf8')])
    }
    return { topic, partition: null, key: this.bytes(record.key), value: this.bytes(record.value), timestamp: record.timestamp, headers }
  }

  /** Bytes stay bytes and text stays text; anything else is written as JSON so a person can read it. */
  private bytes(value: unknown): Buffer | null {
    if (value === null || value === undefined) return null
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    if (typeof value === 'string') return Buffer.from(this.encoder.encode(value))
    return Buffer.from(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)), 'utf8')
  }
}
