import type { KafkaClient } from '../kafka/kafka-client.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorPlugin, TaskConfig } from '../plugin/connector.ts'
import { parseConfig } from '../plugin/config.ts'
import { commonConnectorConfigSchema, type CommonConnectorConfig } from '../config/connector-config.ts'
import { ConfigError, ConnectError } from '../plugin/errors.ts'
import { parseTaskConfig } from '../config/task-config.ts'
import { settlesWithin } from './settles-within.ts'
import { DegradedTasks, type DegradedArea, type DegradedTaskInfo } from './degraded-tasks.ts'
import { RecordErrorHandler, type ErrorHandlingConfig } from './error-handler.ts'
import type { WorkerConfig } from '../config/worker-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { OffsetStore } from '../storage/offset-store.ts'
import type { StatusStore, TaskState } from '../storage/status-store.ts'
import { createRecordConverters } from './converters.ts'
import { errorTrace } from './error-trace.ts'
import { clientOverrideProblems } from '../config/client-overrides.ts'
import type { KafkaConnection } from '../config/kafka-client-config.ts'
import { adminConnection, clientOverrideContext, consumerSettings, producerSettings } from '../config/worker-kafka-clients.ts'
import { noConfigProviders, type ConfigProviders } from '../config/config-providers.ts'
import { redactingLogger, redactorOf, secretValuesOf, type Redact } from '../config/redact.ts'
import { describeConfig } from '../config/describe.ts'
import { SinkTaskRunner, sinkConsumerGroupId } from './sink-task-runner.ts'
import { sinkSubscription } from '../config/sink-subscription.ts'
import { SourceTaskRunner, type RunnerState, type SourceTaskRunnerOptions } from './source-task-runner.ts'
import type { ConnectMetrics } from '../metrics/connect-metrics.ts'
import { LOGGER_NAMES } from '../logging/logger-names.ts'
import { NO_METRICS } from '../plugin/metrics.ts'
import type { TaskId } from '../plugin/source-task.ts'
import { buildTransformationChain } from './transformation-chain.ts'
import { ActiveTopicRecorder, NO_ACTIVE_TOPICS, type ActiveTopics } from './active-topics.ts'
import { TopicCreator } from './topic-creator.ts'
import { parseTopicCreation } from '../config/topic-creation-config.ts'
import { consumerMetadataMaxAgeMs } from '../config/metadata-max-age.ts'

interface RunningTask {
  readonly runner: SourceTaskRunner | SinkTaskRunner
}

type RawConfig = Readonly<Record<string, string>>

export interface WorkerDependencies {
  readonly kafka: KafkaClient
  readonly registry: PluginRegistry
  readonly config: WorkerConfig
  readonly offsets: OffsetStore
  readonly statuses: StatusStore
  readonly logger: Logger
  /** Where tasks are counted for `/metrics`; nothing is counted when absent. */
  readonly metrics?: ConnectMetrics
  /** Resolve `${file:…}`-style placeholders of connector and task configs as each task starts; none when absent. */
  readonly configProviders?: ConfigProviders
}

/**
 * Runs tasks on this worker process and reports their states to the status topic. It decides nothing about which
 * connectors should run: the herder tells it. Starting and stopping a task never blocks the caller for longer than
 * `task.shutdown.graceful.timeout.ms`: a task runs its start in the background, as Kafka Connect's executor does, so
 * one connector whose broker never answers cannot hold up the herder, the REST API or any other connector.
 */
export class Worker {
  /** connector → task id → running task */
  private readonly tasks = new Map<string, Map<number, RunningTask>>()
  private readonly statusWrites = new Set<Promise<void>>()
  private readonly degraded = new DegradedTasks()
  /** Per connector, what hides its secrets (passwords, resolved placeholders) in the traces its tasks report. */
  private readonly redactions = new Map<string, Redact>()

  /** The group generation whose assignment this worker runs, written with every status as Kafka Connect does. */
  generation = 0

  constructor(private readonly deps: WorkerDependencies) {}

  get workerId(): string {
    return this.deps.config.workerId
  }

  /** The tasks on this worker that run but cannot reach something they need right now. */
  degradedTasks(): DegradedTaskInfo[] {
    return this.degraded.list()
  }

  runningTaskIds(connector: string): number[] {
    return [...(this.tasks.get(connector)?.keys() ?? [])]
  }

