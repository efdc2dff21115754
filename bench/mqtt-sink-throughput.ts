// bench/mqtt-sink-throughput: Kafka → MQTT throughput of the worker's MQTT sink at QoS 1 and QoS 0, and how soon its
// consumer group's committed offsets catch up (offsets are committed only after the broker's PUBACK), beside a ceiling
// measured in the same run on the same broker: an MQTT.js publisher → Mosquitto → an MQTT.js subscriber, no Kafka.
//
// Each worker scenario starts a worker, pre-produces the records with kafkajs (100-byte values carrying their produce
// time), then POSTs the sink connector, which drains the backlog, so:
//   - msg/s is records arriving at the MQTT subscriber per second, first arrival to last;
//   - latency is produce time (in the payload) → arrival at the subscriber. The records wait in Kafka while the task
//     starts and joins the group and while the backlog ahead of them drains, so these figures measure the backlog, not
//     a per-record pipeline delay; the ceiling's latency is publish → arrival under a 1,000-publish window;
//   - "committed" is when the group connect-<name> has committed offsets for every record (fetchOffsets, polled).
// Usage: npm run bench:sink [-- --messages 100000]; writes bench/results/mqtt-sink-throughput-<timestamp>.json.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { startKafka } from '../scripts/infra/kafka.ts'
import { lastLines } from '../scripts/infra/logs.ts'
import { startMosquitto } from '../scripts/infra/mosquitto.ts'
import { projectRoot } from '../scripts/infra/paths.ts'
import { findFreePorts } from '../scripts/infra/ports.ts'
import { sleep, waitFor } from '../scripts/infra/wait.ts'
import { printTable, summarise, type RunFigures } from './stats.ts'

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? Number(process.argv[index + 1]) : fallback
}
const MESSAGES = argument('messages', 100_000)
const PAYLOAD_BYTES = 100
const PUBLISH_WINDOW = 1_000
const PRODUCE_BATCH = 4_096
/** No arrival for this long means the rest is not coming (QoS 0 may lose messages). */
const STALL_MS = 15_000
/** Upper bound on a whole drain, however slow the machine. */
const DRAIN_TIMEOUT_MS = 300_000
const OFFSET_FLUSH_INTERVAL_MS = 1_000
const BYTE_ARRAY_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter'

type QoS = 0 | 1

/** `<seq>:<produce or publish ms>:` padded to 100 bytes, as the source benchmark lays it out. */
const payloadFor = (seq: number, at = Date.now()): Buffer => Buffer.from(`${seq}:${at}:`.padEnd(PAYLOAD_BYTES, 'x'))
const sentAt = (payload: Buffer): number => Number(payload.toString('latin1').split(':')[1])

/** An MQTT.js subscriber that records each arrival's latency (now − the time in the payload). */
interface Subscriber {
  readonly latencies: number[]
  /** Earliest send time in the payloads received so far. */
  readonly firstSent: () => number
  readonly firstArrival: () => number
  readonly lastArrival: () => number
  /** Resolves once MESSAGES arrived, or arrivals stalled for STALL_MS (or never started within `startTimeoutMs`). */
  readonly settled: (startTimeoutMs: number) => Promise<void>
  readonly end: () => Promise<void>
}

const subscribe = async (url: string, topic: string, qos: QoS, clientId: string): Promise<Subscriber> => {
  const client: MqttClient = await connectAsync(url, { clientId, clean: true })
  const latencies: number[] = []
  let firstSent = Infinity
  let firstArrival = 0
  let lastArrival = 0
  client.on('message', (_topic, payload) => {
    const now = Date.now()
    const sent = sentAt(payload)
    if (latencies.length === 0) firstArrival = now
    firstSent = Math.min(firstSent, sent)
    latencies.push(now - sent)
    lastArrival = now
  })
  await client.subscribeAsync(topic, { qos })
  const subscribedAt = Date.now()
  return {
    latencies,
    firstSent: () => firstSent,
    firstArrival: () => firstArrival,
    lastArrival: () => lastArrival,
    settled: async (startTimeoutMs) => {
      await waitFor(
        () => {
          const now = Date.now()
          if (latencies.length >= MESSAGES || now - subscribedAt > DRAIN_TIMEOUT_MS) return true
          return latencies.length === 0 ? now - subscribedAt > startTimeoutMs : now - lastArrival > STALL_MS
        },
        { timeoutMs: DRAIN_TIMEOUT_MS + startTimeoutMs, intervalMs: 50 },
      )
    },
    end: () => client.endAsync(),
  }
}

/**
 * Ceiling: an MQTT.js publisher → Mosquitto → an MQTT.js subscriber, at one QoS. The publisher keeps PUBLISH_WINDOW
 * publishes in flight, sliding (a new one as each completes), as the sink does with its default mqtt.max.in.flight.
 */
