// bench/mqtt-source-throughput: MQTT → Kafka throughput and publish→Kafka latency of the worker's MQTT source,
// at QoS 0 and QoS 1, beside two ceilings measured in the same run on the same brokers:
//   - Mosquitto → an MQTT.js subscriber alone (no Kafka)
//   - a kafkajs batched producer alone, acks=all (no MQTT)
// Latency is publish time (in the payload) → the broker's LogAppendTime of the record in Kafka.
// Usage: npm run bench:source [-- --messages 100000]; writes bench/results/mqtt-source-throughput-<timestamp>.json.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kafka, logLevel, Partitioners } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { startKafka } from '../scripts/infra/kafka.ts'
import { startMosquitto } from '../scripts/infra/mosquitto.ts'
import { projectRoot } from '../scripts/infra/paths.ts'
import { findFreePorts } from '../scripts/infra/ports.ts'
import { waitFor } from '../scripts/infra/wait.ts'
import { printTable, summarise, type RunFigures } from './stats.ts'

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? Number(process.argv[index + 1]) : fallback
}
const MESSAGES = argument('messages', 100_000)
const PAYLOAD_BYTES = 100
const PUBLISH_WINDOW = 1_000

/** `<seq>:<publish ms>` padded to 100 bytes. */
const payloadFor = (seq: number): Buffer => Buffer.from(`${seq}:${Date.now()}:`.padEnd(PAYLOAD_BYTES, 'x'))
const publishedAt = (payload: Buffer): number => Number(payload.toString('latin1').split(':')[1])

const publishAll = async (url: string, topic: string, qos: 0 | 1): Promise<void> => {
  const client = await connectAsync(url, { clientId: `bench-publisher-${Date.now()}`, clean: true })
  for (let start = 0; start < MESSAGES; start += PUBLISH_WINDOW) {
    const sends: Promise<unknown>[] = []
    for (let seq = start; seq < Math.min(MESSAGES, start + PUBLISH_WINDOW); seq++) sends.push(client.publishAsync(topic, payloadFor(seq), { qos }))
    await Promise.all(sends)
  }
  await client.endAsync()
}

/** Ceiling 1: what an MQTT.js subscriber receives from Mosquitto with nothing else in the way. */
const mqttCeiling = async (url: string, qos: 0 | 1): Promise<RunFigures> => {
  const subscriber: MqttClient = await connectAsync(url, { clientId: `bench-subscriber-${qos}`, clean: true })
  const latencies: number[] = []
  let first = 0
  let last = 0
  subscriber.on('message', (_topic, payload) => {
    const now = Date.now()
    if (latencies.length === 0) first = publishedAt(payload)
    latencies.push(now - publishedAt(payload))
    last = now
  })
  await subscriber.subscribeAsync('bench/ceiling', { qos })
  await publishAll(url, 'bench/ceiling', qos)
  await waitFor(() => latencies.length >= MESSAGES, { timeoutMs: 30_000, intervalMs: 50 })
  await subscriber.endAsync()
  return summarise(`Mosquitto → MQTT.js subscriber, QoS ${qos}`, MESSAGES, latencies, last - first)
}

/** Ceiling 2: a kafkajs producer sending 4,096-record batches with acks=all, nothing else in the way. */
const kafkaCeiling = async (bootstrapServers: string): Promise<RunFigures> => {
  const kafka = new Kafka({ brokers: [bootstrapServers], clientId: 'bench-producer', logLevel: logLevel.NOTHING })
  const topic = 'bench-producer-ceiling'
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] })
  await admin.disconnect()
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const latencies: number[] = []
  const started = Date.now()
  for (let start = 0; start < MESSAGES; start += 4_096) {
    const sentAt = Date.now()
    const messages = []
    for (let seq = start; seq < Math.min(MESSAGES, start + 4_096); seq++) messages.push({ key: 'bench/ceiling', value: payloadFor(seq) })
    await producer.send({ topic, acks: -1, messages })
    const ackedAt = Date.now()
    for (let i = 0; i < messages.length; i++) latencies.push(ackedAt - sentAt)
  }
  const elapsed = Date.now() - started
  await producer.disconnect()
  return summarise('kafkajs producer alone, 4,096/batch, acks=all', MESSAGES, latencies, elapsed)
}

