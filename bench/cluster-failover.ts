// bench/cluster-failover: how long a cluster takes to run every task again after losing a worker, for clusters of
// 1, 3 and 5 workers running 20 MQTT source tasks (5 connectors × 4 tasks sharing their subscriptions):
//   - kill -9 of a worker that runs tasks → every task RUNNING on a live worker again (session.timeout.ms plus
//     scheduled.rebalance.max.delay.ms bound it; with 1 worker the worker is started again, which is all it can do);
//   - SIGTERM of another → the same (a clean stop hands its work over at once).
// Timings are those of the bench cluster: session.timeout.ms=6000, heartbeat.interval.ms=1000,
// scheduled.rebalance.max.delay.ms=2000. Brokers are private to the run.
// Usage: npm run bench:cluster-failover [-- --runs 1]; writes bench/results/cluster-failover-<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startKafka } from '../scripts/infra/kafka.ts'
import { startMosquitto } from '../scripts/infra/mosquitto.ts'
import { projectRoot } from '../scripts/infra/paths.ts'
import { findFreePorts } from '../scripts/infra/ports.ts'
import { waitFor } from '../scripts/infra/wait.ts'
import { restCallRetrying, startCluster, type ConnectorStatus, type TestCluster } from '../test/harness/cluster.ts'
import type { WorkerProcess } from '../test/harness/worker.ts'

const CONNECTORS = 5
const TASKS_PER_CONNECTOR = 4
const SIZES = [1, 3, 5]

interface Row {
  readonly workers: number
  readonly killToRunningMs: number
  readonly sigtermToRunningMs: number
}

const names = Array.from({ length: CONNECTORS }, (_, i) => `bench-${i}`)

/** Milliseconds from `stop` until every task is RUNNING and none on `victim` (or, alone, on the restarted worker). */
const timeToAllRunning = async (cluster: TestCluster, victim: WorkerProcess, stop: () => Promise<unknown>): Promise<number> => {
  const victimHost = new URL(victim.url).host
  const alone = cluster.workers.length === 1
  const started = performance.now()
  await stop()
  if (alone) await victim.start()
  const observer = alone ? victim : cluster.workers.find((worker) => worker !== victim)!
  const done = await waitFor(
    async () => {
      const statuses: Record<string, ConnectorStatus> = await cluster.statuses(observer).catch(() => ({}))
      return names.every((name) => {
        const tasks = statuses[name]?.tasks ?? []
        return tasks.length === TASKS_PER_CONNECTOR && tasks.every(({ state, worker_id }) => state === 'RUNNING' && (alone || worker_id !== victimHost))
      })
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  )
  if (!done) throw new Error('the tasks did not all run again within 120 s')
  if (!alone) cluster.workers.splice(cluster.workers.indexOf(victim), 1)
  return Math.round(performance.now() - started)
}

const victimAmong = async (cluster: TestCluster): Promise<WorkerProcess> => {
  if (cluster.workers.length === 1) return cluster.workers[0]!
  const statuses = await cluster.statuses(cluster.workers[0]!)
  const busy = new Set(Object.values(statuses).flatMap(({ tasks }) => tasks.map(({ worker_id }) => worker_id)))
  return cluster.workers.slice(1).find(({ url }) => busy.has(new URL(url).host)) ?? cluster.workers.at(-1)!
}

const measure = async (size: number, mqttUrl: string): Promise<Row> => {
  // One spare worker, so that after a kill and a SIGTERM the cluster still has `size - 1` workers (and 1 for size 1).
  const cluster = await startCluster(size === 1 ? 1 : size + 1)
  try {
    for (const name of names) {
      const created = await restCallRetrying(cluster.workers[0]!.url, 'POST', '/connectors', {
        name,
        config: { 'connector.class': 'MqttSource', 'tasks.max': String(TASKS_PER_CONNECTOR), 'mqtt.server.uri': mqttUrl, 'mqtt.topics': `${name}/#`, 'kafka.topic': name },
      })
      if (created.status !== 201) throw new Error(`create ${name}: ${created.status} ${JSON.stringify(created.body)}`)
    }
    await cluster.untilRunning(cluster.workers[0]!, names, () => TASKS_PER_CONNECTOR, 120_000)
    const killed = await victimAmong(cluster)
    const killToRunningMs = await timeToAllRunning(cluster, killed, () => killed.stop('SIGKILL'))
    const terminated = await victimAmong(cluster)
    const sigtermToRunningMs = await timeToAllRunning(cluster, terminated, () => terminated.stop('SIGTERM'))
    return { workers: size, killToRunningMs, sigtermToRunningMs }
  } finally {
    await cluster.stopAll()
  }
}

const main = async (): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cluster-'))
  const [kafkaPort, controllerPort, mqttPort] = await findFreePorts(3)
  const kafka = await startKafka({ port: kafkaPort!, controllerPort: controllerPort!, dataDir: join(dir, 'kafka'), logFile: join(dir, 'kafka.log'), detached: false })
  const mosquitto = await startMosquitto({ port: mqttPort!, dataDir: join(dir, 'mosquitto'), logFile: join(dir, 'mosquitto.log'), detached: false })
  process.env.KAFKA_BOOTSTRAP_SERVERS = kafka.bootstrapServers
  try {
    const rows: Row[] = []
    for (const size of SIZES) {
      rows.push(await measure(size, mosquitto.url))
      console.log(`${size} worker(s): kill -9 → all RUNNING ${rows.at(-1)!.killToRunningMs} ms, SIGTERM → all RUNNING ${rows.at(-1)!.sigtermToRunningMs} ms`)
    }
    console.log('\n| workers | kill -9 → 20 tasks RUNNING | SIGTERM → 20 tasks RUNNING |\n|---|---|---|')
    for (const row of rows) console.log(`| ${row.workers} | ${(row.killToRunningMs / 1000).toFixed(1)} s | ${(row.sigtermToRunningMs / 1000).toFixed(1)} s |`)
    mkdirSync(join(projectRoot, 'bench/results'), { recursive: true })
    const file = join(projectRoot, `bench/results/cluster-failover-${new Date().toISOString().replaceAll(':', '-')}.json`)
    writeFileSync(file, JSON.stringify({ connectors: CONNECTORS, tasksPerConnector: TASKS_PER_CONNECTOR, rows }, null, 2))
    console.log(`\nwritten to ${file}`)
  } finally {
    await mosquitto.stop()
    await kafka.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
