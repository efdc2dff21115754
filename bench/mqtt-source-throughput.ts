// bench/mqtt-source-throughput: MQTT → Kafka throughput and publish→Kafka latency of the worker's MQTT source,
// at QoS 0 and QoS 1 with tasks.max=1, and at QoS 1 with tasks.max=2 (the tasks share the subscription as
// `$share/<group>/<filter>`, Mosquitto spreads the messages over them, and the Kafka topic has 2 partitions, one per
// MQTT topic the publisher alternates between), beside two ceilings measured in the same run on the same brokers:
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

/** Publishes MESSAGES payloads, PUBLISH_WINDOW at a time, going round `topics` (one topic: all on it). */
const publishAll = async (url: string, topics: string | readonly string[], qos: 0 | 1): Promise<void> => {
  const targets = typeof topics === 'string' ? [topics] : topics
  const client = await connectAsync(url, { clientId: `bench-publisher-${Date.now()}`, clean: true })
  for (let start = 0; start < MESSAGES; start += PUBLISH_WINDOW) {
    const sends: Promise<unknown>[] = []
    for (let seq = start; seq < Math.min(MESSAGES, start + PUBLISH_WINDOW); seq++) {
      sends.push(client.publishAsync(targets[seq % targets.length]!, payloadFor(seq), { qos }))
    }
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

/**
 * `count` MQTT topics under bench/source/ whose names, as record keys, land on partitions 0 … count-1 of a topic
 * with `count` partitions (the worker's producer uses the Java client's murmur2 partitioner, as kafkajs's default does).
 */
const topicsOnDistinctPartitions = (count: number): string[] => {
  const partitioner = Partitioners.DefaultPartitioner()
  const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }))
  const byPartition = new Map<number, string>()
  for (let i = 0; byPartition.size < count; i++) {
    const name = `bench/source/${i}`
    const partition = partitioner({ topic: 'any', partitionMetadata, message: { key: Buffer.from(name), value: null } })
    if (!byPartition.has(partition)) byPartition.set(partition, name)
  }
  return [...byPartition].sort(([a], [b]) => a - b).map(([, name]) => name)
}

/**
 * The worker's MQTT source: a real worker process, a connector POSTed over REST, the records read back from Kafka.
 * With tasks.max=1 the publisher sends everything to bench/source, one partition. With more tasks they share the
 * subscription bench/source/+, the publisher goes round one MQTT topic per partition (the topic is the record key),
 * and the Kafka topic has one partition per task.
 */
const workerRun = async (bootstrapServers: string, mqttUrl: string, restPort: number, qos: 0 | 1, tasksMax = 1): Promise<RunFigures> => {
  const suffix = `${qos}-t${tasksMax}-${Date.now()}`
  const topic = `bench-source-qos${suffix}`
  const mqttTopics = tasksMax === 1 ? ['bench/source'] : topicsOnDistinctPartitions(tasksMax)
  const mqttFilter = tasksMax === 1 ? 'bench/source' : 'bench/source/+'
  const kafka = new Kafka({ brokers: [bootstrapServers], clientId: 'bench-reader', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: tasksMax, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] })
  await admin.disconnect()

  const worker = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
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
        config: {
          'connector.class': 'MqttSource',
          'mqtt.server.uri': mqttUrl,
          'mqtt.topics': mqttFilter,
          'mqtt.qos': String(qos),
          'kafka.topic': topic,
          'tasks.max': String(tasksMax),
        },
      }),
    })
    if (response.status !== 201) throw new Error(`connector not created: ${await response.text()}`)
    const allRunning = await waitFor(
      async () => {
        const { tasks = [] } = (await (await fetch(`${restUrl}/connectors/bench/status`)).json()) as { tasks?: { state: string }[] }
        return tasks.length === tasksMax && tasks.every(({ state }) => state === 'RUNNING')
      },
      { timeoutMs: 30_000 },
    )
    if (!allRunning) throw new Error(`the connector's ${tasksMax} task(s) were not all RUNNING within 30 s`)

    const consumer = kafka.consumer({ groupId: `bench-reader-${suffix}`, maxBytes: 50 * 1024 * 1024 })
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    const latencies: number[] = []
    const perPartition = new Map<number, number>()
    let first = Infinity
    let last = 0
    await consumer.run({
      eachBatch: async ({ batch }) => {
        perPartition.set(batch.partition, (perPartition.get(batch.partition) ?? 0) + batch.messages.length)
        for (const message of batch.messages) {
          const appended = Number(message.timestamp)
          const sent = publishedAt(message.value!)
          // With several partitions the first record read is not necessarily the first one published.
          first = Math.min(first, sent)
          latencies.push(appended - sent)
          last = Math.max(last, appended)
        }
      },
    })
    await publishAll(mqttUrl, mqttTopics, qos)
    await waitFor(() => latencies.length >= MESSAGES, { timeoutMs: 60_000, intervalMs: 100 })
    await consumer.disconnect()
    if (tasksMax > 1) {
      const counts = [...perPartition].sort(([a], [b]) => a - b).map(([partition, count]) => `${partition}: ${count}`)
      console.log(`tasks.max=${tasksMax}, QoS ${qos}: records per partition ${counts.join(', ')}`)
    }
    return summarise(`worker MQTT source, QoS ${qos}, tasks.max ${tasksMax}`, MESSAGES, latencies, last - first, peakRssMb(worker.pid))
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
    rows.push(await workerRun(kafka.bootstrapServers, mosquitto.url, restPort!, 1, 2))
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
