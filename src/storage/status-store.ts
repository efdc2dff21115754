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

/**
 * Connector and task statuses in the status topic, in Kafka Connect's layout: `status-connector-<name>` and
 * `status-task-<name>-<n>` → {"state", "trace", "worker_id", "generation"}.
 */
export class StatusStore {
  private readonly connectors = new Map<string, Status<ConnectorState>>()
  private readonly tasks = new Map<string, Map<number, Status<TaskState>>>()

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

  apply({ key, value }: LogEntry): void {
    if (key === null) return
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