  /**
   * Creates one task and starts it in the background: returns at once. A task that cannot be created, fails to
   * start, or does not start within `task.start.timeout.ms` is reported FAILED with its trace rather than thrown.
   */
  startTask(plugin: ConnectorPlugin, connectorConfig: RawConfig, connector: string, taskId: number, taskConfig: TaskConfig, paused: boolean): void {
    const isSecretKey = passwordKeysOf(plugin)
    let redact = redactorOf(secretValuesOf({ ...connectorConfig, ...taskConfig }, isSecretKey))
    let logger = redactingLogger(this.deps.logger.child({ connector, task: taskId }), redact)
    this.redactions.set(connector, redact)
    let runner: SourceTaskRunner | SinkTaskRunner
    let deadLetterTopic: string
    let deadLetterReplication: number
    let deadLetterAdmin: KafkaConnection | undefined
    try {
      // Placeholders are resolved here and only here: the config topic, the herder and the REST API keep them.
      const providers = this.deps.configProviders ?? noConfigProviders
      const resolvedConnector = providers.resolve(connectorConfig)
      const resolvedTask = providers.resolve(taskConfig)
      redact = redactorOf([
        ...secretValuesOf({ ...resolvedConnector.values, ...resolvedTask.values }, isSecretKey),
        ...resolvedConnector.secrets,
        ...resolvedTask.secrets,
      ])
      logger = redactingLogger(this.deps.logger.child({ connector, task: taskId }), redact)
      this.redactions.set(connector, redact)
      const common = parseConfig(commonConnectorConfigSchema, resolvedConnector.values)
      if (!common.ok) throw new Error(common.problems.map(({ message }) => message).join('\n'))
      runner = this.createRunner(plugin, resolvedConnector.values, common.value, connector, taskId, resolvedTask.values, logger, redact)
      deadLetterTopic = common.value['errors.deadletterqueue.topic.name']
      deadLetterReplication = common.value['errors.deadletterqueue.topic.replication.factor']
      deadLetterAdmin = deadLetterTopic === '' ? undefined : adminConnection(this.deps.config, resolvedConnector.values)
      if (paused) runner.pause()
    } catch (error) {
      this.deps.metrics?.worker.taskStartups.failed()
      this.deps.metrics?.removeTask({ connector, task: taskId })
      logger.error('task could not be created', { error })
      this.reportTask(connector, taskId, 'FAILED', error)
      return
    }
    const task: RunningTask = { runner }
    const forConnector = this.tasks.get(connector) ?? new Map<number, RunningTask>()
    forConnector.set(taskId, task)
    this.tasks.set(connector, forConnector)
    const starting = async (): Promise<void> => {
      if (deadLetterTopic !== '') await this.deps.kafka.ensureTopic(deadLetterTopic, deadLetterReplication, deadLetterAdmin)
      await runner.start()
    }
    const timeoutMs = this.deps.config['task.start.timeout.ms']
    void settlesWithin(starting(), timeoutMs).then((outcome) => {
      this.countStartup(outcome === 'ok', logger)
      if (outcome === 'ok' || !this.isCurrent(connector, taskId, task)) return
      const error =
        outcome === 'timeout' ? new ConnectError(`Task ${connector}-${taskId} did not start within ${timeoutMs} ms (task.start.timeout.ms); abandoning it`) : outcome.error
      logger.error('task failed to start', { error })
      this.forget(connector, taskId)
      this.reportTask(connector, taskId, 'FAILED', error)
      // What it acquired so far is released in the background; a task that will not even stop is left to the GC.
      void this.stopRunner(connector, taskId, runner)
    })
  }

  /**
   * Stops one task, waiting for its last batch and offset flush, or for a start still in progress to be called off.
   * A task that is not running is a no-op; one that does not stop in time is abandoned.
   */
  async stopTask(connector: string, taskId: number): Promise<void> {
    const task = this.tasks.get(connector)?.get(taskId)
    if (!task) return
    this.forget(connector, taskId)
    await this.stopRunner(connector, taskId, task.runner)
  }

  async stopTasks(connector: string): Promise<void> {
    await Promise.all(this.runningTaskIds(connector).map((taskId) => this.stopTask(connector, taskId)))
  }

  pauseTasks(connector: string): void {
    for (const { runner } of this.tasks.get(connector)?.values() ?? []) runner.pause()
  }

