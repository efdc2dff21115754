import type { ConnectorType } from '../plugin/connector.ts'
import type { TargetState } from '../storage/config-store.ts'

/** The JSON shapes of Kafka Connect's REST API, produced by the herder and sent as they are. */
export interface ConnectorTaskId {
  readonly connector: string
  readonly task: number
}

export interface ConnectorInfo {
  readonly name: string
  readonly config: Readonly<Record<string, string>>
  readonly tasks: readonly ConnectorTaskId[]
  readonly type: ConnectorType
}

export interface StateInfo {
  readonly state: string
  readonly worker_id: string
  /** The plugin version running, as Kafka Connect 4.x reports it (KIP-891). */
  readonly version?: string
  readonly trace?: string
}

export interface TaskStateInfo extends StateInfo {
  readonly id: number
}

export interface ConnectorStateInfo {
  readonly name: string
  readonly connector: StateInfo
  readonly tasks: readonly TaskStateInfo[]
  readonly type: ConnectorType
}

export interface TaskInfo {
  readonly id: ConnectorTaskId
  readonly config: Readonly<Record<string, string>>
}

export interface PluginInfo {
  readonly class: string
  readonly type: 'source' | 'sink' | 'transformation' | 'predicate' | 'converter' | 'header_converter'
  readonly version: string
}

export interface ConnectorOffsets {
  readonly offsets: readonly { readonly partition: Readonly<Record<string, unknown>>; readonly offset: Readonly<Record<string, unknown>> }[]
}

/** `GET /connectors/{name}/topics`' answer (KIP-558), keyed by the connector name. */
export interface ActiveTopicsInfo {
  readonly topics: readonly string[]
}

/** A success answer with a message, as Kafka Connect's offsets endpoints give one. */
export interface Message {
  readonly message: string
}

export interface RestartRequest {
  readonly includeTasks: boolean
  readonly onlyFailed: boolean
}

export type InitialState = TargetState