const mqttCeiling = async (url: string, qos: QoS): Promise<RunFigures> => {
  const topic = `bench/sink-ceiling/${qos}`
  const subscriber = await subscribe(url, topic, qos, `bench-ceiling-subscriber-${qos}-${Date.now()}`)
  const publisher = await connectAsync(url, { clientId: `bench-ceiling-publisher-${qos}-${Date.now()}`, clean: true })
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < MESSAGES) await publisher.publishAsync(topic, payloadFor(next++), { qos })
  }
  await Promise.all(Array.from({ length: PUBLISH_WINDOW }, lane))
  await publisher.endAsync()
  await subscriber.settled(30_000)
  await subscriber.end()
  return summarise(`MQTT.js publisher → Mosquitto → subscriber, QoS ${qos}`, MESSAGES, subscriber.latencies, subscriber.lastArrival() - subscriber.firstSent())
}

/** Produces MESSAGES records to `topic` in batches of PRODUCE_BATCH with acks=all; each value carries its batch's send time. */
const preProduce = async (kafka: Kafka, topic: string): Promise<number> => {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const started = Date.now()
  for (let start = 0; start < MESSAGES; start += PRODUCE_BATCH) {
    const now = Date.now()
    const messages = []
    for (let seq = start; seq < Math.min(MESSAGES, start + PRODUCE_BATCH); seq++) messages.push({ value: payloadFor(seq, now) })
    await producer.send({ topic, acks: -1, messages })
  }
  const elapsed = Date.now() - started
  await producer.disconnect()
  return elapsed
}

/** The sum of the committed offsets of `groupId` on `topic` (a partition without a commit counts 0). */
const committedOffsets = async (admin: Admin, groupId: string, topic: string): Promise<number> => {
  const [topicOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
  return (topicOffsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0)
}

/** The worker process's peak resident memory so far (VmHWM), in MB. */
const peakRssMb = (pid: number | undefined): number | null => {
  if (pid === undefined) return null
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Math.round(Number(match[1]) / 1024) : null
  } catch {
    return null
  }
}

const stopWorker = async (worker: ChildProcess): Promise<void> => {
  if (worker.exitCode !== null || worker.signalCode !== null) return
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.kill('SIGTERM')
  const timer = setTimeout(() => worker.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

/** What the JSON keeps beyond the table: how long each phase of a worker scenario took. */
interface SinkTimings {
  readonly scenario: string
  readonly groupId: string
  readonly preProduceMs: number
  /** Connector POST → first record at the MQTT subscriber (task start, group join, first fetch). */
  readonly postToFirstArrivalMs: number | null
  /** First arrival → last arrival at the MQTT subscriber. */
  readonly drainMs: number | null
  /** The group's committed offsets when the scenario ended; equal to the message count when it kept up. */
  readonly committed: number
  /** Last arrival at the subscriber → the group's committed offsets reaching the message count (polled every 100 ms). */
  readonly committedAfterLastArrivalMs: number | null
  /** Connector POST → the group's committed offsets reaching the message count. */
  readonly committedAfterPostMs: number | null
}

/** The worker's MQTT sink: records pre-produced to Kafka, a real worker process, a connector POSTed over REST. */
const workerRun = async (
  bootstrapServers: string,
  mqttUrl: string,
  restPort: number,
  qos: QoS,
  logDir: string,
): Promise<{ figures: RunFigures; timings: SinkTimings }> => {
  const suffix = `${qos}-${Date.now()}`
  const topic = `bench-sink-qos${suffix}`
  const name = `bench-sink-qos${qos}`
  const groupId = `connect-${name}`
  const kafka = new Kafka({ brokers: [bootstrapServers], clientId: 'bench-sink', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] })

    // The sink publishes each record to the MQTT topic named like its Kafka topic (mqtt.topic defaults to ${topic}).
    const subscriber = await subscribe(mqttUrl, topic, qos, `bench-sink-subscriber-${suffix}`)
    const logFile = join(logDir, `worker-sink-qos${qos}.log`)
    const log = openSync(logFile, 'a')
    const worker = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      cwd: projectRoot,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        CONNECT_BOOTSTRAP_SERVERS: bootstrapServers,
        CONNECT_REST_PORT: String(restPort),
        CONNECT_GROUP_ID: `bench-${suffix}`,
        CONNECT_CONFIG_STORAGE_TOPIC: `bench-configs-${suffix}`,
        CONNECT_OFFSET_STORAGE_TOPIC: `bench-offsets-${suffix}`,
        CONNECT_STATUS_STORAGE_TOPIC: `bench-status-${suffix}`,
        CONNECT_OFFSET_FLUSH_INTERVAL_MS: String(OFFSET_FLUSH_INTERVAL_MS),
      },
    })
    closeSync(log)
    const restUrl = `http://127.0.0.1:${restPort}`
    try {
      const up = await waitFor(() => fetch(`${restUrl}/health`).then((r) => r.ok, () => false), { timeoutMs: 60_000 })
      if (!up) throw new Error(`the worker did not answer on ${restUrl} within 60 s; its log:\n${lastLines(logFile, 20)}`)
      // Produced once the worker is up, so its start-up is not counted in the records' latency.
      const preProduceMs = await preProduce(kafka, topic)
      const postedAt = Date.now()
      const response = await fetch(`${restUrl}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          config: {
            'connector.class': 'MqttSink',
            topics: topic,
            'mqtt.server.uri': mqttUrl,
            'mqtt.qos': String(qos),
            'key.converter': BYTE_ARRAY_CONVERTER,
            'value.converter': BYTE_ARRAY_CONVERTER,
          },
        }),
      })
      if (response.status !== 201) throw new Error(`connector not created: ${await response.text()}`)
      const running = await waitFor(
        async () => {
          const { tasks = [] } = (await (await fetch(`${restUrl}/connectors/${name}/status`)).json()) as { tasks?: { state: string }[] }
          return tasks.length > 0 && tasks.every(({ state }) => state === 'RUNNING')
        },
        { timeoutMs: 30_000 },
      )
      if (!running) throw new Error(`the sink task was not RUNNING within 30 s; the worker's log:\n${lastLines(logFile, 20)}`)

      // Polls the group's commits while the backlog drains, until they cover every record or the drain is over.
      let committed = 0
      let committedAt: number | null = null
      let draining = true
      const polling = (async () => {
        while (committedAt === null) {
          committed = await committedOffsets(admin, groupId, topic)
          if (committed >= MESSAGES) committedAt = Date.now()
          else if (!draining) break
          else await sleep(100)
        }
      })()
      await subscriber.settled(60_000)
      // The last commit comes at most one flush interval (plus a flush) after the last publish was acknowledged.
      await waitFor(() => committedAt !== null, { timeoutMs: 10 * OFFSET_FLUSH_INTERVAL_MS, intervalMs: 100 })
      draining = false
      await polling
      const rss = peakRssMb(worker.pid)
      await subscriber.end()

      const received = subscriber.latencies.length
      const firstArrival = received > 0 ? subscriber.firstArrival() : null
      const lastArrival = received > 0 ? subscriber.lastArrival() : null
      const scenario = `worker MQTT sink, QoS ${qos}`
      return {
        figures: summarise(scenario, MESSAGES, subscriber.latencies, Math.max(1, (lastArrival ?? 0) - (firstArrival ?? 0)), rss),
        timings: {
          scenario,
          groupId,
          preProduceMs,
          postToFirstArrivalMs: firstArrival === null ? null : firstArrival - postedAt,
          drainMs: firstArrival === null ? null : lastArrival! - firstArrival,
          committed,
          committedAfterLastArrivalMs: committedAt === null || lastArrival === null ? null : committedAt - lastArrival,
          committedAfterPostMs: committedAt === null ? null : committedAt - postedAt,
        },
      }
    } finally {
      await stopWorker(worker)
    }
  } finally {
    await admin.disconnect()
  }
}

