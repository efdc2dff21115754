import type { LogEntry } from '../kafka/internal-topics-log.ts'
import { parseJsonObject, stringMap, type LogWriter } from './log-writer.ts'

/** What the user asked a connector to be, as Kafka Connect's target states. */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export type StringMap = Readonly<Record<string, string>>

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

  constructor(
    private readonly topic: string,
    private readonly log: LogWriter,
  ) {}

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

  apply({ key, value }: LogEntry): void {
    if (key === null) return
    const body = value === null ? null : parseJsonObject(value)
    if (key.startsWith('connector-')) this.applyConnector(key.slice('connector-'.length), body)
    else if (key.startsWith('target-state-')) this.applyTargetState(key.slice('target-state-'.length), body)
    else if (key.startsWith('task-')) this.applyTask(key.slice('task-'.length), body)
    else if (key.startsWith('commit-')) this.applyCommit(key.slice('commit-'.length), body)
  }

  private applyConnector(name: string, body: Record<string, unknown> | null): void {
    const properties = body === null ? null : stringMap(body.properties)
    if (properties === null) {
      this.connectors.delete(name)
      this.targetStates.delete(name)
      this.committedTasks.delete(name)
      this.uncommittedTasks.delete(name)
    } else {
      this.connectors.set(name, properties)
    }
  }

  private applyTargetState(name: string, body: Record<string, unknown> | null): void {
    if (body === null) {
      this.targetStates.delete(name)
      return
    }
    const state = body['state.v2'] ?? body.state
    if (state === 'STARTED' || state === 'PAUSED' || state === 'STOPPED') this.targetStates.set(name, state)
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

  private applyCommit(name: string, body: Record<string, unknown> | null): void {
    const count = body === null ? NaN : Number(body.tasks)
    if (!Number.isInteger(count)) return
    const pending = this.uncommittedTasks.get(name) ?? new Map<number, StringMap>()
    const configs: StringMap[] = []
    for (let index = 0; index < count; index++) {
      const config = pending.get(index) ?? this.committedTasks.get(name)?.[index]
      // A commit that names tasks we never saw is inconsistent; Kafka Connect skips it too.
      if (config === undefined) return
      configs.push(config)
    }
    this.committedTasks.set(name, configs)
    this.uncommittedTasks.delete(name)
  }
}

const targetStateEntry = (name: string, state: TargetState) => ({
  key: `target-state-${name}`,
  // `state` is the v1 field older workers read; they know no STOPPED, so they see it as PAUSED.
  value: JSON.stringify({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state }),
})
