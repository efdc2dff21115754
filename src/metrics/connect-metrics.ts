import { collectDefaultMetrics, Registry } from 'prom-client'
import type { ConnectorStateInfo } from '../herder/types.ts'
import type { TaskId } from '../plugin/source-task.ts'
import { connectMetricName, consumerMetricName, OWN_METRIC_PREFIX, type ConnectMetricGroup } from './metric-names.ts'
import { PluginFamily, TaskInstruments, type PluginFamilies } from './plugin-instruments.ts'
import { registerFamily, ScrapedFamily, type Labels, type MetricKind, type MetricSample } from './scraped-family.ts'
import { TaskRecorder } from './task-recorder.ts'
import { WorkerCounters } from './worker-counters.ts'

/** What the status gauges are read from at scrape time: the herder, so that they always agree with `/status`. */
export interface StatusSource {
  connectorNames(): string[]
  connectorStatus(name: string): ConnectorStateInfo
}

/** Kafka Connect's states as its `status` metrics spell them. */
const CONNECTOR_STATES = ['unassigned', 'running', 'paused', 'stopped', 'failed', 'restarting'] as const
const TASK_STATES = ['unassigned', 'running', 'paused', 'failed', 'restarting', 'destroyed'] as const

/**
 * Every metric the worker exposes on `/metrics`: Kafka Connect's, named as the Prometheus JMX exporter names them,
 * and this worker's own under {@link OWN_METRIC_PREFIX}. All of them are computed when scraped, from counters the
 * task runners bump once per batch, the plugins' instruments and the herder's statuses.
 */
