import type { SourceOffset, SourcePartition, SourceRecord } from '../data/record.ts'
import type { TaskConfig } from './connector.ts'
import type { TaskLogger, TaskMetricsRegistry } from './metrics.ts'

export interface TaskId {
  readonly connector: string
  readonly task: number
}

/** What Kafka confirmed about a record the task produced. */
export interface RecordMetadata {
  readonly topic: string
}

/**
 * Tells the runtime that the task is still RUNNING but cannot reach the system it reads from or writes to right now
 * (`reason`, in words for an operator), or, with `null`, that it can again. Shown on GET /health; never a state change.
 */
export type DegradedReporter = (reason: string | null) => void

export interface SourceTaskContext {
  readonly taskId: TaskId
  readonly reportDegraded: DegradedReporter
  /** Where the task counts what only it sees; absent when nobody counts (use `NO_METRICS`). */
  readonly metrics?: TaskMetricsRegistry
  /** The task's log, named after its connector class; absent in tests (use `NO_LOGGER`). */
  readonly logger?: TaskLogger
  /** The last offset committed for `partition` before this task started, or `null` if none. */
  offsetOf(partition: SourcePartition): SourceOffset | null
}

/**
 * A pull-based source task. The runtime calls `poll()` in a loop, sends what it returns to Kafka, and reports each
 * record back through `commitRecord()` once Kafka has it.
 */
export interface SourceTask<C = TaskConfig> {
  /** `config` is the task config as the connector's `taskConfig` (or `config`) schema parsed it: typed, validated. */
  start(config: C, context: SourceTaskContext): Promise<void>
  /** The records buffered now, or `[]` after a short wait; resolves promptly once `signal` aborts. */
  poll(signal: AbortSignal): Promise<readonly SourceRecord[]>
  /**
   * Kafka acknowledged `record` with acks=all (`metadata` set), or a transform dropped it (`metadata` null).
   * Called in the order `poll()` returned the records. Acknowledge upstream here, never earlier.
   */
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): void
  /** Releases what `start()` acquired. Records polled but never committed must stay unacknowledged upstream. */
  stop(): Promise<void>
}
