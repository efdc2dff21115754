import type { DegradedReporter } from '../plugin/source-task.ts'

/** What a task cannot reach: Kafka (the runtime notices) or the system the connector bridges to (the task says). */
export type DegradedArea = 'kafka' | 'external'

/** One thing a RUNNING task cannot reach right now, as GET /health lists it. */
export interface DegradedTaskInfo {
  readonly connector: string
  readonly task: number
  readonly area: DegradedArea
  readonly reason: string
  /** When it began, ISO 8601. */
  readonly since: string
}

/**
 * The tasks on this worker that keep RUNNING while something they need is unreachable. Kafka Connect's status
 * has no word for this (it stays RUNNING), so it is kept beside the statuses, worker-local, and cleared when the
 * task recovers or stops.
 */
export class DegradedTasks {
  private readonly entries = new Map<string, DegradedTaskInfo>()

  reporter(connector: string, task: number, area: DegradedArea): DegradedReporter {
    const key = `${area}\u0000${connector}\u0000${task}`
    return (reason) => {
      if (reason === null) this.entries.delete(key)
      // The first report of an outage keeps its start; a later one only refreshes the reason.
      else this.entries.set(key, { connector, task, area, reason, since: this.entries.get(key)?.since ?? new Date().toISOString() })
    }
  }

  forget(connector: string, task: number): void {
    for (const [key, entry] of this.entries) if (entry.connector === connector && entry.task === task) this.entries.delete(key)
  }

  list(): DegradedTaskInfo[] {
    return [...this.entries.values()].sort((a, b) => a.connector.localeCompare(b.connector) || a.task - b.task || a.area.localeCompare(b.area))
  }
}
