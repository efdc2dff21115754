import type { LogEntry } from '../kafka/internal-topics-log.ts'
import { parseJsonObject, type LogWriter } from './log-writer.ts'

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED'
export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING'

export interface Status<S extends string> {
  readonly state: S
  /** A readable stack trace, set only when the state is FAILED. */
  readonly trace: string | null
  readonly workerId: string
  readonly generation: number
}

/** A topic a connector's task used (KIP-558): `status-topic-<topic>:connector-<name>` in the status topic. */
export interface TopicStatus {
  readonly topic: string
  readonly connector: string
  readonly task: number
  /** When the task first used the topic, in milliseconds since the epoch. */
  readonly discoverTimestamp: number
}

const TOPIC_PREFIX = 'status-topic-'
const TOPIC_SEPARATOR = ':connector-'

/**
 * Connector and task statuses in the status topic, in Kafka Connect's layout: `status-connector-<name>` and
 * `status-task-<name>-<n>` → {"state", "trace", "worker_id", "generation"}.
 */
export class StatusStore {
  private readonly connectors = new Map<string, Status<ConnectorState>>()
  private readonly tasks = new Map<string, Map<number, Status<TaskState>>>()
  /** connector → topic → status */
  private readonly topics = new Map<string, Map<string, TopicStatus>>()
  /** Bumped whenever a topic status goes away, so a task that remembers what it recorded knows to look again. */
  private topicRemovalCount = 0

  constructor(
    private readonly topic: string,
    private readonly log: LogWriter,
  ) {}

  connector(name: string): Status<ConnectorState> | undefined {
    return this.connectors.get(name)
  }

  tasksOf(name: string): ReadonlyMap<number, Status<TaskState>> {
    return this.tasks.get(name) ?? new Map()
  }

  task(name: string, taskId: number): Status<TaskState> | undefined {
    return this.tasks.get(name)?.get(taskId)
  }

  async putConnector(name: string, status: Status<ConnectorState>): Promise<void> {
    await this.log.write(this.topic, [{ key: `status-connector-${name}`, value: encode(status) }])
  }

  async putTask(name: string, taskId: number, status: Status<TaskState>): Promise<void> {
    await this.log.write(this.topic, [{ key: `status-task-${name}-${taskId}`, value: encode(status) }])
  }

  /** Forgets a connector, or only its tasks from `fromTaskId` on (after the task count shrank). */
  async remove(name: string, taskIds: readonly number[], includeConnector: boolean): Promise<void> {
    const entries = taskIds.map((id) => ({ key: `status-task-${name}-${id}`, value: null }))
    if (includeConnector) entries.push({ key: `status-connector-${name}`, value: null })
    await this.log.write(this.topic, entries)
  }

  /** The topic status of `topic` for `connector`, as read back from the status topic. */
  topicStatus(connector: string, topic: string): TopicStatus | undefined {
    return this.topics.get(connector)?.get(topic)
  }

  topicsOf(connector: string): readonly TopicStatus[] {
    return [...(this.topics.get(connector)?.values() ?? [])]
  }

  get topicRemovals(): number {
    return this.topicRemovalCount
  }

  /** Kafka Connect's layout: `{"topic":{"name","connector","task","discoverTimestamp"}}`. */
  async putTopic(status: TopicStatus): Promise<void> {
    const value = JSON.stringify({ topic: { name: status.topic, connector: status.connector, task: status.task, discoverTimestamp: status.discoverTimestamp } })
    await this.log.write(this.topic, [{ key: topicKey(status.topic, status.connector), value }])
  }

  async removeTopics(connector: string, topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return
    await this.log.write(this.topic, topics.map((topic) => ({ key: topicKey(topic, connector), value: null })))
  }

  apply({ key, value }: LogEntry): void {
    if (key === null) return
    if (key.startsWith(TOPIC_PREFIX)) {
      this.applyTopic(key, value)
      return
    }
    const status = value === null ? null : decode(value)
    if (key.startsWith('status-connector-')) {
      const name = key.slice('status-connector-'.length)
      if (status === null) this.connectors.delete(name)
      else this.connectors.set(name, status as Status<ConnectorState>)
    } else if (key.startsWith('status-task-')) {
      const rest = key.slice('status-task-'.length)
      const dash = rest.lastIndexOf('-')
      const taskId = Number(rest.slice(dash + 1))
      if (dash < 0 || !Number.isInteger(taskId)) return
      const name = rest.slice(0, dash)
      const tasks = this.tasks.get(name) ?? new Map<number, Status<TaskState>>()
      if (status === null) tasks.delete(taskId)
      else tasks.set(taskId, status as Status<TaskState>)
      if (tasks.size === 0) this.tasks.delete(name)
      else this.tasks.set(name, tasks)
    }
  }

  private applyTopic(key: string, value: Buffer | null): void {
    const rest = key.slice(TOPIC_PREFIX.length)
    // Topic names cannot hold a colon, so the first separator is the one.
    const separator = rest.indexOf(TOPIC_SEPARATOR)
    if (separator < 0) return
    const topic = rest.slice(0, separator)
    const connector = rest.slice(separator + TOPIC_SEPARATOR.length)
    const forConnector = this.topics.get(connector) ?? new Map<string, TopicStatus>()
    const status = value === null ? null : decodeTopic(value)
    if (status === null) {
      if (forConnector.delete(topic)) this.topicRemovalCount++
    } else forConnector.set(topic, status)
    if (forConnector.size === 0) this.topics.delete(connector)
    else this.topics.set(connector, forConnector)
  }
}

const topicKey = (topic: string, connector: string): string => `${TOPIC_PREFIX}${topic}${TOPIC_SEPARATOR}${connector}`

const decodeTopic = (value: Buffer): TopicStatus | null => {
  const body = parseJsonObject(value)
  const topic = body?.topic as Record<string, unknown> | undefined
  if (typeof topic !== 'object' || topic === null || typeof topic.name !== 'string' || typeof topic.connector !== 'string') return null
  return {
    topic: topic.name,
    connector: topic.connector,
    task: typeof topic.task === 'number' ? topic.task : 0,
    discoverTimestamp: typeof topic.discoverTimestamp === 'number' ? topic.discoverTimestamp : 0,
  }
}

const encode = ({ state, trace, workerId, generation }: Status<string>): string =>
  JSON.stringify({ state, trace, worker_id: workerId, generation })

const decode = (value: Buffer): Status<string> | null => {
  const body = parseJsonObject(value)
  if (body === null || typeof body.state !== 'string') return null
  return {
    state: body.state,
    trace: typeof body.trace === 'string' ? body.trace : null,
    workerId: typeof body.worker_id === 'string' ? body.worker_id : '',
    generation: typeof body.generation === 'number' ? body.generation : 0,
  }
}
