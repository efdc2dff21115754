// bench:scale — many connectors on one worker. 100 MQTT source connectors, each with its own 100 topic filters
// (10,000 in all), fed round robin over 100,000 distinct MQTT topics, plus 20 MQTT sinks draining a backlog each;
// beside one source connector alone on the same worker setup. Reports msg/s, RSS, the time to create all 120
// connectors over REST (until every task is RUNNING) and the time for a restarted worker to have them all RUNNING
// again. `--system apache` runs Apache Kafka Connect with Camel's Paho MQTT 5 connectors instead; Camel's source
// subscribes to one filter, so each source then takes `scale/c<i>/#` (`--one-filter-each` gives ours the same).
//   npx tsx bench/scale.ts [--system ours|apache] [--one-filter-each] [--sources 100] [--filters 100] [--devices 10]
//                          [--sinks 20] [--messages 200000]
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { sleep } from '../scripts/infra/wait.ts'
import { waitForRest } from '../scripts/kafka-connect/connect.ts'
import { startBenchBrokers } from './compare/brokers.ts'
import type { BenchKafka } from './compare/kafka-io.ts'
import { prepareLoad } from './compare/load.ts'
import { preProduce } from './compare/pre-produce.ts'
import { peakRssMb } from './compare/process-stats.ts'
import { apacheConnect, ours, type StartedWorker, type WorkerSystem } from './compare/systems.ts'

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  return index < 0 ? fallback : Number(process.argv[index + 1])
}
const sources = option('sources', 100)
const filtersEach = option('filters', 100)
const devicesEach = option('devices', 10)
const sinks = option('sinks', 20)
const messages = option('messages', 200_000)
const sinkRecordsEach = option('sink-records', 5_000)
const payloadBytes = 100
const load = { connections: 2, window: 1_000 }
const systemIndex = process.argv.indexOf('--system')
const systemName = systemIndex >= 0 ? process.argv[systemIndex + 1] : 'ours'
if (systemName !== 'ours' && systemName !== 'apache') throw new Error(`--system wants ours or apache, not ${systemName}`)
const system: WorkerSystem = systemName === 'apache' ? apacheConnect : ours
const oneFilterEach = system === apacheConnect || process.argv.includes('--one-filter-each')

const log = (line: string): void => void process.stderr.write(`${line}\n`)

const sourceConverters = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
}

/**
 * Source `index`: its own filters `scale/c<index>/f<j>/+`, or the one filter `scale/c<index>/#` over the same topics,
 * every record into one Kafka topic.
 */
const sourceConfig = (mqttUrl: string, index: number, filters: number, kafkaTopic: string): Record<string, string> => {
  const clientId = `scale-source-${index}-${process.pid}`
  const mqttTopic = oneFilterEach ? `scale/c${index}/#` : Array.from({ length: filters }, (_, j) => `scale/c${index}/f${j}/+`).join(',')
  return {
    ...system.mqttSourceConfig({ mqttUrl, mqttTopic, qos: 1, kafkaTopic, clientId, payloadBytes }),
    ...(system === ours ? { 'mqtt.clean.session.enabled': 'true' } : {}),
    ...sourceConverters,
  }
}

/** The filters one source subscribes to. */
const filtersPerSource = oneFilterEach ? 1 : filtersEach

const sinkConfig = (mqttUrl: string, index: number): Record<string, string> =>
  system.mqttSinkConfig({ mqttUrl, mqttTopic: `scale-back/${index}`, qos: 1, kafkaTopic: `scale-sink-${index}`, clientId: `scale-sink-${index}-${process.pid}` })

