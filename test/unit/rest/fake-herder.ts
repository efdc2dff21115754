import type { ConfigKeyInfo } from '../../../src/config/describe.ts'
import type { ConfigInfos } from '../../../src/config/validate.ts'
import { AlreadyExistsError, NotFoundError } from '../../../src/herder/errors.ts'
import type { Herder } from '../../../src/herder/herder.ts'
import type { DegradedTaskInfo } from '../../../src/worker/degraded-tasks.ts'
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
} from '../../../src/herder/types.ts'
import type { StringMap } from '../../../src/storage/config-store.ts'
import { createRestApp, type RestOptions } from '../../../src/rest/app.ts'

interface FakeConnector {
  config: StringMap
  state: InitialState
}

/**
 * A herder that keeps connectors in a Map, one task each, and answers at once; with `stall()` every write waits until
 * `release()` (or forever), to see the REST API's herder timeout.
 */
export class FakeHerder implements Herder {
  readonly connectors = new Map<string, FakeConnector>()
  /** Every write the REST API asked for, in order: `createConnector sensors`. */
  readonly calls: string[] = []
  private stalled: Promise<void> | null = null
  private releaseStalled: () => void = () => {}
  private readonly callWaiters: { readonly call: string; readonly resolve: () => void }[] = []

  /** From now on every write waits until `release()`. */
  stall(): void {
    this.stalled = new Promise((resolve) => (this.releaseStalled = resolve))
  }

  /** Resolves once the REST API has asked for `call` (e.g. `putConnectorConfig sensors`), at once if it already has. */
  whenCalled(call: string): Promise<void> {
    if (this.calls.includes(call)) return Promise.resolve()
    return new Promise((resolve) => this.callWaiters.push({ call, resolve }))
  }

  release(): void {
    this.releaseStalled()
    this.stalled = null
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort()
  }

  connectorInfo(name: string): ConnectorInfo {
    const { config } = this.require(name)
    return { name, config, tasks: [{ connector: name, task: 0 }], type: 'source' }
  }

  connectorConfig(name: string): StringMap {
    return this.require(name).config
  }

  connectorStatus(name: string): ConnectorStateInfo {
    const state = this.stateOf(name)
    return { name, connector: { state, worker_id: 'fake:8083' }, tasks: [{ id: 0, state, worker_id: 'fake:8083' }], type: 'source' }
  }

  taskConfigs(name: string): TaskInfo[] {
    return [{ id: { connector: name, task: 0 }, config: this.require(name).config }]
  }

  taskStatus(name: string, taskId: number): TaskStateInfo {
    const state = this.stateOf(name)
    if (taskId !== 0) throw new NotFoundError(`Task ${name}-${taskId} not found`)
    return { id: 0, state, worker_id: 'fake:8083' }
  }

  offsets(name: string): ConnectorOffsets {
    this.require(name)
    return { offsets: [] }
  }

  async createConnector(name: string, config: StringMap, initialState: InitialState = 'STARTED'): Promise<ConnectorInfo> {
    await this.write(`createConnector ${name}`)
    if (this.connectors.has(name)) throw new AlreadyExistsError(`Connector ${name} already exists`)
    this.connectors.set(name, { config: { ...config, name }, state: initialState })
    return this.connectorInfo(name)
  }

  async putConnectorConfig(name: string, config: StringMap): Promise<{ created: boolean; info: ConnectorInfo }> {
    await this.write(`putConnectorConfig ${name}`)
    const existing = this.connectors.get(name)
    this.connectors.set(name, { config: { ...config, name }, state: existing?.state ?? 'STARTED' })
    return { created: existing === undefined, info: this.connectorInfo(name) }
  }

