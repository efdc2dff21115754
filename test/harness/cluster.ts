import { randomUUID } from 'node:crypto'
import { waitFor } from '../../scripts/infra/wait.ts'
import { restCall } from './rest-client.ts'
import { createWorkerProcess, type WorkerProcess } from './worker.ts'

export interface StatusEntry {
  readonly state: string
  readonly worker_id: string
}

export interface ConnectorStatus {
  readonly name: string
  readonly connector: StatusEntry
  readonly tasks: readonly (StatusEntry & { readonly id: number })[]
}

export interface TestCluster {
  readonly workers: WorkerProcess[]
  /** Starts one more worker of the same group and internal topics. */
  addWorker(): Promise<WorkerProcess>
  /** `GET /connectors?expand=status` from one worker, as name → status. */
  statuses(worker: WorkerProcess): Promise<Record<string, ConnectorStatus>>
  /** Waits until every connector named has its connector and `taskCount` tasks RUNNING, seen from `worker`. */
  untilRunning(worker: WorkerProcess, names: readonly string[], taskCount: (name: string) => number, timeoutMs?: number): Promise<Record<string, ConnectorStatus>>
  stopAll(): Promise<void>
}

/**
 * Several real worker processes with one `group.id` and one set of internal topics: a Connect cluster on one machine.
 * Rebalance timings are short so that failover fits in a test; each worker advertises 127.0.0.1.
 */
export const startCluster = async (size: number, overrides: Readonly<Record<string, string>> = {}): Promise<TestCluster> => {
  const suffix = randomUUID().slice(0, 8)
  const settings = {
    'group.id': `cluster-${suffix}`,
    'config.storage.topic': `cluster-configs-${suffix}`,
    'offset.storage.topic': `cluster-offsets-${suffix}`,
    'status.storage.topic': `cluster-status-${suffix}`,
    'rest.advertised.host.name': '127.0.0.1',
    'session.timeout.ms': '6000',
    'heartbeat.interval.ms': '1000',
    'scheduled.rebalance.max.delay.ms': '2000',
    ...overrides,
  }
  const workers: WorkerProcess[] = []
  const addWorker = async () => {
    const worker = await createWorkerProcess(settings)
    workers.push(worker)
    return worker
  }
  for (let i = 0; i < size; i++) await addWorker()

  const statuses = async (worker: WorkerProcess) => {
    const { body } = await restCall<Record<string, { status: ConnectorStatus }>>(worker.url, 'GET', '/connectors?expand=status')
    return Object.fromEntries(Object.entries(body).map(([name, { status }]) => [name, status]))
  }
  const untilRunning = async (worker: WorkerProcess, names: readonly string[], taskCount: (name: string) => number, timeoutMs = 60_000) => {
    let last: Record<string, ConnectorStatus> = {}
    const running = await waitFor(
      async () => {
        last = await statuses(worker).catch(() => ({}))
        return names.every((name) => {
          const status = last[name]
          return status?.connector.state === 'RUNNING' && status.tasks.length === taskCount(name) && status.tasks.every(({ state }) => state === 'RUNNING')
        })
      },
      { timeoutMs, intervalMs: 200 },
    )
    if (!running) throw new Error(`not all RUNNING within ${timeoutMs} ms: ${JSON.stringify(last)}`)
    return last
  }
  return {
    workers,
    addWorker,
    statuses,
    untilRunning,
    stopAll: async () => {
      await Promise.all(workers.map((worker) => worker.stop()))
    },
  }
}

/** A write that meets a rebalance is a 409, as in Kafka Connect: a client tries again. */
export const restCallRetrying = async <T = unknown>(baseUrl: string, method: string, path: string, body?: unknown) => {
  for (let attempt = 0; ; attempt++) {
    const response = await restCall<T>(baseUrl, method, path, body)
    if (response.status !== 409 || attempt === 20) return response
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** Tasks per worker id over every connector. */
export const tasksPerWorker = (statuses: Record<string, ConnectorStatus>): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const status of Object.values(statuses)) for (const task of status.tasks) counts.set(task.worker_id, (counts.get(task.worker_id) ?? 0) + 1)
  return counts
}
