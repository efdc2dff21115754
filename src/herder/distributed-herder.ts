import { describeConfig, type ConfigKeyInfo } from '../config/describe.ts'
import { commonConnectorConfigSchema } from '../config/connector-config.ts'
import {
  invalidConfigMessage,
  validateConnectorConfig,
  type ConfigInfos,
} from '../config/validate.ts'
import type { Logger } from '../logger.ts'
import type { ConfigProviders } from '../config/config-providers.ts'
import type { ClientOverrideContext } from '../config/client-overrides.ts'
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
import { AlreadyExistsError, BadRequestError, NotFoundError, NotLeaderError } from './errors.ts'
import { SerialQueue } from './serial-queue.ts'
import { connectorKeyInfos } from '../config/framework-keys.ts'
import { alterConnectorOffsets, readConnectorOffsets, resetConnectorOffsets, type ConnectorOffsetsDependencies, type OffsetChange } from './connector-offsets.ts'
import { connectorActiveTopics, DEFAULT_TOPIC_TRACKING, resetConnectorActiveTopics, type TopicTrackingConfig } from './connector-topics.ts'
import type { Herder } from './herder.ts'
import type { AssignmentHandler } from './cluster-membership.ts'
import { SOLE_OWNER, type Ownership } from './ownership.ts'
import type { RestartRecord } from '../storage/config-store.ts'
import type {
  ActiveTopicsInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  InitialState,
  Message,
  PluginInfo,
  RestartRequest,
  TaskInfo,
  TaskStateInfo,
} from './types.ts'

/** What the herder asks of the process that runs tasks; `Worker` is the real one. */
export type TaskWorker = Pick<
  Worker,
  'workerId' | 'generation' | 'degradedTasks' | 'runningTaskIds' | 'startTask' | 'stopTask' | 'stopTasks' | 'pauseTasks' | 'resumeTasks' | 'stopAll' | 'settleStatusWrites'
>

export interface HerderDependencies {
  readonly configs: ConfigStore
  readonly statuses: StatusStore
  readonly offsets: OffsetStore
  readonly worker: TaskWorker
  readonly registry: PluginRegistry
  readonly logger: Logger
  /** What this worker runs and whether it leads; the group's assignment in a cluster, everything without one. */
  readonly ownership?: Ownership
  /** Called after each reconciliation: the leader checks whether the cluster needs a new assignment. */
  readonly onReconciled?: () => void
  /** Counts this worker's connector starts, as Kafka Connect's connector-startup-* worker metrics. */
  readonly connectorStartups?: { started(): void; failed(): void }
  /** The worker's config providers, so that validation checks placeholders; none when absent. */
  readonly configProviders?: ConfigProviders
  /** The worker's client override policy, so that a forbidden `producer.override.*` key is a 400; unchecked when absent. */
  readonly clientOverrides?: ClientOverrideContext
  /** Sink connectors' consumer group offsets (KIP-875); without it their offsets cannot be read or changed. */
  readonly groupOffsets?: ConnectorOffsetsDependencies['groups']
  /** `topic.tracking.enable` / `topic.tracking.allow.reset`; both true when absent, as Kafka Connect's defaults. */
  readonly topicTracking?: TopicTrackingConfig
}

/**
 * The cluster's actions behind one interface: what the REST API calls. A write goes to the config topic and nothing
 * else; what this worker runs follows from what the config topic says, through the store's change listener, so a
 * change read back from the topic (this worker's, or after a restart) is carried out the same way.
 * What this worker runs is what the group's assignment gives it (`Ownership`): the leader writes task configs,
 * the connector's owner reports its state, each task runs where it is assigned. Writes go through the leader; a
 * follower's REST layer forwards them. Writes are serialised among themselves, and so are the reconciliations they
 * cause; a write resolves once its reconciliation is done, which never waits on a task start.
 */
