// bench:kafka-clients — the producer ceiling of each pure-JS Kafka client we could use, in one run, same batching:
// records shaped like the MQTT source's (key = an MQTT topic, 7 string headers, 100 B or 1 KB value), sent in
// batches of one poll's size with acks=all, one request at a time and then with several in flight. Reports msg/s and
// CPU µs per message (this process only), medians of the repetitions, clients interleaved so background load touches
// both alike.
//   npx tsx bench/kafka-clients.ts [--messages N] [--repetitions N]
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Producer as PlatformaticProducer } from '@platformatic/kafka'
import { Kafka, logLevel, Partitioners } from 'kafkajs'
import { javaCompatiblePartitioner, PlatformaticRecordProducer } from '../src/kafka/platformatic-producer.ts'
import { startKafka } from '../scripts/infra/kafka.ts'
import { findFreePorts } from '../scripts/infra/ports.ts'
import { BenchKafka } from './compare/kafka-io.ts'
import { payloadFor } from './compare/payload.ts'

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? fallback : Number(process.argv[index + 1])
}
const messages = option('messages', 200_000)
const repetitions = option('repetitions', 3)
const payloadSizes = [100, 1024]
const inFlightLevels = [1, 4]

interface Record {
  readonly key: Buffer
  readonly value: Buffer
  readonly headers: readonly (readonly [string, Buffer])[]
}

/** The MQTT source's record for one message: the headers it always writes, with the values a QoS 1 message has. */
const sourceLikeRecord = (seq: number, payloadBytes: number): Record => {
  const topic = `devices/d${seq % 100}/telemetry`
  return {
    key: Buffer.from(topic),
    value: payloadFor(seq, payloadBytes),
    headers: [
      ['mqtt.topic', Buffer.from(topic)],
      ['mqtt.qos', Buffer.from('1')],
      ['mqtt.retained', Buffer.from('false')],
      ['mqtt.duplicate', Buffer.from('false')],
      ['mqtt.message.id', Buffer.from(String(seq % 65535))],
      ['mqtt.origin', Buffer.from('bench-origin')],
      ['mqtt.origin.filters', Buffer.from('["devices/+/telemetry"]')],
    ],
  }
}

/** One client's producer reduced to what the bench needs: send one batch, acknowledged by all in-sync replicas. */
interface BenchProducer {
  send(topic: string, batch: readonly Record[]): Promise<void>
  close(): Promise<void>
}

const kafkajsProducer = async (bootstrap: string): Promise<BenchProducer> => {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'bench-kafkajs', logLevel: logLevel.NOTHING })
  // As the worker configures it (src/kafka/record-producer.ts), apart from the in-flight limit under test.
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false, maxInFlightRequests: 8, createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  return {
    send: async (topic, batch) => {
      const messages = batch.map(({ key, value, headers }) => ({ key, value, headers: Object.fromEntries(headers) }))
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] })
    },
    close: () => producer.disconnect(),
  }
}

const platformaticProducer = async (bootstrap: string): Promise<BenchProducer> => {
  // As the worker configures it (src/kafka/platformatic-producer.ts): the Java client's partitioning of keys.
  const producer = new PlatformaticProducer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: [bootstrap],
    acks: -1,
    autocreateTopics: false,
    partitioner: javaCompatiblePartitioner(),
  })
  return {
    send: async (topic, batch) => {
      const messages = batch.map(({ key, value, headers }) => ({ topic, key, value, headers: new Map(headers.map(([name, bytes]) => [Buffer.from(name), bytes])) }))
      await producer.send({ messages })
    },
    close: () => producer.close(),
  }
}

/** The worker's own source producer: @platformatic/kafka with its Produce requests written in one pass. */
const workerSourceProducer = async (bootstrap: string): Promise<BenchProducer> => {
  const producer = new PlatformaticRecordProducer(async () => ({ brokers: [bootstrap] }), 'bench-worker-producer')
  await producer.connect()
  return {
    send: (topic, batch) => producer.send(batch.map(({ key, value, headers }) => ({ topic, partition: null, key, value, timestamp: null, headers }))),
    close: () => producer.disconnect(),
  }
}

