import { describeConfig, type ConfigKeyInfo } from '../config/describe.ts'
import { commonConnectorConfigSchema } from '../config/connector-config.ts'
import {
  invalidConfigMessage,
  validateConnectorConfig,
  type ConfigInfos,
} from '../config/validate.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorPlugin } from '../plugin/connector.ts'
import { parseConfig } from '../plugin/config.ts'
import { ConnectError } from '../plugin/errors.ts'
import { findPlugin, type PluginRegistry } from '../plugins/registry.ts'
import type { ConfigStore, StringMap, TargetState } from '../storage/config-store.ts'
import type { OffsetStore } from '../storage/offset-store.ts'
import type { ConnectorState, StatusStore } from '../storage/status-store.ts'
import { errorTrace } from '../worker/error-trace.ts'
import type { DegradedTaskInfo } from '../worker/degraded-tasks.ts'
import type { Worker } from '../worker/worker.ts'
import { AlreadyExistsError, BadRequestError, NotFoundError } from './errors.ts'
import { SerialQueue } from './serial-queue.ts'
import type { Herder } from './herder.ts'
import type {
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  InitialState,
  PluginInfo,
  RestartRequest,
  TaskInfo,
  TaskStateInfo,
} from './types.ts'

/** What the herder asks of the process that runs tasks; `Worker` is the real one. */
export type TaskWorker = Pick<
  Worker,
  'workerId' | 'degradedTasks' | 'runningTaskIds' | 'startTask' | 'stopTask' | 'stopTasks' | 'pauseTasks' | 'resumeTasks' | 'stopAll' | 'settleStatusWrites'
>

export interface HerderDependencies {
  readonly configs: ConfigStore
  readonly statuses: StatusStore
  readonly offsets: OffsetStore
  readonly worker: TaskWorker
  readonly registry: PluginRegistry
  readonly logger: Logger
}

/**
 * The cluster's actions behind one interface: what the REST API calls. A write goes to the config topic and nothing
 * else; what this worker runs follows from what the config topic says, through the store's change listener, so a
 * change read back from the topic (this worker's, or after a restart) is carried out the same way.
 * This herder runs every connector on its own worker. Writes are serialised among themselves, and so are the
 * reconciliations they cause; a write resolves once its reconciliation is done, which never waits on a task start.
 */
export class StandaloneHerder implements Herder {
  private readonly writes = new SerialQueue()
  private readonly reconciles = new SerialQueue()
  /** A reconciliation queued and not begun yet, per connector: changes arriving meanwhile share it. */
  private readonly pendingReconciles = new Map<string, Promise<void>>()
  /** The last reconciliation queued per connector, begun or not: what a write waits for. */
  private readonly latestReconciles = new Map<string, Promise<void>>()
  /** The connector config each connector's running tasks were started from. */
  private readonly startedFrom = new Map<string, StringMap>()
  /** Connectors whose `connector` status is this worker's to report. */
  private readonly started = new Set<string>()
  private unsubscribe: (() => void) | null = null

  constructor(private readonly deps: HerderDependencies) {}

  /**
   * Resumes every stored connector in its target state, then follows the config topic; called once the internal
   * topics have been read and REST listens. Tasks start in the background, so this returns without waiting for any
   * broker, and one connector that cannot be resumed does not keep the others from resuming.
   */
  async start(): Promise<void> {
    this.unsubscribe = this.deps.configs.onChange(({ connector }) => void this.reconcileSoon(connector))
    await Promise.all(this.deps.configs.connectorNames().map((name) => this.reconcileSoon(name)))
  }

  async stop(): Promise<void> {
    this.unsubscribe?.()
    await this.writes.run(async () => {})
    await this.reconciles.run(async () => {
      await this.deps.worker.stopAll()
      // As Kafka Connect's onShutdown: what this worker ran is UNASSIGNED now; a FAILED task keeps its trace.
      for (const name of this.started) {
        await this.putConnectorStatus(name, 'UNASSIGNED')
        for (const [taskId, status] of this.deps.statuses.tasksOf(name)) {
          if (status.workerId !== this.deps.worker.workerId || status.state === 'FAILED' || status.state === 'UNASSIGNED') continue
          await this.deps.statuses.putTask(name, taskId, { state: 'UNASSIGNED', trace: null, workerId: status.workerId, generation: status.generation })
        }
      }
      this.started.clear()
      this.startedFrom.clear()
    })
  }

  connectorNames(): string[] {
    return this.deps.configs.connectorNames()
  }

  connectorInfo(name: string): ConnectorInfo {
    const config = this.requireConfig(name)
    return {
      name,
      config,
      tasks: this.deps.configs.taskConfigs(name).map((_, task) => ({ connector: name, task })),
      type: this.typeOf(config),
    }
  }

