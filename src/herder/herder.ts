import type { ConfigKeyInfo } from '../config/describe.ts'
import type { ConfigInfos } from '../config/validate.ts'
import type { StringMap } from '../storage/config-store.ts'
import type { DegradedTaskInfo } from '../worker/degraded-tasks.ts'
import type { OffsetChange } from './connector-offsets.ts'
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

/**
 * The cluster's actions, as the REST API calls them. Reads answer from the shared state at once and throw
 * NotFoundError for an unknown connector or task; writes resolve once the change is in the config topic.
 * A write never waits for a task to start or stop beyond `task.shutdown.graceful.timeout.ms`.
 */
export interface Herder {
  connectorNames(): string[]
  connectorInfo(name: string): ConnectorInfo
  connectorConfig(name: string): StringMap
  connectorStatus(name: string): ConnectorStateInfo
  taskConfigs(name: string): TaskInfo[]
  taskStatus(name: string, taskId: number): TaskStateInfo
  /** A source connector's offsets, or a sink connector's committed consumer group offsets (KIP-875). */
  offsets(name: string): ConnectorOffsets | Promise<ConnectorOffsets>
  createConnector(name: string, config: StringMap, initialState?: InitialState): Promise<ConnectorInfo>
  /** Creates or replaces a connector's config; `created` tells which, for 201 versus 200. */
  putConnectorConfig(name: string, config: StringMap): Promise<{ created: boolean; info: ConnectorInfo }>
  /** Merges `patch` into the config; a `null` value removes that key, as Kafka Connect's PATCH does. */
  patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo>
  deleteConnector(name: string): Promise<void>
  pauseConnector(name: string): Promise<void>
  resumeConnector(name: string): Promise<void>
  stopConnector(name: string): Promise<void>
  /**
   * Restarts the connector and, when asked, its (failed) tasks. Returns the status with what was restarted marked
   * RESTARTING, as Kafka Connect's 202 answer does, or `null` for a plain connector restart (its 204).
   */
  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null>
  restartTask(name: string, taskId: number): Promise<void>
  validate(pluginName: string, config: StringMap): Promise<ConfigInfos>
  /** Tasks on this worker that keep RUNNING while they cannot reach Kafka or their MQTT broker. */
  degradedTasks(): DegradedTaskInfo[]
  plugins(connectorsOnly: boolean): PluginInfo[]
  pluginConfig(pluginName: string): ConfigKeyInfo[]
  /** The topics the connector's tasks used (KIP-558); none for a connector the worker does not know, as in Kafka Connect. */
  connectorActiveTopics(name: string): ActiveTopicsInfo
  resetConnectorActiveTopics(name: string): Promise<void>
  /** KIP-875: only for a STOPPED connector; a `null` offset removes the partition's. */
  alterConnectorOffsets(name: string, changes: readonly OffsetChange[]): Promise<Message>
  resetConnectorOffsets(name: string): Promise<Message>
}
