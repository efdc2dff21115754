/**
 * What a task runner tells whoever counts (the metrics endpoint to come), once per batch and never per record, so
 * that counting costs nothing measurable on the hot path. Kafka Connect's task metrics are derived from these.
 */
export interface TaskMetrics {
  /** A source poll returned `count` records. */
  polled(count: number): void
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