  connectorConfig(name: string): StringMap {
    return this.requireConfig(name)
  }

  connectorStatus(name: string): ConnectorStateInfo {
    const config = this.requireConfig(name, `No status found for connector ${name}`)
    const connector = this.deps.statuses.connector(name)
    const tasks: TaskStateInfo[] = []
    for (const [id, status] of [...this.deps.statuses.tasksOf(name)].sort(([a], [b]) => a - b)) {
      if (id >= this.deps.configs.taskConfigs(name).length) continue
      tasks.push({ id, state: status.state, worker_id: status.workerId, ...(status.trace ? { trace: status.trace } : {}) })
    }
    return {
      name,
      connector: {
        state: connector?.state ?? 'UNASSIGNED',
        worker_id: connector?.workerId ?? this.deps.worker.workerId,
        ...(connector?.trace ? { trace: connector.trace } : {}),
      },
      tasks,
      type: this.typeOf(config),
    }
  }

  taskConfigs(name: string): TaskInfo[] {
    this.requireConfig(name)
    return this.deps.configs.taskConfigs(name).map((config, task) => ({ id: { connector: name, task }, config }))
  }

  taskStatus(name: string, taskId: number): TaskStateInfo {
    this.requireTask(name, taskId, `No status found for task ${name}-${taskId}`)
    const status = this.deps.statuses.task(name, taskId)
    if (status === undefined) return { id: taskId, state: 'UNASSIGNED', worker_id: this.deps.worker.workerId }
    return { id: taskId, state: status.state, worker_id: status.workerId, ...(status.trace ? { trace: status.trace } : {}) }
  }

  offsets(name: string): ConnectorOffsets {
    this.requireConfig(name)
    return { offsets: this.deps.offsets.offsetsOf(name).map(({ partition, offset }) => ({ partition, offset })) }
  }

  async createConnector(name: string, config: StringMap, initialState: InitialState = 'STARTED'): Promise<ConnectorInfo> {
    const complete = await this.validated(name, config)
    await this.write(name, async () => {
      if (this.deps.configs.connectorConfig(name) !== undefined) throw new AlreadyExistsError(`Connector ${name} already exists`)
      await this.deps.configs.putConnectorConfig(name, complete, initialState)
    })
    return this.connectorInfo(name)
  }

  async putConnectorConfig(name: string, config: StringMap): Promise<{ created: boolean; info: ConnectorInfo }> {
    const complete = await this.validated(name, config)
    let created = false
    await this.write(name, async () => {
      created = this.deps.configs.connectorConfig(name) === undefined
      await this.deps.configs.putConnectorConfig(name, complete, created ? 'STARTED' : undefined)
    })
    return { created, info: this.connectorInfo(name) }
  }