export class DistributedHerder implements Herder {
  private readonly writes = new SerialQueue()
  private readonly reconciles = new SerialQueue()
  /** A reconciliation queued and not begun yet, per connector: changes arriving meanwhile share it. */
  private readonly pendingReconciles = new Map<string, Promise<void>>()
  /** The last reconciliation queued per connector, begun or not: what a write waits for. */
  private readonly latestReconciles = new Map<string, Promise<void>>()
  /** The connector config each connector's running tasks were started from. */
  private readonly startedFrom = new Map<string, StringMap>()
  /** The task config each running task was started from, by `connector/task`. */
  private readonly startedTasks = new Map<string, StringMap>()
  /** Connectors whose `connector` status is this worker's to report. */
  private readonly started = new Set<string>()
  private readonly ownership: Ownership
  private stopping = false
  private unsubscribe: (() => void) | null = null

  constructor(private readonly deps: HerderDependencies) {
    this.ownership = deps.ownership ?? SOLE_OWNER
  }

  /**
   * Follows the config topic, and without a group resumes every stored connector in its target state; in a cluster
   * the group's assignments say what to run. Tasks start in the background, so this returns without waiting for any
   * broker, and one connector that cannot be resumed does not keep the others from resuming.
   */
  async start(): Promise<void> {
    this.unsubscribe = this.deps.configs.onChange(({ connector, restart }) =>
      void (restart === undefined ? this.reconcileSoon(connector) : this.restartSoon(connector, restart)),
    )
    if (this.deps.ownership === undefined) await this.reconcileAll()
  }

  /** What the group's assignments ask of this herder: the group member calls these, one at a time. */
  readonly assignmentHandler: AssignmentHandler = {
    release: async (connectors, tasks) => {
      await Promise.all(tasks.map(({ connector, task }) => this.stopOwnTask(connector, task)))
      await this.deps.worker.settleStatusWrites()
      for (const connector of connectors) this.started.delete(connector)
    },
    releaseAll: async () => {
      await this.deps.worker.stopAll()
      this.startedTasks.clear()
      this.startedFrom.clear()
      this.started.clear()
    },
    reconcileAll: () => this.reconcileEach(),
    inTurn: (work) => this.reconciles.run(work),
    // The generation whose assignment the statuses written from now on belong to.
    setGeneration: (generation) => (this.deps.worker.generation = generation),
  }