const createConnector = async (restUrl: string, name: string, config: Record<string, string>): Promise<void> => {
  const response = await fetch(`${restUrl}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, config }) })
  if (response.status !== 201) throw new Error(`creating ${name}: ${response.status} ${await response.text()}`)
}

/** Polls /connectors?expand=status until `names` all have a RUNNING connector and tasks; ms it took. */
const allRunning = async (restUrl: string, names: readonly string[], timeoutMs = 600_000): Promise<number> => {
  const started = performance.now()
  for (;;) {
    const response = await fetch(`${restUrl}/connectors?expand=status`).catch(() => null)
    if (response?.status === 200) {
      const body = (await response.json()) as Record<string, { status: { connector: { state: string }; tasks: { state: string }[] } }>
      const running = names.filter((name) => {
        const status = body[name]?.status
        return status?.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((task) => task.state === 'RUNNING')
      })
      if (running.length === names.length) return Math.round(performance.now() - started)
    }
    if (performance.now() - started > timeoutMs) throw new Error(`not every connector was RUNNING within ${timeoutMs / 1000} s`)
    await sleep(200)
  }
}

/** Fails the bench when a connector or task FAILED: its figures would describe a broken run. */
const noneFailed = async (restUrl: string): Promise<void> => {
  const body = (await (await fetch(`${restUrl}/connectors?expand=status`)).json()) as Record<string, { status: { connector: { state: string; trace?: string }; tasks: { state: string; trace?: string }[] } }>
  const failed = Object.entries(body).flatMap(([name, { status }]) =>
    [status.connector, ...status.tasks].filter((entry) => entry.state === 'FAILED').map((entry) => `${name}: ${(entry.trace ?? '').split('\n')[0]}`),
  )
  if (failed.length > 0) throw new Error(`${failed.length} connectors or tasks FAILED, the first: ${failed[0]}`)
}

/**
 * Publishes `count` QoS 1 messages over `connectors` × `filtersEach` × `devicesEach` topics, round robin over the
 * connectors, and reads them back from `kafkaTopic`: msg/s first publish → last LogAppendTime.
 */
const sourceRun = async (kafka: BenchKafka, mqttUrl: string, kafkaTopic: string, connectors: number, count: number): Promise<{ received: number; messagesPerSecond: number; p50Ms: number; p99Ms: number }> => {
  const before = await kafka.recordCount(kafkaTopic)
  const generator = await prepareLoad({
    url: mqttUrl,
    topic: 'scale/c{0}/f{1}/d{2}',
    topicSpace: [connectors, filtersEach, devicesEach],
    messages: count,
    payloadBytes,
    qos: 1,
    ...load,
  })
  await generator.start()
  await kafka.waitForRecords(kafkaTopic, before + count, { stallMs: 15_000, stallAfterPublishMs: 10_000, published: () => true })
  const readback = await kafka.readBack(kafkaTopic, await kafka.recordCount(kafkaTopic), count)
  const sorted = [...readback.latenciesMs].sort((a, b) => a - b)
  const at = (p: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN)
  const elapsedMs = readback.lastAppendMs - readback.firstPublishMs
  return { received: readback.received, messagesPerSecond: Math.round((readback.received / elapsedMs) * 1000), p50Ms: at(50), p99Ms: at(99) }
}

const main = async (): Promise<void> => {
  // Before the brokers start: a failed build or Maven resolution then leaves nothing running.
  await system.prepare()
  const { dir, restPort, broker, mosquitto, kafka } = await startBenchBrokers('bench-scale', log)
  const workers: StartedWorker[] = []
  const startWorker = async (workerId: string): Promise<StartedWorker> => {
    const worker = await system.start({ bootstrapServers: broker.bootstrapServers, restPort: restPort, workerId, dir: join(dir, workerId) })
    workers.push(worker)
    await waitForRest(worker.restUrl, worker.pid, { timeoutMs: 180_000, logFile: worker.logFile })
    return worker
  }
  try {
    // One connector alone: its figure is what each of the many should keep.
    const single = await startWorker(`scale-single-${process.pid}`)
    await kafka.createLogAppendTimeTopic('scale-single')
    await createConnector(single.restUrl, 'single', sourceConfig(mosquitto.url, 0, filtersEach, 'scale-single'))
    await allRunning(single.restUrl, ['single'])
    await sleep(2_000)
    // No separate warm-up: the read-back tells records apart by the sequence number in their payload, which every
    // run starts again at 0. Both figures include their first second alike.
    log('one source connector alone')
    const alone = await sourceRun(kafka, mosquitto.url, 'scale-single', 1, messages)
    await noneFailed(single.restUrl)
    log(`  ${alone.messagesPerSecond} msg/s, p50 ${alone.p50Ms} ms, p99 ${alone.p99Ms} ms, ${alone.received}/${messages}`)
    await single.stop()

    const workerId = `scale-many-${process.pid}`
    const many = await startWorker(workerId)
    await kafka.createLogAppendTimeTopic('scale-many')
    for (let s = 0; s < sinks; s++) {
      await kafka.createLogAppendTimeTopic(`scale-sink-${s}`)
      await preProduce(kafka, `scale-sink-${s}`, sinkRecordsEach, payloadBytes)
    }
    const subscriber = await connectAsync(mosquitto.url, { clientId: `scale-subscriber-${process.pid}`, clean: true })
    let sinkArrivals = 0
    let lastSinkArrival = 0
    subscriber.on('message', () => {
      sinkArrivals++
      lastSinkArrival = performance.now()
    })
    await subscriber.subscribeAsync('scale-back/#', { qos: 1 })
    const names = [...Array.from({ length: sources }, (_, i) => `source-${i}`), ...Array.from({ length: sinks }, (_, s) => `sink-${s}`)]
    log(`creating ${sources} sources (${sources * filtersPerSource} filters) and ${sinks} sinks on ${system.label}`)
    const createStarted = performance.now()
    for (let i = 0; i < sources; i++) await createConnector(many.restUrl, `source-${i}`, sourceConfig(mosquitto.url, i, filtersEach, 'scale-many'))
    for (let s = 0; s < sinks; s++) await createConnector(many.restUrl, `sink-${s}`, sinkConfig(mosquitto.url, s))
    const postsMs = Math.round(performance.now() - createStarted)
    await allRunning(many.restUrl, names)
    const createMs = Math.round(performance.now() - createStarted)
    log(`  ${names.length} POSTs in ${postsMs} ms; all RUNNING ${createMs} ms after the first`)
    const sinkDeadline = performance.now() + 120_000
    while (sinkArrivals < sinks * sinkRecordsEach && performance.now() < sinkDeadline) await sleep(200)
    const sinkDrainMs = Math.round(lastSinkArrival - createStarted)
    log(`  sinks delivered ${sinkArrivals}/${sinks * sinkRecordsEach} records, the last ${sinkDrainMs} ms after the first POST`)
    const rssIdleMb = peakRssMb(many.pid)
    await sleep(2_000)
    log(`${sources} sources over ${sources * filtersEach * devicesEach} MQTT topics`)
    const together = await sourceRun(kafka, mosquitto.url, 'scale-many', sources, messages)
    await noneFailed(many.restUrl)
    log(`  ${together.messagesPerSecond} msg/s in all, p50 ${together.p50Ms} ms, p99 ${together.p99Ms} ms, ${together.received}/${messages}`)
    const peakMb = peakRssMb(many.pid)
    await subscriber.endAsync()

    log('restarting the worker (SIGTERM, then the same group and internal topics)')
    await many.stop()
    const restartedAt = performance.now()
    const again = await startWorker(workerId)
    const restRestartMs = Math.round(performance.now() - restartedAt)
    await allRunning(again.restUrl, names)
    const restartMs = Math.round(performance.now() - restartedAt)
    log(`  REST answered after ${restRestartMs} ms; all ${names.length} RUNNING after ${restartMs} ms`)

    const result = {
      date: new Date().toISOString(),
      system: system.id,
      plan: { sources, filtersPerSource, topicGroupsEach: filtersEach, devicesEach, topics: sources * filtersEach * devicesEach, sinks, sinkRecordsEach, messages, payloadBytes, load },
      alone,
      together,
      perConnectorRatio: Math.round((together.messagesPerSecond / alone.messagesPerSecond) * 100) / 100,
      createConnectors: { postsMs, allRunningMs: createMs },
      sinks: { delivered: sinkArrivals, expected: sinks * sinkRecordsEach, lastArrivalAfterFirstPostMs: sinkDrainMs },
      rssMb: { afterCreateAndSinks: rssIdleMb, peak: peakMb },
      restart: { restAnsweredMs: restRestartMs, allRunningMs: restartMs },
    }
    console.log()
    console.log(`| figure | value |\n|---|---|`)
    console.log(`| system | ${system.label} |`)
    console.log(`| one source alone (${filtersPerSource} filters) | ${alone.messagesPerSecond} msg/s, p99 ${alone.p99Ms} ms |`)
    console.log(`| ${sources} sources together (${sources * filtersPerSource} filters, ${sources * filtersEach * devicesEach} topics) | ${together.messagesPerSecond} msg/s in all, p99 ${together.p99Ms} ms |`)
    console.log(`| together / alone | ${result.perConnectorRatio} |`)
    console.log(`| create ${names.length} connectors | POSTs ${postsMs} ms, all RUNNING ${createMs} ms |`)
    console.log(`| ${sinks} sinks × ${sinkRecordsEach} records | ${sinkArrivals}/${sinks * sinkRecordsEach} delivered, last ${sinkDrainMs} ms after the first POST |`)
    console.log(`| RSS | ${rssIdleMb} MB after creating, ${peakMb} MB peak |`)
    console.log(`| restart to all RUNNING | ${restartMs} ms (REST after ${restRestartMs} ms) |`)
    const resultsDir = join(import.meta.dirname, 'results')
    mkdirSync(resultsDir, { recursive: true })
    const file = join(resultsDir, `scale-${new Date().toISOString().replaceAll(':', '-')}.json`)
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
    console.log(`wrote ${file}`)
  } finally {
    for (const worker of workers) await worker.stop().catch(() => undefined)
    await kafka.disconnect().catch(() => undefined)
    await mosquitto.stop()
    await broker.stop()
  }
}

await main()
