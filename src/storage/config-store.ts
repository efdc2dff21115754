import type { LogEntry } from '../kafka/internal-topics-log.ts'
import { parseJsonObject, stringMap, type LogWriter } from './log-writer.ts'

/** What the user asked a connector to be, as Kafka Connect's target states. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export type StringMap = Readonly<Record<string, string>>

/**
 * Something about `connector` changed in the config topic: its config, its target state, or its committed task
 * configs; or someone asked for it to be restarted (`restart`, Kafka Connect's `restart-connector-<name>` record).
 */
export interface ConfigChange {
  readonly connector: string
  readonly restart?: RestartRecord
}

export interface RestartRecord {
  readonly includeTasks: boolean
  readonly onlyFailed: boolean
}

/**
 * Connector configs, task configs and target states in the config topic, in Kafka Connect's layout:
 * `connector-<name>` → {"properties": {...}}, `task-<name>-<n>` → {"properties": {...}}, `commit-<name>` → {"tasks": n}
 * (task configs count only once committed), `target-state-<name>` → {"state": ..., "state.v2": ...}.
 */
export class ConfigStore {
  private readonly connectors = new Map<string, StringMap>()
  private readonly targetStates = new Map<string, TargetState>()
  private readonly uncommittedTasks = new Map<string, Map<number, StringMap>>()
  private readonly committedTasks = new Map<string, readonly StringMap[]>()
  private readonly listeners = new Set<(change: ConfigChange) => void>()
  private readonly loggerListeners = new Set<(namespace: string, level: string) => void>()
  private lastOffset = -1n

  constructor(
    private readonly topic: string,
    private readonly log: LogWriter,
  ) {}

  /**
   * Calls `listener` after each change read from the config topic is applied, whoever wrote it; returns the
   * unsubscribe function. Records of tasks not committed yet change nothing until their commit arrives.
   */
  onChange(listener: (change: ConfigChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Calls `listener` for each cluster-wide log level change read from the config topic (KIP-976's
   * `logger-cluster-<namespace>` records). Changes written before this worker started are not replayed, as in Kafka
   * Connect: a dynamic level lasts until the workers restart.
   */
  onLoggerLevel(listener: (namespace: string, level: string) => void): () => void {
    this.loggerListeners.add(listener)
    return () => this.loggerListeners.delete(listener)
  }

  /** Asks every worker of the cluster to set `namespace`'s level. */
  async putLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.log.write(this.topic, [{ key: `logger-cluster-${namespace}`, value: JSON.stringify({ level }) }])
  }

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort()
  }

  connectorConfig(name: string): StringMap | undefined {
    return this.connectors.get(name)
  }

  targetState(name: string): TargetState {
    return this.targetStates.get(name) ?? 'STARTED'
  }

  taskConfigs(name: string): readonly StringMap[] {
    return this.committedTasks.get(name) ?? []
  }

  /** The offset of the last record read from the config topic, -1 before any: Kafka Connect's config offset. */
  offset(): bigint {
    return this.lastOffset
  }

  /** Asks every worker to restart the connector's instance and, as asked, its tasks (KIP-745's record layout). */
  async requestRestart(name: string, { includeTasks, onlyFailed }: RestartRecord): Promise<void> {
    await this.log.write(this.topic, [{ key: `restart-connector-${name}`, value: JSON.stringify({ 'include-tasks': includeTasks, 'only-failed': onlyFailed }) }])
  }

  async putConnectorConfig(name: string, config: StringMap, targetState?: TargetState): Promise<void> {
    // Kafka Connect writes the target state first, so a connector created paused never runs.
    const entries = targetState ? [targetStateEntry(name, targetState)] : []
    entries.push({ key: `connector-${name}`, value: JSON.stringify({ properties: config }) })
    await this.log.write(this.topic, entries)
  }

  async removeConnector(name: string): Promise<void> {
    await this.log.write(this.topic, [
      { key: `connector-${name}`, value: null },
      { key: `target-state-${name}`, value: null },
    ])
  }

