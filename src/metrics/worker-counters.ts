import { SampledWindow } from './sampled-window.ts'

/** Startups of connectors or tasks, as Kafka Connect's connect-worker-metrics count them. */
export class StartupCounts {
  attempts = 0
  successes = 0
  failures = 0

  started(): void {
    this.attempts++
    this.successes++
  }

  failed(): void {
    this.attempts++
    this.failures++
  }

  successRatio(): number {
    return this.attempts === 0 ? 0 : this.successes / this.attempts
  }

  failureRatio(): number {
    return this.attempts === 0 ? 0 : this.failures / this.attempts
  }
}

/** Rebalances of the worker's group, as Kafka Connect's connect-worker-rebalance-metrics describe them. */
export class RebalanceCounts {
  completed = 0
  inProgress = false
  epoch = 0
  lastCompletedAt: number | null = null
  readonly durations = new SampledWindow()

  /** The worker left its assignment to rejoin the group. */
  rebalanceStarted(): void {
    this.inProgress = true
  }

  /** The worker joined generation `epoch` and runs its new assignment; the rebalance took `durationMs`. */
  rebalanced(durationMs: number, epoch: number = this.epoch): void {
    const now = Date.now()
    this.inProgress = false
    this.completed++
    this.epoch = epoch
    this.lastCompletedAt = now
    this.durations.record(durationMs, now)
  }
}

/** What the worker and herder report about themselves; the rest of `/metrics` comes from tasks and statuses. */
export class WorkerCounters {
  readonly connectorStartups = new StartupCounts()
  readonly taskStartups = new StartupCounts()
  readonly rebalances = new RebalanceCounts()
}
