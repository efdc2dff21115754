/**
 * What a task runner tells whoever counts (the metrics endpoint to come), once per batch and never per record, so
 * that counting costs nothing measurable on the hot path. Kafka Connect's task metrics are derived from these.
 */
export interface TaskMetrics {
  /** A source poll returned `count` records after `durationMs`. */
  polled(count: number, durationMs?: number): void
  /** Kafka acknowledged `count` more records of a source task (dead letters included). */
  written(count: number): void
  /** A sink task was handed `count` records read from Kafka. */
  read(count: number): void
  /** A sink task's put() took `count` records in `durationMs`. */
  put(count: number, durationMs: number): void
  /** An offset commit ended after `durationMs`: `succeeded`, or not. */
  offsetCommit(succeeded: boolean, durationMs: number): void
  /** `count` records failed a stage and were tolerated: skipped, or sent to the dead-letter topic. */
  tolerated(count: number): void
  /** A source batch is done: `committed` records went back to the task's commitRecord, `dropped` of them never reached Kafka. */
  sourceBatchDone?(committed: number, dropped: number): void
  /** A sink task's slice from `topic`-`partition` was handled up to `nextOffset`; the partition's end was `highWatermark`. */
  sinkProgress?(topic: string, partition: number, firstOffset: bigint, nextOffset: bigint, highWatermark: bigint | null): void
  /** A sink task's offsets reached Kafka. */
  sinkCommitted?(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: bigint }[]): void
  /** After a rebalance, the partitions a sink task owns now. */
  sinkAssigned?(partitions: readonly { readonly topic: string; readonly partition: number }[]): void
  /** Writing `count` dead letters failed. */
  deadLetterFailed?(count: number): void
}

/** Counts nothing: what a runner reports to when nobody listens. */
export const NO_TASK_METRICS: TaskMetrics = Object.freeze({
  polled: () => {},
  written: () => {},
  read: () => {},
  put: () => {},
  offsetCommit: () => {},
  tolerated: () => {},
})
