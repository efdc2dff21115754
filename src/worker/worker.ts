import type { Kafka } from '../kafka/client.ts'
import { RecordConsumer } from '../kafka/record-consumer.ts'
import { RecordProducer } from '../kafka/record-producer.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorPlugin, TaskConfig } from '../plugin/connector.ts'
import { parseConfig } from '../plugin/config.ts'
import { commonConnectorConfigSchema, type CommonConnectorConfig } from '../config/connector-config.ts'
import { ensureTopic } from '../kafka/topics.ts'
import { RecordErrorHandler, type ErrorHandlingConfig } from './error-handler.ts'
import type { WorkerConfig } from '../config/worker-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { OffsetStore } from '../storage/offset-store.ts'
import type { StatusStore, TaskState } from '../storage/status-store.ts'
import { createRecordConverters } from './converters.ts'
import { errorTrace } from './error-trace.ts'
import { SinkTaskRunner, sinkConsumerGroupId, sinkSubscription } from './sink-task-runner.ts'
import { SourceTaskRunner, type RunnerState } from './source-task-runner.ts'
import { buildTransformationChain } from './transformation-chain.ts'

interface RunningTask {
  readonly runner: SourceTaskRunner | SinkTaskRunner
}

type RawConfig = Readonly<Record<string, string>>

export interface WorkerDependencies {
  readonly kafka: Kafka
  readonly registry: PluginRegistry
  readonly config: WorkerConfig
  readonly offsets: OffsetStore
  readonly statuses: StatusStore
  readonly logger: Logger
}

/**
 * Runs tasks on this worker process and reports their states to the status topic. It decides nothing about which
 * connectors should run: the herder tells it.
 */
export class Worker {
  /** connector → task id → running task */
  private readonly tasks = new Map<string, Map<number, RunningTask>>()
  private readonly statusWrites = new Set<Promise<void>>()

  constructor(private readonly deps: WorkerDependencies) {}

  get workerId(): string {
    return this.deps.config.workerId
  }

  runningTaskIds(connector: string): number[] {
    return [...(this.tasks.get(connector)?.keys() ?? [])]
  }

  /** Starts one task; a task that cannot start is reported FAILED with its trace rather than thrown. */
  async startTask(plugin: ConnectorPlugin, connectorConfig: RawConfig, connector: string, taskId: number, taskConfig: TaskConfig, paused: boolean): Promise<void> {
    const id = { connector, task: taskId }
    const logger = this.deps.logger.child({ connector, task: taskId })
    let runner: SourceTaskRunner | SinkTaskRunner
    try {
      const common = parseConfig(commonConnectorConfigSchema, connectorConfig)
      if (!common.ok) throw new Error(common.problems.map(({ message }) => message).join('\n'))
      const chain = buildTransformationChain(connectorConfig, this.deps.registry)
      if (!chain.ok) throw new Error(chain.problems.map(({ message }) => message).join('\n'))
      if (plugin.type === 'sink') {
        runner = new SinkTaskRunner({
          id,
          task: plugin.createTask(),
          config: taskConfig,
          converters: createRecordConverters(this.deps.registry, this.deps.config.raw, connectorConfig),
          chain: chain.chain,
          consumer: new RecordConsumer(this.deps.kafka, { groupId: sinkConsumerGroupId(connector), subscription: sinkSubscription(connectorConfig), logger }),
          errors: new RecordErrorHandler(errorHandlingConfig(common.value), id, logger),
          deadLetters: common.value['errors.deadletterqueue.topic.name'] === '' ? null : new RecordProducer(this.deps.kafka),
          offsetFlushIntervalMs: this.deps.config['offset.flush.interval.ms'],
          shutdownTimeoutMs: this.deps.config['task.shutdown.graceful.timeout.ms'],
          logger,
          onStateChange: (state, error) => this.reportTask(connector, taskId, toTaskState(state), error),
        })
      } else runner = new SourceTaskRunner({
        id,
        task: plugin.createTask(),
        config: taskConfig,
        converters: createRecordConverters(this.deps.registry, this.deps.config.raw, connectorConfig),
        chain: chain.chain,
        producer: new RecordProducer(this.deps.kafka),
        offsets: this.deps.offsets,
        errors: new RecordErrorHandler(errorHandlingConfig(common.value), id, logger),
        offsetFlushIntervalMs: this.deps.config['offset.flush.interval.ms'],
        logger,
        onStateChange: (state, error) => this.reportTask(connector, taskId, toTaskState(state), error),
      })
      const deadLetterTopic = common.value['errors.deadletterqueue.topic.name']
      if (deadLetterTopic !== '') {
        await ensureTopic(this.deps.kafka, deadLetterTopic, common.value['errors.deadletterqueue.topic.replication.factor'])
      }
      if (paused) runner.pause()
    } catch (error) {
      logger.error('task could not be created', { error })
      this.reportTask(connector, taskId, 'FAILED', error)
      return
    }
    const forConnector = this.tasks.get(connector) ?? new Map<number, RunningTask>()
    forConnector.set(taskId, { runner })
    this.tasks.set(connector, forConnector)
    try {
      await runner.start()
    } catch (error) {
      logger.error('task failed to start', { error })
      this.reportTask(connector, taskId, 'FAILED', error)
    }
  }

  /** Stops one task, waiting for its last batch and offset flush. A task that is not running is a no-op. */
  async stopTask(connector: string, taskId: number): Promise<void> {
    const forConnector = this.tasks.get(connector)
    const task = forConnector?.get(taskId)
    if (!forConnector || !task) return
    forConnector.delete(taskId)
    if (forConnector.size === 0) this.tasks.delete(connector)
    // As in Kafka Connect, a task that will not stop in time is abandoned rather than allowed to block the worker.
    const timeoutMs = this.deps.config['task.shutdown.graceful.timeout.ms']
    let timer: NodeJS.Timeout | undefined
    const stopped = await Promise.race([
      task.runner.stop().then(
        () => true,
        (error: unknown) => {
          this.deps.logger.error('task did not stop cleanly', { connector, taskId, error })
          return true
        },
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ])
    clearTimeout(timer)
    if (!stopped) this.deps.logger.error('task did not stop within task.shutdown.graceful.timeout.ms; abandoning it', { connector, taskId, timeoutMs })
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
      .putTask(connector, taskId, { state, trace: state === 'FAILED' ? errorTrace(error) : null, workerId: this.workerId, generation: 0 })
      .catch((writeError: unknown) => this.deps.logger.error('could not write task status', { connector, taskId, error: writeError }))
      .finally(() => this.statusWrites.delete(write))
    this.statusWrites.add(write)
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
