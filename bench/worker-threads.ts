// bench:worker-threads — would moving the Kafka side of a source task into a worker thread pay? The same records
// (shaped like the MQTT source's) go through the source runner's send queue to the producer source tasks use, either
// on the task's own thread or in a worker thread fed packed, transferred batches. Reports msg/s, the whole process's
// CPU µs per message (every thread), and the task thread's busy µs per message (its event loop utilisation): what a
// producer thread would free for the MQTT side, and what it would cost in all. Variants interleaved, medians.
//   npx tsx bench/worker-threads.ts [--messages N] [--repetitions N]
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { PlatformaticRecordProducer } from '../src/kafka/platformatic-producer.ts'
import type { SerializedRecord } from '../src/kafka/record-producer.ts'
import { SourceSendQueue, type SendUntilAcknowledged } from '../src/worker/source-send-queue.ts'
import { startKafka } from '../scripts/infra/kafka.ts'
import { findFreePorts } from '../scripts/infra/ports.ts'
import { BenchKafka } from './compare/kafka-io.ts'
import { payloadFor } from './compare/payload.ts'
import { pack, transferList } from './worker-threads/packed-batch.ts'

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? fallback : Number(process.argv[index + 1])
}
const messages = option('messages', 100_000)
const repetitions = option('repetitions', 3)
const payloadSizes = [100, 1024]
/** The MQTT source's poll size (records.buffer.queue.max.batch.size). */
const POLL_SIZE = 4_096
/** As the source runner's queue allows. */
const MAX_POLLS_WAITING = 4

const header = (value: string): Buffer => Buffer.from(value)

/** The MQTT source's record for one QoS 1 message, with the headers it always writes. */
const sourceLikeRecord = (topic: string, seq: number, payloadBytes: number): SerializedRecord => {
  const mqttTopic = `devices/d${seq % 100}/telemetry`
  return {
    topic,
    partition: null,
    key: Buffer.from(mqttTopic),
    value: payloadFor(seq, payloadBytes),
    timestamp: null,
    headers: [
      ['mqtt.topic', header(mqttTopic)],
      ['mqtt.qos', header('1')],
      ['mqtt.retained', header('false')],
      ['mqtt.duplicate', header('false')],
      ['mqtt.message.id', header(String(seq % 65535))],
      ['mqtt.origin', header('bench-origin')],
      ['mqtt.origin.filters', header('["devices/+/telemetry"]')],
    ],
  }
}

interface Variant {
  readonly id: string
  readonly send: SendUntilAcknowledged
  close(): Promise<void>
}

const inThread = async (bootstrap: string): Promise<Variant> => {
  const producer = new PlatformaticRecordProducer(async () => ({ brokers: [bootstrap] }), 'bench-in-thread')
  await producer.connect()
  return { id: 'producer on the task thread', send: (outgoing, onAcknowledged) => producer.send(outgoing, onAcknowledged), close: () => producer.disconnect() }
}

const producerThread = async (bootstrap: string): Promise<Variant> => {
  // Node 20 does not hand a worker the parent's --import loaders: the thread registers tsx itself, then loads the file.
  const entry = new URL('./worker-threads/producer-thread.ts', import.meta.url).href
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`
  const worker = new Worker(boot, { eval: true, workerData: { bootstrap } })
  const answers = new Map<number, () => void>()
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', () => resolve())
  })
  worker.on('message', (id: number) => {
    answers.get(id)?.()
    answers.delete(id)
  })
  let nextId = 0
  return {
    id: 'producer in a worker thread',
    send: async (outgoing, onAcknowledged) => {
      const id = nextId++
      const batch = pack(outgoing)
      const acknowledged = new Promise<void>((resolve) => answers.set(id, resolve))
      worker.postMessage({ id, batch }, transferList(batch))
      await acknowledged
      onAcknowledged(outgoing.length)
    },
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve))
      worker.postMessage('close')
      await exited
    },
  }
}

interface Run {
  readonly messagesPerSecond: number
  readonly cpuMicrosPerMessage: number
  readonly taskThreadMicrosPerMessage: number
}

/** Feeds the records poll by poll through the source runner's queue, as fast as the queue takes them. */
const runOnce = async (variant: Variant, records: readonly SerializedRecord[]): Promise<Run> => {
  const queue = new SourceSendQueue(variant.send, MAX_POLLS_WAITING)
  const cpuBefore = process.cpuUsage()
  const loopBefore = performance.eventLoopUtilization()
  const started = performance.now()
  for (let start = 0; start < records.length; start += POLL_SIZE) {
    await queue.add({ outgoing: records.slice(start, start + POLL_SIZE), onAcknowledged: () => {}, onSent: () => {} })
  }
  await queue.flushed()
  const elapsedMs = performance.now() - started
  const loop = performance.eventLoopUtilization(loopBefore)
  const cpu = process.cpuUsage(cpuBefore)
  return {
    messagesPerSecond: Math.round(records.length / (elapsedMs / 1000)),
    cpuMicrosPerMessage: Math.round((cpu.user + cpu.system) / records.length),
    taskThreadMicrosPerMessage: Math.round((loop.active * 1000) / records.length),
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const main = async (): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-worker-threads-'))
  const [kafkaPort, controllerPort] = await findFreePorts(2)
  const broker = await startKafka({ port: kafkaPort!, controllerPort: controllerPort!, dataDir: join(dir, 'kafka'), logFile: join(dir, 'kafka.log'), detached: false })
  const admin = new BenchKafka(broker.bootstrapServers)
  await admin.connect()
  const results: { variant: string; payloadBytes: number; runs: Run[] }[] = []
  try {
    const topicOf = (payloadBytes: number, variant: number): string => `bench-threads-${payloadBytes}-${variant}`
    for (const payloadBytes of payloadSizes) for (const variant of [0, 1]) await admin.createLogAppendTimeTopic(topicOf(payloadBytes, variant))
    const variants = [await inThread(broker.bootstrapServers), await producerThread(broker.bootstrapServers)]
    for (const payloadBytes of payloadSizes) {
      const recordsOf = variants.map((_, index) => Array.from({ length: messages }, (__, seq) => sourceLikeRecord(topicOf(payloadBytes, index), seq, payloadBytes)))
      const series = variants.map(() => [] as Run[])
      // A warm-up run each (JIT, connections, metadata), then the repetitions, the variants alternating.
      for (let repetition = -1; repetition < repetitions; repetition++) {
        const order = repetition % 2 === 0 ? [0, 1] : [1, 0]
        for (const index of order) {
          const run = await runOnce(variants[index]!, recordsOf[index]!)
          if (repetition >= 0) series[index]!.push(run)
        }
      }
      series.forEach((runs, index) => {
        const variant = variants[index]!.id
        results.push({ variant, payloadBytes, runs })
        const pick = (field: keyof Run): string => String(median(runs.map((run) => run[field])))
        console.log(
          `${variant.padEnd(28)} ${String(payloadBytes).padStart(5)} B: ${pick('messagesPerSecond').padStart(7)} msg/s  ` +
            `${pick('cpuMicrosPerMessage').padStart(3)} µs CPU/msg in all  ${pick('taskThreadMicrosPerMessage').padStart(3)} µs/msg on the task thread`,
        )
      })
    }
    for (const variant of variants) await variant.close()
  } finally {
    await admin.disconnect()
    await broker.stop()
  }
  const resultsDir = join(import.meta.dirname, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `worker-threads-${new Date().toISOString().replaceAll(':', '-')}.json`)
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), messages, repetitions, results }, null, 2))
  console.log(`wrote ${file}`)
}

await main()