  async putTaskConfigs(name: string, taskConfigs: readonly StringMap[]): Promise<void> {
    await this.log.write(this.topic, [
      ...taskConfigs.map((config, index) => ({ key: `task-${name}-${index}`, value: JSON.stringify({ properties: config }) })),
      { key: `commit-${name}`, value: JSON.stringify({ tasks: taskConfigs.length }) },
    ])
  }

  async putTargetState(name: string, state: TargetState): Promise<void> {
    await this.log.write(this.topic, [targetStateEntry(name, state)])
  }

  apply({ key, value, offset }: LogEntry): void {
    if (offset !== undefined && offset > this.lastOffset) this.lastOffset = offset
    if (key === null) return
    const body = value === null ? null : parseJsonObject(value)
    if (key.startsWith('logger-cluster-')) {
      if (typeof body?.level === 'string') for (const listener of this.loggerListeners) listener(key.slice('logger-cluster-'.length), body.level)
      return
    }
    if (key.startsWith('restart-connector-')) {
      const name = key.slice('restart-connector-'.length)
      if (body === null || !this.connectors.has(name)) return
      const restart = { includeTasks: body['include-tasks'] === true, onlyFailed: body['only-failed'] === true }
      for (const listener of this.listeners) listener({ connector: name, restart })
      return
    }
    let changed: string | null = null
    if (key.startsWith('connector-')) changed = this.applyConnector(key.slice('connector-'.length), body)
    else if (key.startsWith('target-state-')) changed = this.applyTargetState(key.slice('target-state-'.length), body)
    else if (key.startsWith('task-')) this.applyTask(key.slice('task-'.length), body)
    else if (key.startsWith('commit-')) changed = this.applyCommit(key.slice('commit-'.length), body)
    if (changed !== null) for (const listener of this.listeners) listener({ connector: changed })
  }

  /** Each apply step returns the connector it changed, or null when the record changed nothing. */
  private applyConnector(name: string, body: Record<string, unknown> | null): string | null {
    const properties = body === null ? null : stringMap(body.properties)
    if (properties === null) {
      if (!this.connectors.has(name)) return null
      this.connectors.delete(name)
      this.targetStates.delete(name)
      this.committedTasks.delete(name)
      this.uncommittedTasks.delete(name)
    } else {
      this.connectors.set(name, properties)
    }
    return name
  }

  private applyTargetState(name: string, body: Record<string, unknown> | null): string | null {
    if (body === null) {
      this.targetStates.delete(name)
      return null
    }
    const state = body['state.v2'] ?? body.state
    if (state !== 'STARTED' && state !== 'PAUSED' && state !== 'STOPPED') return null
    this.targetStates.set(name, state)
    return this.connectors.has(name) ? name : null
  }

  /** Task keys are `task-<connector>-<n>`; connector names may themselves contain dashes. */
  private applyTask(connectorAndIndex: string, body: Record<string, unknown> | null): void {
    const dash = connectorAndIndex.lastIndexOf('-')
    const index = Number(connectorAndIndex.slice(dash + 1))
    const properties = body === null ? null : stringMap(body.properties)
    if (dash < 0 || !Number.isInteger(index) || properties === null) return
    const name = connectorAndIndex.slice(0, dash)
    const pending = this.uncommittedTasks.get(name) ?? new Map<number, StringMap>()
    pending.set(index, properties)
    this.uncommittedTasks.set(name, pending)
  }

  private applyCommit(name: string, body: Record<string, unknown> | null): string | null {
    const count = body === null ? NaN : Number(body.tasks)
    if (!Number.isInteger(count)) return null
    const pending = this.uncommittedTasks.get(name) ?? new Map<number, StringMap>()
    const configs: StringMap[] = []
    for (let index = 0; index < count; index++) {
      const config = pending.get(index) ?? this.committedTasks.get(name)?.[index]
      // A commit that names tasks we never saw is inconsistent; Kafka Connect skips it too.
      if (config === undefined) return null
      configs.push(config)
    }
    this.committedTasks.set(name, configs)
    this.uncommittedTasks.delete(name)
    return this.connectors.has(name) ? name : null
  }
}

const targetStateEntry = (name: string, state: TargetState) => ({
  key: `target-state-${name}`,
  // `state` is the v1 field older workers read; they know no STOPPED, so they see it as PAUSED.
  value: JSON.stringify({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state }),
})