  async stop(): Promise<void> {
    this.unsubscribe?.()
    this.stopping = true
    await this.writes.run(async () => {})
    await this.reconciles.run(async () => {
      await this.deps.worker.stopAll()
      this.startedTasks.clear()
      // As Kafka Connect's onShutdown: what this worker ran is UNASSIGNED now; a FAILED task keeps its trace.
      for (const name of this.started) await this.putConnectorStatus(name, 'UNASSIGNED')
      for (const name of this.deps.configs.connectorNames()) {
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
    const version = this.pluginVersionOf(config)
    const tasks: TaskStateInfo[] = []
    for (const [id, status] of [...this.deps.statuses.tasksOf(name)].sort(([a], [b]) => a - b)) {
      if (id >= this.deps.configs.taskConfigs(name).length) continue
      tasks.push({ id, state: status.state, worker_id: status.workerId, ...version, ...(status.trace ? { trace: status.trace } : {}) })
    }
    return {
      name,
      connector: {
        state: connector?.state ?? 'UNASSIGNED',
        worker_id: connector?.workerId ?? this.deps.worker.workerId,
        ...version,
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
    const version = this.pluginVersionOf(this.requireConfig(name))
    if (status === undefined) return { id: taskId, state: 'UNASSIGNED', worker_id: this.deps.worker.workerId, ...version }
    return { id: taskId, state: status.state, worker_id: status.workerId, ...version, ...(status.trace ? { trace: status.trace } : {}) }
  }

  offsets(name: string): Promise<ConnectorOffsets> {
    return readConnectorOffsets(this.offsetsDependencies(), name)
  }

  async createConnector(name: string, config: StringMap, initialState: InitialState = 'STARTED'): Promise<ConnectorInfo> {
    const complete = await this.validated(name, config)
    await this.write(name, async () => {
      if (this.deps.configs.connectorConfig(name) !== undefined) throw new AlreadyExistsError(`Connector ${name} already exists`)
      await this.deps.configs.putConnectorConfig(name, complete, initialState)
    })
    this.deps.logger.info('connector created', { connector: name, initialState })
    return this.connectorInfo(name)
  }

  async putConnectorConfig(name: string, config: StringMap): Promise<{ created: boolean; info: ConnectorInfo }> {
    const complete = await this.validated(name, config)
    let created = false
    await this.write(name, async () => {
      created = this.deps.configs.connectorConfig(name) === undefined
      await this.deps.configs.putConnectorConfig(name, complete, created ? 'STARTED' : undefined)
    })
    this.deps.logger.info(created ? 'connector created' : 'connector config updated', { connector: name })
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
    this.deps.logger.info('connector config updated', { connector: name, keys: Object.keys(patch) })
    return this.connectorInfo(name)
  }

  async deleteConnector(name: string): Promise<void> {
    await this.write(name, async () => {
      this.requireConfig(name)
      await this.deps.configs.removeConnector(name)
    })
    this.deps.logger.info('connector deleted', { connector: name })
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

  /**
   * Written to the config topic as Kafka Connect's restart request (KIP-745), so that every worker restarts what it
   * runs of the connector; resolves once this worker has done its part.
   */
  async restartConnector(name: string, { includeTasks, onlyFailed }: RestartRequest): Promise<ConnectorStateInfo | null> {
    this.requireConfig(name, `Unknown connector: ${name}`)
    await this.ownership.requireLeader()
    const before = this.connectorStatus(name)
    const restartsConnector = !onlyFailed || before.connector.state === 'FAILED'
    const taskIds = includeTasks ? before.tasks.filter(({ state }) => !onlyFailed || state === 'FAILED').map(({ id }) => id) : []
    await this.write(name, async () => {
      this.requireConfig(name, `Unknown connector: ${name}`)
      await this.deps.configs.requestRestart(name, { includeTasks, onlyFailed })
    })
    if (!includeTasks && !onlyFailed) return null
    return {
      ...before,
      connector: restartsConnector ? { state: 'RESTARTING', worker_id: before.connector.worker_id, ...versionOf(before.connector) } : before.connector,
      tasks: before.tasks.map((task) => (taskIds.includes(task.id) ? { id: task.id, state: 'RESTARTING', worker_id: task.worker_id, ...versionOf(task) } : task)),
    }
  }

  /** Restarts the task where it runs: here, or on the worker the leader knows runs it (the request is forwarded). */
  async restartTask(name: string, taskId: number): Promise<void> {
    const unknownTask = `Unknown task: ${name}-${taskId}`
    this.requireTask(name, taskId, unknownTask, `Unknown connector: ${name}`)
    const task = { connector: name, task: taskId }
    if (!this.ownership.ownsTask(task)) {
      await this.ownership.requireLeader()
      const owner = this.ownership.ownerUrlOf(task)
      if (owner !== null) throw new NotLeaderError(owner, false)
    }
    await this.reconciles.run(async () => {
      this.requireTask(name, taskId, unknownTask, `Unknown connector: ${name}`)
      await this.stopOwnTask(name, taskId)
      await this.reconcile(name)
    })
  }

  async validate(pluginName: string, config: StringMap): Promise<ConfigInfos> {
    const withClass = { ...config, 'connector.class': config['connector.class'] ?? pluginName }
    return (await validateConnectorConfig(this.deps.registry, withClass, this.deps.configProviders, this.deps.clientOverrides)).infos
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
    if (connector) {
      // Kafka Connect 4.x lists the plugin's own keys, then the framework's.
      const { framework, own } = connectorKeyInfos(connector)
      return [...own, ...framework]
    }
    const other = findPlugin([...this.deps.registry.transformations, ...this.deps.registry.predicates], pluginName)
    if (other) return describeConfig(other.config)
    throw new NotFoundError(`Unknown plugin ${pluginName}.`)
  }

  /** The config as stored: validated in full, every problem reported at once, each naming its key. */
  private async validated(name: string, config: StringMap): Promise<StringMap> {
    await this.ownership.requireLeader()
    if (config.name !== undefined && config.name !== name) {
      throw new BadRequestError(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`)
    }
    const complete = { ...config, name }
    // A config naming no usable connector class rejects as a ConnectorClassError, a 400 as in Kafka Connect.
    const { problems } = await validateConnectorConfig(this.deps.registry, complete, this.deps.configProviders, this.deps.clientOverrides)
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
    this.deps.logger.info(state === 'PAUSED' ? 'connector paused' : state === 'STOPPED' ? 'connector stopped' : 'connector resumed', { connector: name })
  }

  /**
   * Runs one write to the config topic in turn with the others, then waits for the reconciliation that reading it
   * back caused, so that a REST answer describes the state the change led to.
   */
  private async write(name: string, change: () => Promise<void>): Promise<void> {
    await this.ownership.requireLeader()
    await this.writes.run(change)
    // A reconciliation can itself write (task configs) and so queue another: wait until the connector has settled.
    for (let latest = this.latestReconciles.get(name); latest !== undefined; latest = this.latestReconciles.get(name)) await latest
  }

  /** Queues a reconciliation of `name` unless one is queued and not begun yet; resolves when it is done. */
  private reconcileSoon(name: string): Promise<void> {
    const pending = this.pendingReconciles.get(name)
    if (pending !== undefined) return pending
    const run = this.queueForConnector(name, async () => {
      this.pendingReconciles.delete(name)
      await this.reconcile(name)
    })
    this.pendingReconciles.set(name, run)
    return run
  }

  /** Carries out a restart request read from the config topic for what this worker runs of the connector. */
  private restartSoon(name: string, { includeTasks, onlyFailed }: RestartRecord): Promise<void> {
    return this.queueForConnector(name, async () => {
      if (includeTasks) {
        for (const taskId of this.deps.worker.runningTaskIds(name)) {
          if (!onlyFailed || this.deps.statuses.task(name, taskId)?.state === 'FAILED') await this.stopOwnTask(name, taskId)
        }
      }
      await this.reconcile(name)
    })
  }

  /** Runs `work` in turn with the other reconciliations, as the one a write on `name` waits for. */
  private queueForConnector(name: string, work: () => Promise<void>): Promise<void> {
    const run: Promise<void> = this.reconciles
      .run(async () => {
        await work()
        this.deps.onReconciled?.()
      })
      .catch((error: unknown) => this.deps.logger.error('could not reconcile connector', { connector: name, error }))
      .finally(() => {
        if (this.latestReconciles.get(name) === run) this.latestReconciles.delete(name)
      })
    this.latestReconciles.set(name, run)
    return run
  }

  /** Without a group: every stored connector, each in its own turn, so one that cannot start holds up no other. */
  private async reconcileAll(): Promise<void> {
    await Promise.all(this.deps.configs.connectorNames().map((name) => this.reconcileSoon(name)))
  }

  /** After an assignment, already in turn: every stored connector, and every one this worker still runs tasks of. */
  private async reconcileEach(): Promise<void> {
    const names = new Set([...this.deps.configs.connectorNames(), ...this.startedFrom.keys(), ...this.started])
    for (const name of names) {
      await this.reconcile(name).catch((error: unknown) => this.deps.logger.error('could not reconcile connector', { connector: name, error }))
    }
  }

  /**
   * Makes this worker do its part for `name` as the stored config, target state and assignment say: the one place
   * tasks start and stop. The leader writes task configs; the connector's owner reports its state; each task runs on
   * the worker it is assigned to, from its committed config.
   */
  private async reconcile(name: string): Promise<void> {
    if (this.stopping) return
    const config = this.deps.configs.connectorConfig(name)
    if (config === undefined) {
      await this.forgetConnector(name)
      return
    }
    const leader = this.ownership.isLeader()
    const ownsConnector = this.ownership.ownsConnector(name)
    const targetState = this.deps.configs.targetState(name)
    if (targetState === 'STOPPED') {
      await this.stopOwnTasks(name, () => true)
      this.startedFrom.delete(name)
      if (leader) await this.forgetTasks(name)
      if (ownsConnector) await this.putConnectorStatus(name, 'STOPPED')
      return
    }
    // A new config means new tasks: Kafka Connect restarts them even when the task configs come out the same.
    const previous = this.startedFrom.get(name)
    if (previous !== undefined && !sameConfig(previous, config)) await this.stopOwnTasks(name, () => true)
    let plugin: ConnectorPlugin
    let taskConfigs: StringMap[]
    try {
      // A stored config is checked as a new one is (a file it names may be gone): a bad one fails this connector alone.
      const validation = await validateConnectorConfig(this.deps.registry, config, this.deps.configProviders, this.deps.clientOverrides)
      if (validation.problems.length > 0) throw new ConnectError(invalidConfigMessage(validation.problems))
      plugin = validation.plugin
      // Parsed as resolved (a placeholder may stand for a number); task configs are built from the stored, unresolved one.
      const resolved = this.deps.configProviders?.resolve(config).values ?? config
      const parsed = parseConfig(plugin.config, resolved)
      const common = parseConfig(commonConnectorConfigSchema, resolved)
      if (!parsed.ok || !common.ok) throw new Error(invalidConfigMessage([...(parsed.ok ? [] : parsed.problems), ...(common.ok ? [] : common.problems)]))
      taskConfigs = plugin.taskConfigs(parsed.value, config, common.value['tasks.max'])
    } catch (error) {
      await this.stopOwnTasks(name, () => true)
      if (ownsConnector) {
        this.deps.connectorStartups?.failed()
        this.deps.logger.error('connector failed to start', { connector: name, error })
        await this.putConnectorStatus(name, 'FAILED', error)
      }
      return
    }
    if (leader && !sameTaskConfigs(this.deps.configs.taskConfigs(name), taskConfigs)) {
      await this.stopOwnTasks(name, () => true)
      await this.forgetTasks(name)
      await this.deps.configs.putTaskConfigs(name, taskConfigs)
    }
    if (ownsConnector) {
      if (previous === undefined || !sameConfig(previous, config)) this.deps.connectorStartups?.started()
      await this.putConnectorStatus(name, targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING')
    }
    this.startedFrom.set(name, config)
    const committed = this.deps.configs.taskConfigs(name)
    const mine = (taskId: number) => taskId < committed.length && this.ownership.ownsTask({ connector: name, task: taskId })
    await this.stopOwnTasks(name, (taskId) => !mine(taskId) || !sameConfig(this.startedTasks.get(startedKey(name, taskId)) ?? {}, committed[taskId]!))
    const running = new Set(this.deps.worker.runningTaskIds(name))
    for (let taskId = 0; taskId < committed.length; taskId++) {
      if (running.has(taskId) || !mine(taskId)) continue
      this.startedTasks.set(startedKey(name, taskId), committed[taskId]!)
      this.deps.worker.startTask(plugin, config, name, taskId, committed[taskId]!, targetState === 'PAUSED')
    }
    if (targetState === 'PAUSED') this.deps.worker.pauseTasks(name)
    else this.deps.worker.resumeTasks(name)
  }

  /** The connector is gone from the config topic: its tasks stop here, and the leader removes its statuses. */
  private async forgetConnector(name: string): Promise<void> {
    await this.stopOwnTasks(name, () => true)
    await this.deps.worker.settleStatusWrites()
    this.startedFrom.delete(name)
    this.started.delete(name)
    if (!this.ownership.isLeader()) return
    const taskIds = [...this.deps.statuses.tasksOf(name).keys()]
    if (taskIds.length > 0 || this.deps.statuses.connector(name) !== undefined) await this.deps.statuses.remove(name, taskIds, true)
    // As Kafka Connect's onDeletion: a deleted connector's active topics go with it.
    await this.deps.statuses.removeTopics(name, this.deps.statuses.topicsOf(name).map(({ topic }) => topic))
  }

  /** The leader empties a connector's task configs (stopped, or about to get new ones) and removes their statuses. */
  private async forgetTasks(name: string): Promise<void> {
    await this.deps.worker.settleStatusWrites()
    const taskIds = [...this.deps.statuses.tasksOf(name).keys()]
    if (this.deps.configs.taskConfigs(name).length > 0) await this.deps.configs.putTaskConfigs(name, [])
    if (taskIds.length > 0) await this.deps.statuses.remove(name, taskIds, false)
  }

  private async stopOwnTasks(name: string, shouldStop: (taskId: number) => boolean): Promise<void> {
    await Promise.all(this.deps.worker.runningTaskIds(name).filter(shouldStop).map((taskId) => this.stopOwnTask(name, taskId)))
  }

  private async stopOwnTask(name: string, taskId: number): Promise<void> {
    this.startedTasks.delete(startedKey(name, taskId))
    await this.deps.worker.stopTask(name, taskId)
  }

  private async putConnectorStatus(name: string, state: ConnectorState, error?: unknown): Promise<void> {
    this.started.add(name)
    const status = { state, trace: state === 'FAILED' ? errorTrace(error) : null, workerId: this.deps.worker.workerId, generation: this.deps.worker.generation }
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

  /** The connector plugin's version, which Kafka Connect 4.x reports on every status entry; nothing for an unknown class. */
  private pluginVersionOf(config: StringMap): { version?: string } {
    const plugin = findPlugin(this.deps.registry.connectors, config['connector.class'] ?? '')
    return plugin === undefined ? {} : { version: plugin.version }
  }

  private typeOf(config: StringMap): ConnectorInfo['type'] {
    const plugin = findPlugin(this.deps.registry.connectors, config['connector.class'] ?? '')
    return plugin?.type ?? 'source'
  }

  connectorActiveTopics(name: string): ActiveTopicsInfo {
    return connectorActiveTopics(this.deps.statuses, this.deps.topicTracking ?? DEFAULT_TOPIC_TRACKING, name)
  }

  resetConnectorActiveTopics(name: string): Promise<void> {
    return resetConnectorActiveTopics(this.deps.statuses, this.deps.topicTracking ?? DEFAULT_TOPIC_TRACKING, name)
  }

  async alterConnectorOffsets(name: string, changes: readonly OffsetChange[]): Promise<Message> {
    let answer: Message | undefined
    await this.ownership.requireLeader()
    // In turn with config writes, so that the connector cannot be resumed halfway through.
    await this.writes.run(async () => (answer = await alterConnectorOffsets(this.offsetsDependencies(), name, changes)))
    return answer!
  }

  async resetConnectorOffsets(name: string): Promise<Message> {
    let answer: Message | undefined
    await this.ownership.requireLeader()
    await this.writes.run(async () => (answer = await resetConnectorOffsets(this.offsetsDependencies(), name)))
    return answer!
  }

  private offsetsDependencies(): ConnectorOffsetsDependencies {
    return { configs: this.deps.configs, offsets: this.deps.offsets, groups: this.deps.groupOffsets, typeOf: (config) => this.typeOf(config) }
  }
}

const versionOf = ({ version }: { version?: string }): { version?: string } => (version === undefined ? {} : { version })

const startedKey = (connector: string, task: number): string => `${connector}/${task}`

const sameConfig = (a: StringMap, b: StringMap): boolean => JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b))

const sameTaskConfigs = (a: readonly StringMap[], b: readonly StringMap[]): boolean =>
  a.length === b.length && a.every((config, i) => sameConfig(config, b[i]!))

const sortedEntries = (config: StringMap) => Object.entries(config).sort(([x], [y]) => (x < y ? -1 : 1))