  async patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo> {
    await this.write(`patchConnectorConfig ${name}`)
    const connector = this.require(name)
    const merged = new Map(Object.entries(connector.config))
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) merged.delete(key)
      else merged.set(key, value)
    }
    connector.config = Object.fromEntries(merged)
    return this.connectorInfo(name)
  }

  async deleteConnector(name: string): Promise<void> {
    await this.write(`deleteConnector ${name}`)
    this.require(name)
    this.connectors.delete(name)
  }

  async pauseConnector(name: string): Promise<void> {
    await this.write(`pauseConnector ${name}`)
    this.require(name).state = 'PAUSED'
  }

  async resumeConnector(name: string): Promise<void> {
    await this.write(`resumeConnector ${name}`)
    this.require(name).state = 'STARTED'
  }

  async stopConnector(name: string): Promise<void> {
    await this.write(`stopConnector ${name}`)
    this.require(name).state = 'STOPPED'
  }

  async restartConnector(name: string, { includeTasks, onlyFailed }: RestartRequest): Promise<ConnectorStateInfo | null> {
    await this.write(`restartConnector ${name}`)
    const status = this.connectorStatus(name)
    return includeTasks || onlyFailed ? status : null
  }

  async restartTask(name: string, taskId: number): Promise<void> {
    await this.write(`restartTask ${name} ${taskId}`)
    this.taskStatus(name, taskId)
  }

  async validate(pluginName: string, config: StringMap): Promise<ConfigInfos> {
    await this.write(`validate ${pluginName}`)
    return { name: pluginName, error_count: 0, groups: ['Common'], configs: Object.keys(config).map((key) => configInfo(key, config[key] ?? null)) }
  }

  /** What /health lists; tests push into it. */
  readonly degraded: DegradedTaskInfo[] = []

  degradedTasks(): DegradedTaskInfo[] {
    return [...this.degraded]
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    const connectors: PluginInfo[] = [{ class: 'com.example.FakeSourceConnector', type: 'source', version: '1.0.0' }]
    return connectorsOnly ? connectors : [...connectors, { class: 'com.example.FakeTransform', type: 'transformation', version: '1.0.0' }]
  }

  pluginConfig(pluginName: string): ConfigKeyInfo[] {
    if (!pluginName.endsWith('FakeSourceConnector')) throw new NotFoundError(`Unknown plugin ${pluginName}.`)
    return [configKey('fake.topic')]
  }

  connectorActiveTopics(_name: string): ActiveTopicsInfo {
    return { topics: [] }
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.write(`resetConnectorActiveTopics ${name}`)
  }

  async alterConnectorOffsets(name: string): Promise<Message> {
    this.require(name)
    await this.write(`alterConnectorOffsets ${name}`)
    return { message: 'altered' }
  }

  async resetConnectorOffsets(name: string): Promise<Message> {
    this.require(name)
    await this.write(`resetConnectorOffsets ${name}`)
    return { message: 'reset' }
  }

  private async write(call: string): Promise<void> {
    this.calls.push(call)
    for (const waiter of this.callWaiters.filter((waiter) => waiter.call === call)) waiter.resolve()
    if (this.stalled !== null) await this.stalled
  }

  private require(name: string): FakeConnector {
    const connector = this.connectors.get(name)
    if (connector === undefined) throw new NotFoundError(`Connector ${name} not found`)
    return connector
  }

  private stateOf(name: string): string {
    const { state } = this.require(name)
    return state === 'STARTED' ? 'RUNNING' : state
  }
}

const configKey = (name: string): ConfigKeyInfo => ({
  name,
  type: 'STRING',
  required: true,
  default_value: null,
  importance: 'HIGH',
  documentation: `The ${name}.`,
  group: 'Fake',
  order_in_group: 0,
  width: 'NONE',
  display_name: name,
  dependents: [],
})

const configInfo = (name: string, value: string | null): ConfigInfos['configs'][number] => ({
  definition: configKey(name),
  value: { name, value, recommended_values: [], errors: [], visible: true },
})

export const WORKER_INFO = { version: '0.1.0', commit: 'test', kafkaClusterId: 'fake-cluster' } as const

/** The REST API over a fresh FakeHerder, not listening: drive it with `app.inject()`. */
export const restAppWithFakeHerder = (options: RestOptions = {}) => {
  const herder = new FakeHerder()
  const app = createRestApp(herder, WORKER_INFO, () => true, options)
  return { herder, app }
}