  resumeTasks(connector: string): void {
    for (const { runner } of this.tasks.get(connector)?.values() ?? []) runner.resume()
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((connector) => this.stopTasks(connector)))
    await this.settleStatusWrites()
  }

  /** Resolves once every status this worker reported is in the status topic. */
  async settleStatusWrites(): Promise<void> {
    while (this.statusWrites.size > 0) await Promise.all(this.statusWrites)
  }

  private reportTask(connector: string, taskId: number, state: TaskState | null, error?: unknown): void {
    if (state === null) return
    const write = this.deps.statuses
      .putTask(connector, taskId, { state, trace: state === 'FAILED' ? (this.redactions.get(connector) ?? hideNothing)(errorTrace(error)) : null, workerId: this.workerId, generation: this.generation })
      .catch((writeError: unknown) => this.deps.logger.error('could not write task status', { connector, taskId, error: writeError }))
      .finally(() => this.statusWrites.delete(write))
    this.statusWrites.add(write)
  }
  private createRunner(
    plugin: ConnectorPlugin,
    connectorConfig: RawConfig,
    common: CommonConnectorConfig,
    connector: string,
    taskId: number,
    taskConfig: TaskConfig,
    logger: Logger,
    redact: Redact,
  ): SourceTaskRunner | SinkTaskRunner {
    const id = { connector, task: taskId }
    // As Kafka Connect's worker does at task start: a config stored before the policy changed is refused here too.
    const overrideProblems = clientOverrideProblems(plugin.type, connectorConfig, clientOverrideContext(this.deps.config))
    if (overrideProblems.length > 0) throw new ConfigError(overrideProblems[0]!.key, undefined, 'refused', overrideProblems.map(({ message }) => message).join('\n'))
    const chain = buildTransformationChain(connectorConfig, this.deps.registry)
    if (!chain.ok) throw new Error(chain.problems.map(({ message }) => message).join('\n'))
    const shared = {
      id,
      config: parseTaskConfig(plugin, taskConfig),
      converters: createRecordConverters(this.deps.registry, this.deps.config.raw, connectorConfig),
      chain: chain.chain,
      errors: new RecordErrorHandler(errorHandlingConfig(common), id, logger.named(LOGGER_NAMES.errors)),
      offsetFlushIntervalMs: this.deps.config['offset.flush.interval.ms'],
      reportDegraded: (area: DegradedArea, reason: string | null) => this.degraded.reporter(connector, taskId, area)(reason === null ? null : redact(reason)),
      logger: logger.named(plugin.type === 'sink' ? LOGGER_NAMES.sinkTask : LOGGER_NAMES.sourceTask),
      ...this.instrumentsOf(plugin, id, common['errors.deadletterqueue.topic.name'] !== '', logger),
      onStateChange: (state: RunnerState, error?: unknown) => this.reportTask(connector, taskId, toTaskState(state), error),
    }
    if (plugin.type === 'sink') {
      return new SinkTaskRunner({
        ...shared,
        task: plugin.createTask(),
        consumer: this.deps.kafka.consumer({
          groupId: sinkConsumerGroupId(connector),
          subscription: sinkSubscription(connectorConfig),
          sessionTimeoutMs: this.deps.config['consumer.session.timeout.ms'],
          ...consumerSettings(this.deps.config, connectorConfig),
          metadataMaxAgeMs: consumerMetadataMaxAgeMs(this.deps.config.raw, connectorConfig),
          logger,
        }),
        activeTopics: this.activeTopicsOf(connector, taskId, logger),
        deadLetters: common['errors.deadletterqueue.topic.name'] === '' ? null : this.deps.kafka.producer(producerSettings(this.deps.config, connectorConfig)),
        shutdownTimeoutMs: this.deps.config['task.shutdown.graceful.timeout.ms'],
      })
    }
    const producer = this.deps.kafka.producer(producerSettings(this.deps.config, connectorConfig))
    return new SourceTaskRunner({
      ...shared,
      task: plugin.createTask(),
      producer,
      offsets: this.deps.offsets,
      ...this.topicCreatorOf(connectorConfig, logger),
      activeTopics: this.activeTopicsOf(connector, taskId, logger),
    })
  }

  /** KIP-558: what the task uses goes to the status topic, unless topic.tracking.enable=false. */
  private activeTopicsOf(connector: string, taskId: number, logger: Logger): ActiveTopics {
    return this.deps.config['topic.tracking.enable'] ? new ActiveTopicRecorder(this.deps.statuses, connector, taskId, logger) : NO_ACTIVE_TOPICS
  }

  /** KIP-158: a source connector with topic.creation.* keys creates its topics, unless the worker says topic.creation.enable=false. */
  private topicCreatorOf(connectorConfig: RawConfig, logger: Logger): { topicCreator?: TopicCreator } {
    if (!this.deps.config['topic.creation.enable']) return {}
    const parsed = parseTopicCreation(connectorConfig)
    if (!parsed.ok) throw new Error(parsed.problems.map(({ message }) => message).join('\n'))
    return parsed.groups === null ? {} : { topicCreator: new TopicCreator(parsed.groups, this.deps.kafka, logger) }
  }

  /** As in Kafka Connect, a task that will not stop in time is abandoned rather than allowed to block the worker. */
  private async stopRunner(connector: string, taskId: number, runner: SourceTaskRunner | SinkTaskRunner): Promise<void> {
    const timeoutMs = this.deps.config['task.shutdown.graceful.timeout.ms']
    const outcome = await settlesWithin(runner.stop(), timeoutMs)
    if (outcome === 'timeout') this.deps.logger.error('task did not stop within task.shutdown.graceful.timeout.ms; abandoning it', { connector, taskId, timeoutMs })
    else if (outcome !== 'ok') this.deps.logger.error('task did not stop cleanly', { connector, taskId, error: outcome.error })
  }

  /** The runner's counts for `/metrics`, and the plugin's own metrics hook and log, named after its connector class. */
  private instrumentsOf(plugin: ConnectorPlugin, id: TaskId, hasDeadLetterQueue: boolean, logger: Logger): Pick<SourceTaskRunnerOptions, 'metrics' | 'taskInstruments'> {
    const pluginLogger = logger.named(plugin.className)
    const { metrics } = this.deps
    if (metrics === undefined) return { taskInstruments: { metrics: NO_METRICS, logger: pluginLogger } }
    const { recorder, instruments } = metrics.addTask(id, plugin.type, hasDeadLetterQueue)
    return { metrics: recorder, taskInstruments: { metrics: instruments, logger: pluginLogger } }
  }

  private countStartup(succeeded: boolean, logger: Logger): void {
    const startups = this.deps.metrics?.worker.taskStartups
    if (succeeded) {
      startups?.started()
      logger.info('task started')
    } else startups?.failed()
  }

  private isCurrent(connector: string, taskId: number, task: RunningTask): boolean {
    return this.tasks.get(connector)?.get(taskId) === task
  }

  private forget(connector: string, taskId: number): void {
    this.degraded.forget(connector, taskId)
    this.deps.metrics?.removeTask({ connector, task: taskId })
    const forConnector = this.tasks.get(connector)
    forConnector?.delete(taskId)
    if (forConnector?.size === 0) this.tasks.delete(connector)
  }
}