export class ConnectMetrics implements PluginFamilies {
  readonly registry = new Registry()
  readonly worker = new WorkerCounters()
  private readonly tasks = new Map<string, { readonly recorder: TaskRecorder; readonly instruments: TaskInstruments }>()
  private readonly pluginFamilies = new Map<string, PluginFamily>()
  private statuses: { readonly source: StatusSource; readonly workerId: string } | null = null

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry })
    this.defineTaskFamilies()
    this.defineStatusFamilies()
    this.defineWorkerFamilies()
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  /** Reads connector and task states from `source`, counting those this worker (`workerId`) runs. */
  observeStatuses(source: StatusSource, workerId: string): void {
    this.statuses = { source, workerId }
  }

  /**
   * Starts counting one task: the runner reports to `recorder`, the plugin to `instruments`. A task started again
   * under the same id starts from zero, as a new Kafka Connect task's metrics do.
   */
  addTask(id: TaskId, type: 'source' | 'sink', hasDeadLetterQueue: boolean): { recorder: TaskRecorder; instruments: TaskInstruments } {
    this.removeTask(id)
    const entry = { recorder: new TaskRecorder(id.connector, id.task, type, hasDeadLetterQueue), instruments: new TaskInstruments(this, id.connector, id.task) }
    this.tasks.set(taskKey(id), entry)
    return entry
  }

  /** The task stopped: its series go with it. */
  removeTask(id: TaskId): void {
    const entry = this.tasks.get(taskKey(id))
    if (entry === undefined) return
    entry.instruments.forget()
    this.tasks.delete(taskKey(id))
  }

  family(name: string, help: string, kind: MetricKind, labelNames: readonly string[], buckets: readonly number[]): PluginFamily {
    const existing = this.pluginFamilies.get(name)
    if (existing !== undefined) {
      if (existing.kind !== kind || existing.labelNames.join() !== labelNames.join()) {
        throw new Error(`Metric ${name} is already declared as a ${existing.kind} with labels [${existing.labelNames.join(', ')}]`)
      }
      return existing
    }
    if (this.registry.getSingleMetric(name) !== undefined) throw new Error(`Metric ${name} is the worker's own; a plugin cannot declare it`)
    const family = new PluginFamily(name, help, kind, labelNames, kind === 'histogram' ? [...buckets].sort((a, b) => a - b) : [])
    this.pluginFamilies.set(name, family)
    registerFamily(this.registry, new ScrapedFamily(name, help, kind, () => family.samples()))
    return family
  }

  private define(name: string, help: string, kind: MetricKind, read: () => Iterable<MetricSample>): void {
    registerFamily(this.registry, new ScrapedFamily(name, help, kind, read))
  }

  /** One sample per task of `type` (or of both), labelled with its connector and task. */
  private perTask(group: ConnectMetricGroup, attribute: string, help: string, kind: MetricKind, type: 'source' | 'sink' | 'any', value: (task: TaskRecorder, now: number) => number): void {
    this.define(connectMetricName(group, attribute), help, kind, () => {
      const now = Date.now()
      const samples: MetricSample[] = []
      for (const { recorder } of this.tasks.values()) {
        if (type === 'any' || recorder.type === type) samples.push({ labels: taskLabels(recorder), value: value(recorder, now) })
      }
      return samples
    })
  }

  private defineTaskFamilies(): void {
    const source = (attribute: string, help: string, kind: MetricKind, value: (task: TaskRecorder, now: number) => number) =>
      this.perTask('source-task-metrics', attribute, help, kind, 'source', value)
    source('source-record-poll-total', 'The number of records produced/polled (before transformation) by this task.', 'counter', (t) => t.polledTotal)
    source('source-record-poll-rate', 'The average per-second number of records produced/polled (before transformation) by this task.', 'gauge', (t, now) => t.pollRate.ratePerSecond(now))
    source('source-record-write-total', 'The number of records output from the transformations and written to Kafka for this task.', 'counter', (t) => t.writtenTotal)
    source('source-record-write-rate', 'The average per-second number of records written to Kafka for this task.', 'gauge', (t, now) => t.writeRate.ratePerSecond(now))
    source('source-record-active-count', 'The number of records polled by the task but not yet completely written to Kafka.', 'gauge', (t) => t.activeCount())
    source('poll-batch-avg-time-ms', 'The average time in milliseconds taken by this task to poll for a batch of source records.', 'gauge', (t, now) => t.pollBatchTime.average(now))
    source('poll-batch-max-time-ms', 'The maximum time in milliseconds taken by this task to poll for a batch of source records.', 'gauge', (t, now) => t.pollBatchTime.maximum(now))

    const sink = (attribute: string, help: string, kind: MetricKind, value: (task: TaskRecorder, now: number) => number) =>
      this.perTask('sink-task-metrics', attribute, help, kind, 'sink', value)
    sink('sink-record-read-total', 'The total number of records read from Kafka by this task.', 'counter', (t) => t.readTotal)
    sink('sink-record-read-rate', 'The average per-second number of records read from Kafka for this task.', 'gauge', (t, now) => t.readRate.ratePerSecond(now))
    sink('sink-record-send-total', 'The total number of records output from the transformations and sent/put to this task.', 'counter', (t) => t.sentTotal)
    sink('sink-record-send-rate', 'The average per-second number of records sent/put to this task.', 'gauge', (t, now) => t.sendRate.ratePerSecond(now))
    sink('sink-record-active-count', 'The number of records read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.', 'gauge', (t) => t.activeCount())
    sink('sink-record-lag-max', 'The maximum lag in terms of number of records that the sink task is behind the consumer position for any topic partition.', 'gauge', (t) => maxLag(t))
    sink('partition-count', 'The number of topic partitions assigned to this task.', 'gauge', (t) => t.partitions.size)
    sink('put-batch-avg-time-ms', 'The average time taken by this task to put a batch of sinks records.', 'gauge', (t, now) => t.putBatchTime.average(now))
    sink('put-batch-max-time-ms', 'The maximum time taken by this task to put a batch of sinks records.', 'gauge', (t, now) => t.putBatchTime.maximum(now))
    sink('offset-commit-completion-total', 'The total number of offset commit completions that were completed successfully.', 'counter', (t) => t.commitSuccesses)

    const task = (attribute: string, help: string, kind: MetricKind, value: (task: TaskRecorder, now: number) => number) =>
      this.perTask('connector-task-metrics', attribute, help, kind, 'any', value)
    task('offset-commit-avg-time-ms', 'The average time in milliseconds taken by this task to commit offsets.', 'gauge', (t, now) => t.commitTime.average(now))
    task('offset-commit-max-time-ms', 'The maximum time in milliseconds taken by this task to commit offsets.', 'gauge', (t, now) => t.commitTime.maximum(now))
    task('offset-commit-success-percentage', "The average percentage of this task's offset commit attempts that succeeded.", 'gauge', (t, now) => t.commitOutcome.average(now))
    task('offset-commit-failure-percentage', "The average percentage of this task's offset commit attempts that failed or had an error.", 'gauge', (t, now) => 1 - t.commitOutcome.average(now))
    // Not in Kafka Connect, which has only the percentages above; named as its neighbours so that a board finds them.
    task('offset-commit-success-total', 'The number of offset commits of this task that succeeded.', 'counter', (t) => t.commitSuccesses)
    task('offset-commit-failure-total', 'The number of offset commits of this task that failed.', 'counter', (t) => t.commitFailures)

    const errors = (attribute: string, help: string, kind: MetricKind, value: (task: TaskRecorder) => number) =>
      this.perTask('task-error-metrics', attribute, help, kind, 'any', value)
    errors('total-record-errors', 'The number of record processing errors in this task.', 'counter', (t) => t.recordErrors)
    errors('total-record-failures', 'The number of record processing failures in this task.', 'counter', (t) => t.recordErrors)
    errors('total-records-skipped', 'The number of records skipped due to errors.', 'counter', (t) => t.recordsSkipped)
    errors('deadletterqueue-produce-requests', 'The number of attempted writes to the dead letter queue.', 'counter', (t) => t.deadLetterRequests)
    errors('deadletterqueue-produce-failures', 'The number of failed writes to the dead letter queue.', 'counter', (t) => t.deadLetterFailures)
    errors('last-error-timestamp', 'The epoch timestamp when this task last encountered an error, in milliseconds.', 'gauge', (t) => t.lastErrorTimestamp)

    this.define(`${OWN_METRIC_PREFIX}task_records_committed_total`, 'Source: records committed back to the task (the MQTT acknowledgement released). Sink: records whose offsets Kafka committed.', 'counter', () =>
      [...this.tasks.values()].map(({ recorder }) => ({ labels: taskLabels(recorder), value: recorder.committedTotal })),
    )
    this.define(consumerMetricName('consumer-fetch-manager-metrics', 'records-lag'), "The sink task's lag per partition: the partition's end minus the task's position, as of the last fetch.", 'gauge', () =>
      this.sinkTasks().flatMap((recorder) =>
        recorder.lag().map(({ topic, partition, lag }) => ({ labels: { ...consumerLabels(recorder), topic, partition: String(partition) }, value: lag })),
      ),
    )
    this.define(consumerMetricName('consumer-fetch-manager-metrics', 'records-lag-max'), 'The largest lag of any partition of the sink task.', 'gauge', () =>
      this.sinkTasks().map((recorder) => ({ labels: consumerLabels(recorder), value: maxLag(recorder) })),
    )
  }

  private defineStatusFamilies(): void {
    this.define(connectMetricName('connector-metrics', 'status'), 'The status of the connector: 1 for its current state, 0 for the others.', 'gauge', () =>
      this.connectorStatuses().flatMap(({ name, connector }) =>
        CONNECTOR_STATES.map((state) => ({ labels: { connector: name, status: state }, value: connector.state.toLowerCase() === state ? 1 : 0 })),
      ),
    )
    this.define(connectMetricName('connector-task-metrics', 'status'), 'The status of the connector task: 1 for its current state, 0 for the others.', 'gauge', () =>
      this.connectorStatuses().flatMap(({ name, tasks }) =>
        this.ownTasks(tasks).flatMap((task) => TASK_STATES.map((state) => ({ labels: { connector: name, task: String(task.id), status: state }, value: task.state.toLowerCase() === state ? 1 : 0 }))),
      ),
    )
    const taskCount = (attribute: string, help: string, state: string | null) =>
      this.define(connectMetricName('connect-worker-metrics', attribute), help, 'gauge', () =>
        this.connectorStatuses().map(({ name, tasks }) => ({
          labels: { connector: name },
          value: this.ownTasks(tasks).filter((task) => state === null || task.state.toLowerCase() === state).length,
        })),
      )
    taskCount('connector-total-task-count', 'The number of tasks of the connector on the worker.', null)
    for (const state of ['running', 'paused', 'failed', 'unassigned', 'destroyed', 'restarting']) {
      taskCount(`connector-${state}-task-count`, `The number of ${state} tasks of the connector on the worker.`, state)
    }
    this.define(connectMetricName('connect-worker-metrics', 'connector-count'), 'The number of connectors run in this worker.', 'gauge', () => [
      { labels: {}, value: this.connectorStatuses().filter(({ connector }) => this.isOwn(connector.worker_id)).length },
    ])
    this.define(connectMetricName('connect-worker-metrics', 'task-count'), 'The number of tasks run in this worker.', 'gauge', () => [
      { labels: {}, value: this.connectorStatuses().reduce((sum, { tasks }) => sum + this.ownTasks(tasks).length, 0) },
    ])
  }

  private defineWorkerFamilies(): void {
    const worker = (attribute: string, help: string, kind: MetricKind, value: () => number) =>
      this.define(connectMetricName('connect-worker-metrics', attribute), help, kind, () => [{ labels: {}, value: value() }])
    const { worker: counts } = this
    for (const kind of ['connector', 'task'] as const) {
      const startups = counts[kind === 'connector' ? 'connectorStartups' : 'taskStartups']
      worker(`${kind}-startup-attempts-total`, `The total number of ${kind} startups that this worker has attempted.`, 'counter', () => startups.attempts)
      worker(`${kind}-startup-success-total`, `The total number of ${kind} starts that succeeded.`, 'counter', () => startups.successes)
      worker(`${kind}-startup-failure-total`, `The total number of ${kind} starts that failed.`, 'counter', () => startups.failures)
      worker(`${kind}-startup-success-percentage`, `The average percentage of this worker's ${kind}s starts that succeeded.`, 'gauge', () => startups.successRatio())
      worker(`${kind}-startup-failure-percentage`, `The average percentage of this worker's ${kind}s starts that failed.`, 'gauge', () => startups.failureRatio())
    }
    const rebalance = (attribute: string, help: string, kind: MetricKind, value: (now: number) => number) =>
      this.define(connectMetricName('connect-worker-rebalance-metrics', attribute), help, kind, () => [{ labels: {}, value: value(Date.now()) }])
    const { rebalances } = counts
    rebalance('completed-rebalances-total', 'The total number of rebalances completed by this worker.', 'counter', () => rebalances.completed)
    rebalance('rebalancing', 'Whether this worker is currently rebalancing.', 'gauge', () => (rebalances.inProgress ? 1 : 0))
    rebalance('epoch', 'The epoch or generation number of this worker.', 'gauge', () => rebalances.epoch)
    rebalance('rebalance-avg-time-ms', 'The average time in milliseconds spent by this worker to rebalance.', 'gauge', (now) => rebalances.durations.average(now))
    rebalance('rebalance-max-time-ms', 'The maximum time in milliseconds spent by this worker to rebalance.', 'gauge', (now) => rebalances.durations.maximum(now))
    rebalance('time-since-last-rebalance-ms', 'The time in milliseconds since this worker completed the most recent rebalance.', 'gauge', (now) =>
      rebalances.lastCompletedAt === null ? -1 : now - rebalances.lastCompletedAt,
    )
  }

  private sinkTasks(): TaskRecorder[] {
    return [...this.tasks.values()].map(({ recorder }) => recorder).filter((recorder) => recorder.type === 'sink')
  }

  private connectorStatuses(): ConnectorStateInfo[] {
    if (this.statuses === null) return []
    const { source } = this.statuses
    const result: ConnectorStateInfo[] = []
    for (const name of source.connectorNames()) {
      try {
        result.push(source.connectorStatus(name))
      } catch {
        // Deleted between the two calls: it has no status any more.
      }
    }
    return result
  }

  private ownTasks<T extends { readonly worker_id: string }>(tasks: readonly T[]): T[] {
    return tasks.filter((task) => this.isOwn(task.worker_id))
  }

  /** As Kafka Connect's, the per-worker metrics count what this worker runs; an unassigned one is nobody's yet. */
  private isOwn(workerId: string): boolean {
    return this.statuses === null || workerId === '' || workerId === this.statuses.workerId
  }
}

const taskKey = ({ connector, task }: TaskId): string => `${connector}\u0000${task}`

const taskLabels = (recorder: TaskRecorder): Labels => ({ connector: recorder.connector, task: String(recorder.task) })

/** Kafka Connect names a sink task's consumer `connector-consumer-<connector>-<task>`. */
const consumerLabels = (recorder: TaskRecorder): Labels => ({ client_id: `connector-consumer-${recorder.connector}-${recorder.task}`, ...taskLabels(recorder) })

const maxLag = (recorder: TaskRecorder): number => recorder.lag().reduce((max, { lag }) => Math.max(max, lag), 0)