/** The worker's MQTT source: a real worker process, a connector POSTed over REST, the records read back from Kafka. */
const workerRun = async (bootstrapServers: string, mqttUrl: string, restPort: number, qos: 0 | 1): Promise<RunFigures> => {
  const suffix = `${qos}-${Date.now()}`
  const topic = `bench-source-qos${suffix}`
  const kafka = new Kafka({ brokers: [bootstrapServers], clientId: 'bench-reader', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] })
  await admin.disconnect()

  const worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'ignore'],
    env: {
      ...process.env,
      CONNECT_BOOTSTRAP_SERVERS: bootstrapServers,
      CONNECT_REST_PORT: String(restPort),
      CONNECT_GROUP_ID: `bench-${suffix}`,
      CONNECT_CONFIG_STORAGE_TOPIC: `bench-configs-${suffix}`,
      CONNECT_OFFSET_STORAGE_TOPIC: `bench-offsets-${suffix}`,
      CONNECT_STATUS_STORAGE_TOPIC: `bench-status-${suffix}`,
    },
  })
  const restUrl = `http://127.0.0.1:${restPort}`
  try {
    await waitFor(() => fetch(`${restUrl}/health`).then((r) => r.ok, () => false), { timeoutMs: 60_000 })
    const response = await fetch(`${restUrl}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bench',
        config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': mqttUrl, 'mqtt.topics': 'bench/source', 'mqtt.qos': String(qos), 'kafka.topic': topic },
      }),
    })
    if (response.status !== 201) throw new Error(`connector not created: ${await response.text()}`)
    await waitFor(
      async () => ((await (await fetch(`${restUrl}/connectors/bench/status`)).json()) as { tasks: { state: string }[] }).tasks[0]?.state === 'RUNNING',
      { timeoutMs: 30_000 },
    )

    const consumer = kafka.consumer({ groupId: `bench-reader-${suffix}`, maxBytes: 50 * 1024 * 1024 })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    const latencies: number[] = []
    let first = 0
    let last = 0
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const appended = Number(message.timestamp)
          const sent = publishedAt(message.value!)
          if (latencies.length === 0) first = sent
          latencies.push(appended - sent)
          last = Math.max(last, appended)
        }
      },
    })
    await publishAll(mqttUrl, 'bench/source', qos)
    await waitFor(() => latencies.length >= MESSAGES, { timeoutMs: 60_000, intervalMs: 100 })
    await consumer.disconnect()
    return summarise(`worker MQTT source, QoS ${qos}`, MESSAGES, latencies, last - first, peakRssMb(worker.pid))
  } finally {
    worker.kill('SIGTERM')
    await new Promise((resolve) => worker.once('exit', resolve))
  }
}

/** The worker process's peak resident memory so far (VmHWM), in MB. */
const peakRssMb = (pid: number | undefined): number | null => {
  if (pid === undefined) return null
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Math.round(Number(match[1]) / 1024) : null
}

const main = async (): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-source-'))
  const [kafkaPort, controllerPort, mqttPort, restPort] = await findFreePorts(4)
  console.log(`Starting Kafka and Mosquitto for the benchmark (${MESSAGES} messages of ${PAYLOAD_BYTES} bytes per scenario)...`)
  const kafka = await startKafka({ port: kafkaPort!, controllerPort: controllerPort!, dataDir: join(dir, 'kafka'), logFile: join(dir, 'kafka.log'), detached: false })
  const mosquitto = await startMosquitto({ port: mqttPort!, dataDir: join(dir, 'mosquitto'), logFile: join(dir, 'mosquitto.log'), detached: false })
  try {
    const rows: RunFigures[] = []
    for (const qos of [0, 1] as const) rows.push(await mqttCeiling(mosquitto.url, qos))
    rows.push(await kafkaCeiling(kafka.bootstrapServers))
    for (const qos of [0, 1] as const) rows.push(await workerRun(kafka.bootstrapServers, mosquitto.url, restPort!, qos))
    console.log()
    printTable(rows)
    const resultsDir = join(projectRoot, 'bench', 'results')
    mkdirSync(resultsDir, { recursive: true })
    const file = join(resultsDir, `mqtt-source-throughput-${new Date().toISOString().replaceAll(':', '-')}.json`)
    writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), messages: MESSAGES, payloadBytes: PAYLOAD_BYTES, rows }, null, 2)}\n`)
    console.log(`\nwrote ${file}`)
  } finally {
    await mosquitto.stop()
    await kafka.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
