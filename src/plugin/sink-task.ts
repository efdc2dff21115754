import type { SinkRecord } from '../data/record.ts'
import type { TaskConfig } from './connector.ts'
import type { DegradedReporter, TaskId } from './source-task.ts'
import type { TaskLogger, TaskMetricsRegistry } from './metrics.ts'

export interface TopicPartitionOffset {
  readonly topic: string
  readonly partition: number
  /** The next offset to consume, as Kafka commits it. */
  readonly offset: bigint
}

export interface SinkTaskContext {
  readonly taskId: TaskId
  readonly reportDegraded: DegradedReporter
  /** Where the task counts what only it sees; absent when nobody counts (use `NO_METRICS`). */
  readonly metrics?: TaskMetricsRegistry
  /** Absent when the runtime gives the task no log (some tests). Not for per-record lines. */
  readonly logger?: TaskLogger
}

/** A sink task receives batches from the worker's Kafka consumer. */
export interface SinkTask<C = TaskConfig> {
  /** `config` is the task config as the connector's `taskConfig` (or `config`) schema parsed it: typed, validated. */
  start(config: C, context: SinkTaskContext): Promise<void>
  put(records: readonly SinkRecord[]): Promise<void>
  /**
   * Makes everything `put()` received before this call durable downstream; the worker commits `offsets` only after
   * this resolves. `put()` may be called again before it resolves: what that adds is not this flush's to wait for.
   */
  flush(offsets: readonly TopicPartitionOffset[]): Promise<void>
  stop(): Promise<void>
}