  async patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo> {
    // Merged from the config as it is when the write's turn comes, so two patches never undo each other.
    await this.write(name, async () => {
      // A Map, so that a key such as __proto__ is merged like any other.
      const merged = new Map(Object.entries(this.requireConfig(name)))
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) merged.delete(key)
        else merged.set(key, value)
      }
      await this.deps.configs.putConnectorConfig(name, await this.validated(name, Object.fromEntries(merged)))
    })
    return this.connectorInfo(name)
  }

  async deleteConnector(name: string): Promise<void> {
    await this.write(name, async () => {
      this.requireConfig(name)
      await this.deps.configs.removeConnector(name)
    })
  }

  pauseConnector(name: string): Promise<void> {
    return this.changeTargetState(name, 'PAUSED')
  }

  resumeConnector(name: string): Promise<void> {
    return this.changeTargetState(name, 'STARTED')
  }

  stopConnector(name: string): Promise<void> {
    return this.changeTargetState(name, 'STOPPED')
  }

  restartConnector(name: string, { includeTasks, onlyFailed }: RestartRequest): Promise<ConnectorStateInfo | null> {
    this.requireConfig(name, `Unknown connector: ${name}`)
    return this.reconciles.run(async () => {
      const before = this.connectorStatus(name)
      const restartsConnector = !onlyFailed || before.connector.state === 'FAILED'
      const taskIds = includeTasks ? before.tasks.filter(({ state }) => !onlyFailed || state === 'FAILED').map(({ id }) => id) : []
      for (const taskId of taskIds) await this.deps.worker.stopTask(name, taskId)
      if (restartsConnector || taskIds.length > 0) await this.reconcile(name)
      if (!includeTasks && !onlyFailed) return null
      return {
        ...before,
        connector: restartsConnector ? { state: 'RESTARTING', worker_id: before.connector.worker_id } : before.connector,
        tasks: before.tasks.map((task) => (taskIds.includes(task.id) ? { id: task.id, state: 'RESTARTING', worker_id: task.worker_id } : task)),
      }
    })
  }

  restartTask(name: string, taskId: number): Promise<void> {
    const unknownTask = `Unknown task: ${name}-${taskId}`
    this.requireTask(name, taskId, unknownTask, `Unknown connector: ${name}`)
    return this.reconciles.run(async () => {
      this.requireTask(name, taskId, unknownTask, `Unknown connector: ${name}`)
      await this.deps.worker.stopTask(name, taskId)
      await this.reconcile(name)
    })
  }

  async validate(pluginName: string, config: StringMap): Promise<ConfigInfos> {
    const withClass = { ...config, 'connector.class': config['connector.class'] ?? pluginName }
    return (await validateConnectorConfig(this.deps.registry, withClass)).infos
  }

  degradedTasks(): DegradedTaskInfo[] {
    return this.deps.worker.degradedTasks()
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    const { connectors, transformations, predicates, converters, headerConverters } = this.deps.registry
    const listed: PluginInfo[] = connectors.map(({ className, type, version }) => ({ class: className, type, version }))
    if (!connectorsOnly) {
      listed.push(
        ...transformations.map(({ className, version }) => ({ class: className, type: 'transformation' as const, version })),
        ...predicates.map(({ className, version }) => ({ class: className, type: 'predicate' as const, version })),
        ...converters.map(({ className, version }) => ({ class: className, type: 'converter' as const, version })),
        ...headerConverters.map(({ className, version }) => ({ class: className, type: 'header_converter' as const, version })),
      )
    }
    return listed
  }

  pluginConfig(pluginName: string): ConfigKeyInfo[] {
    const connector = findPlugin(this.deps.registry.connectors, pluginName)
    if (connector) return [...describeConfig(commonConnectorConfigSchema), ...describeConfig(connector.config)]
    const other = findPlugin([...this.deps.registry.transformations, ...this.deps.registry.predicates], pluginName)
    if (other) return describeConfig(other.config)
    throw new NotFoundError(`Unknown plugin ${pluginName}.`)
  }

  /** The config as stored: validated in full, every problem reported at once, each naming its key. */
  private async validated(name: string, config: StringMap): Promise<StringMap> {
    if (config.name !== undefined && config.name !== name) {
      throw new BadRequestError(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`)
    }
    const complete = { ...config, name }
    // A config naming no usable connector class rejects as a ConnectorClassError, a 400 as in Kafka Connect.
    const { problems } = await validateConnectorConfig(this.deps.registry, complete)
    if (problems.length > 0) throw new BadRequestError(invalidConfigMessage(problems))
    return complete
  }

  private async changeTargetState(name: string, state: TargetState): Promise<void> {
    const unknown = `Unknown connector ${name}`
    this.requireConfig(name, unknown)
    await this.write(name, async () => {
      this.requireConfig(name, unknown)
      if (this.deps.configs.targetState(name) !== state) await this.deps.configs.putTargetState(name, state)
    })
  }

  /**
   * Runs one write to the config topic in turn with the others, then waits for the reconciliation that reading it
   * back caused, so that a REST answer describes the state the change led to.
   */
  private async write(name: string, change: () => Promise<void>): Promise<void> {
    await this.writes.run(change)
    // A reconciliation can itself write (task configs) and so queue another: wait until the connector has settled.
    for (let latest = this.latestReconciles.get(name); latest !== undefined; latest = this.latestReconciles.get(name)) await latest
  }

  /** Queues a reconciliation of `name` unless one is queued and not begun yet; resolves when it is done. */
  private reconcileSoon(name: string): Promise<void> {
    const pending = this.pendingReconciles.get(name)
    if (pending !== undefined) return pending
    const run: Promise<void> = this.reconciles
      .run(async () => {
        this.pendingReconciles.delete(name)
        await this.reconcile(name)
      })
      .catch((error: unknown) => this.deps.logger.error('could not reconcile connector', { connector: name, error }))
      .finally(() => {
        if (this.latestReconciles.get(name) === run) this.latestReconciles.delete(name)
      })
    this.pendingReconciles.set(name, run)
    this.latestReconciles.set(name, run)
    return run
  }

  /** Makes this worker run `name` as its stored config and target state say: the one place tasks start and stop. */
  private async reconcile(name: string): Promise<void> {
    const config = this.deps.configs.connectorConfig(name)
    if (config === undefined) {
      await this.forgetConnector(name)
      return
    }
    const targetState = this.deps.configs.targetState(name)
    if (targetState === 'STOPPED') {
      await this.stopAndForgetTasks(name)
      await this.putConnectorStatus(name, 'STOPPED')
      return
    }
    // A new config means new tasks: Kafka Connect restarts them even when the task configs come out the same.
    const previous = this.startedFrom.get(name)
    if (previous !== undefined && !sameConfig(previous, config)) await this.deps.worker.stopTasks(name)
    let plugin: ConnectorPlugin
    let taskConfigs: StringMap[]
    try {
      // A stored config is checked as a new one is (a file it names may be gone): a bad one fails this connector alone.
      const validation = await validateConnectorConfig(this.deps.registry, config)
      if (validation.problems.length > 0) throw new ConnectError(invalidConfigMessage(validation.problems))
      plugin = validation.plugin
      const parsed = parseConfig(plugin.config, config)
      const common = parseConfig(commonConnectorConfigSchema, config)
      if (!parsed.ok || !common.ok) throw new Error(invalidConfigMessage([...(parsed.ok ? [] : parsed.problems), ...(common.ok ? [] : common.problems)]))
      taskConfigs = plugin.taskConfigs(parsed.value, config, common.value['tasks.max'])
    } catch (error) {
      this.deps.logger.error('connector failed to start', { connector: name, error })
      await this.deps.worker.stopTasks(name)
      await this.putConnectorStatus(name, 'FAILED', error)
      return
    }
    if (!sameTaskConfigs(this.deps.configs.taskConfigs(name), taskConfigs)) {
      await this.stopAndForgetTasks(name)
      await this.deps.configs.putTaskConfigs(name, taskConfigs)
    }
    await this.putConnectorStatus(name, targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING')
    this.startedFrom.set(name, config)
    const running = new Set(this.deps.worker.runningTaskIds(name))
    for (let taskId = 0; taskId < taskConfigs.length; taskId++) {
      if (!running.has(taskId)) this.deps.worker.startTask(plugin, config, name, taskId, taskConfigs[taskId]!, targetState === 'PAUSED')
    }
    if (targetState === 'PAUSED') this.deps.worker.pauseTasks(name)
    else this.deps.worker.resumeTasks(name)
  }

  /** The connector is gone from the config topic: its tasks stop and its statuses are removed. */
  private async forgetConnector(name: string): Promise<void> {
    const taskIds = [...this.deps.statuses.tasksOf(name).keys()]
    await this.deps.worker.stopTasks(name)
    await this.deps.worker.settleStatusWrites()
    this.startedFrom.delete(name)
    this.started.delete(name)
    if (taskIds.length > 0 || this.deps.statuses.connector(name) !== undefined) await this.deps.statuses.remove(name, taskIds, true)
  }

  private async stopAndForgetTasks(name: string): Promise<void> {
    const taskIds = [...this.deps.statuses.tasksOf(name).keys()]
    await this.deps.worker.stopTasks(name)
    await this.deps.worker.settleStatusWrites()
    this.startedFrom.delete(name)
    if (this.deps.configs.taskConfigs(name).length > 0) await this.deps.configs.putTaskConfigs(name, [])
    if (taskIds.length > 0) await this.deps.statuses.remove(name, taskIds, false)
  }

  private async putConnectorStatus(name: string, state: ConnectorState, error?: unknown): Promise<void> {
    this.started.add(name)
    const status = { state, trace: state === 'FAILED' ? errorTrace(error) : null, workerId: this.deps.worker.workerId, generation: 0 }
    // Reconciling again after a change that left this connector as it was writes nothing.
    const current = this.deps.statuses.connector(name)
    if (current?.state === status.state && current.trace === status.trace && current.workerId === status.workerId) return
    await this.deps.statuses.putConnector(name, status)
  }


  /** `message` is Kafka Connect's words for this request's 404, which vary by endpoint and scripts match on. */
  private requireConfig(name: string, message = `Connector ${name} not found`): StringMap {
    const config = this.deps.configs.connectorConfig(name)
    if (config === undefined) throw new NotFoundError(message)
    return config
  }

  private requireTask(name: string, taskId: number, message: string, unknownConnector = message): void {
    this.requireConfig(name, unknownConnector)
    if (!Number.isInteger(taskId) || taskId < 0 || taskId >= this.deps.configs.taskConfigs(name).length) throw new NotFoundError(message)
  }

  private typeOf(config: StringMap): ConnectorInfo['type'] {
    const plugin = findPlugin(this.deps.registry.connectors, config['connector.class'] ?? '')
    return plugin?.type ?? 'source'
  }
}

const sameConfig = (a: StringMap, b: StringMap): boolean => JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b))

const sameTaskConfigs = (a: readonly StringMap[], b: readonly StringMap[]): boolean =>
  a.length === b.length && a.every((config, i) => sameConfig(config, b[i]!))

const sortedEntries = (config: StringMap) => Object.entries(config).sort(([x], [y]) => (x < y ? -1 : 1))