const clients: readonly { readonly id: string; readonly open: (bootstrap: string) => Promise<BenchProducer> }[] = [
  { id: 'kafkajs 2.2.4', open: kafkajsProducer },
  { id: '@platformatic/kafka 1.22.0', open: platformaticProducer },
  { id: 'worker source producer', open: workerSourceProducer },
]

interface Run {
  readonly messagesPerSecond: number
  readonly cpuMicrosPerMessage: number
}

/** Sends `messages` records in poll-sized batches, at most `inFlight` batches unacknowledged at a time. */
const runOnce = async (producer: BenchProducer, topic: string, records: readonly Record[], inFlight: number): Promise<Run> => {
  const batchSize = Math.min(4_096, Math.floor(900_000 / (records[0]!.value.length + 200)))
  const batches: Record[][] = []
  for (let start = 0; start < records.length; start += batchSize) batches.push(records.slice(start, start + batchSize))
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < batches.length) await producer.send(topic, batches[next++]!)
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  return { messagesPerSecond: Math.round(records.length / seconds), cpuMicrosPerMessage: Math.round((cpu.user + cpu.system) / records.length) }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const main = async (): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-kafka-clients-'))
  const [kafkaPort, controllerPort] = await findFreePorts(2)
  const broker = await startKafka({ port: kafkaPort!, controllerPort: controllerPort!, dataDir: join(dir, 'kafka'), logFile: join(dir, 'kafka.log'), detached: false })
  const admin = new BenchKafka(broker.bootstrapServers)
  await admin.connect()
  const results: { client: string; payloadBytes: number; inFlight: number; runs: Run[] }[] = []
  try {
    // One topic per client and series, created before any client asks for its metadata: a client that asks while
    // KRaft is still propagating a new topic is told it does not exist.
    const topicOf = (client: string, payloadBytes: number, inFlight: number): string => `bench-clients-${payloadBytes}-${inFlight}-${client.replace(/\W+/g, '-')}`
    const topics = clients.flatMap(({ id }) => payloadSizes.flatMap((bytes) => inFlightLevels.map((inFlight) => topicOf(id, bytes, inFlight))))
    for (const topic of topics) await admin.createLogAppendTimeTopic(topic)
    const producers = new Map<string, BenchProducer>()
    for (const client of clients) producers.set(client.id, await client.open(broker.bootstrapServers))
    for (const payloadBytes of payloadSizes) {
      const records = Array.from({ length: messages }, (_, seq) => sourceLikeRecord(seq, payloadBytes))
      for (const inFlight of inFlightLevels) {
        const series = new Map(clients.map(({ id }) => [id, [] as Run[]]))
        // One warm-up run each (JIT, connections, metadata), then the repetitions, clients alternating.
        for (let repetition = -1; repetition < repetitions; repetition++) {
          for (const client of repetition % 2 === 0 ? clients : [...clients].reverse()) {
            const run = await runOnce(producers.get(client.id)!, topicOf(client.id, payloadBytes, inFlight), records, inFlight)
            if (repetition >= 0) series.get(client.id)!.push(run)
          }
        }
        for (const [client, runs] of series) {
          results.push({ client, payloadBytes, inFlight, runs })
          const rate = median(runs.map((run) => run.messagesPerSecond))
          const cpu = median(runs.map((run) => run.cpuMicrosPerMessage))
          console.log(`${client.padEnd(28)} ${String(payloadBytes).padStart(5)} B  in flight ${inFlight}: ${String(rate).padStart(7)} msg/s  ${String(cpu).padStart(4)} µs CPU/msg`)
        }
      }
    }
    for (const producer of producers.values()) await producer.close()
  } finally {
    await admin.disconnect()
    await broker.stop()
  }
  const resultsDir = join(import.meta.dirname, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `kafka-clients-${new Date().toISOString().replaceAll(':', '-')}.json`)
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), messages, repetitions, results }, null, 2))
  console.log(`wrote ${file}`)
}

await main()