const seconds = (ms: number | null): string => (ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`)
/** At QoS 0 nothing waits for the broker, so the last commit can precede the subscriber's last arrival. */
const relativeToLastArrival = (ms: number | null): string =>
  ms === null ? 'never' : ms < 0 ? `${seconds(-ms)} before the last arrival` : `${seconds(ms)} after the last arrival`

const main = async (): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sink-'))
  const [kafkaPort, controllerPort, mqttPort, restPort] = await findFreePorts(4)
  console.log(`Starting Kafka and Mosquitto for the benchmark (${MESSAGES} records of ${PAYLOAD_BYTES} bytes per scenario)...`)
  const kafka = await startKafka({ port: kafkaPort!, controllerPort: controllerPort!, dataDir: join(dir, 'kafka'), logFile: join(dir, 'kafka.log'), detached: false })
  try {
    const mosquitto = await startMosquitto({ port: mqttPort!, dataDir: join(dir, 'mosquitto'), logFile: join(dir, 'mosquitto.log'), detached: false })
    try {
      const rows: RunFigures[] = []
      const timings: SinkTimings[] = []
      for (const qos of [1, 0] as const) rows.push(await mqttCeiling(mosquitto.url, qos))
      for (const qos of [1, 0] as const) {
        const run = await workerRun(kafka.bootstrapServers, mosquitto.url, restPort!, qos, dir)
        rows.push(run.figures)
        timings.push(run.timings)
      }
      console.log()
      printTable(rows)
      console.log()
      for (const t of timings) {
        console.log(
          `${t.scenario}: pre-produced in ${seconds(t.preProduceMs)}; first record at MQTT ${seconds(t.postToFirstArrivalMs)} after the POST, ` +
            `drained in ${seconds(t.drainMs)}; ${t.groupId} committed ${t.committed}/${MESSAGES} offsets, ` +
            `all ${relativeToLastArrival(t.committedAfterLastArrivalMs)} (${seconds(t.committedAfterPostMs)} after the POST)`,
        )
      }
      const resultsDir = join(projectRoot, 'bench', 'results')
      mkdirSync(resultsDir, { recursive: true })
      const file = join(resultsDir, `mqtt-sink-throughput-${new Date().toISOString().replaceAll(':', '-')}.json`)
      const document = { date: new Date().toISOString(), messages: MESSAGES, payloadBytes: PAYLOAD_BYTES, offsetFlushIntervalMs: OFFSET_FLUSH_INTERVAL_MS, rows, timings }
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`)
      console.log(`\nwrote ${file}`)
    } finally {
      await mosquitto.stop()
    }
  } finally {
    await kafka.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