const errorHandlingConfig = (config: CommonConnectorConfig): ErrorHandlingConfig => ({
  tolerance: config['errors.tolerance'],
  retryTimeoutMs: config['errors.retry.timeout'],
  retryDelayMaxMs: config['errors.retry.delay.max.ms'],
  log: config['errors.log.enable'],
  logRecords: config['errors.log.include.messages'],
  deadLetterTopic: config['errors.deadletterqueue.topic.name'] === '' ? null : config['errors.deadletterqueue.topic.name'],
  contextHeaders: config['errors.deadletterqueue.context.headers.enable'],
})

/** A stopped runner's status is removed or rewritten by the herder, so STOPPED is not reported per task. */
const toTaskState = (state: RunnerState): TaskState | null => (state === 'STOPPED' ? null : state)

const hideNothing: Redact = (text) => text

/** The keys a connector's schemas declare as PASSWORD: their values are hidden wherever the task's words go. */
const passwordKeysOf = (plugin: ConnectorPlugin): ((key: string) => boolean) => {
  const schemas = plugin.taskConfig === undefined ? [plugin.config] : [plugin.config, plugin.taskConfig]
  const keys = new Set(schemas.flatMap((schema) => describeConfig(schema).filter(({ type }) => type === 'PASSWORD').map(({ name }) => name)))
  return (key) => keys.has(key)
}
