// One worker process through one MQTT sink scenario (Kafka → MQTT): cold start, a warm-up run, then the measured runs.
// Each run pre-produces its records to a Kafka topic of its own, subscribes an MQTT.js client to the MQTT topic, then
// creates the sink connector, which drains the backlog to Mosquitto.
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { lastLines } from '../../scripts/infra/logs.ts'
import { sleep } from '../../scripts/infra/wait.ts'
import { waitForRest } from '../../scripts/kafka-connect/connect.ts'
import { preProduce } from './pre-produce.ts'
import { measure, type RunMeasurement } from './measurement.ts'
import { publishedAt } from './payload.ts'
import { cpuSeconds, peakRssMb } from './process-stats.ts'
import type { SinkScenario } from './scenarios.ts'
import { failureOf, waitForRunningTask, type SeriesContext, type SeriesPlan, type SeriesResult } from './source-run.ts'
import type { StartedWorker, WorkerSystem } from './systems.ts'

/** How long a created connector may take to deliver its first record (task start, group join, first fetch). */
const firstArrivalTimeoutMs = 120_000

let seriesSeq = 0

/** Starts a fresh worker for `scenario`, runs the warm-up and the repetitions on it, then stops it and cleans up. */
export const runSinkSeries = async (system: WorkerSystem, scenario: SinkScenario, plan: SeriesPlan, context: SeriesContext): Promise<SeriesResult> => {
  const workerId = `bench-${system.id}-${scenario.id}-${process.pid}-${seriesSeq++}`
  const worker = await system.start({
    bootstrapServers: context.kafka.bootstrapServers,
    restPort: context.restPort,
    workerId,
    dir: join(context.dir, workerId),
    cpuProfileDir: context.cpuProfileDir,
  })
  const createdTopics: string[] = []
  try {
    await waitForRest(worker.restUrl, worker.pid, { timeoutMs: 180_000, logFile: worker.logFile })
    const coldStartMs = Math.round(performance.now() - worker.spawnedAt)
    const runs: RunMeasurement[] = []
    let firstRecordMs = NaN
    const sizes = [...(plan.warmUpMessages > 0 ? [plan.warmUpMessages] : []), ...Array<number>(plan.repetitions).fill(plan.messages)]
    for (const [index, messages] of sizes.entries()) {
      const warmUp = plan.warmUpMessages > 0 && index === 0
      const run = await runOnce(system, worker, scenario, { ...plan, messages }, context, `${workerId}-${index}`, warmUp, createdTopics)
      if (index === 0) firstRecordMs = run.firstRecordMs
      runs.push(run.measurement)
      const { received, messagesPerSecond, p50Ms, p99Ms, cpuSeconds: cpu } = run.measurement
      context.log(
        `    ${warmUp ? 'warm-up' : `run ${index + (plan.warmUpMessages > 0 ? 0 : 1)}`}: ${received}/${messages} received, ${messagesPerSecond} msg/s, ` +
          `p50 ${p50Ms} ms, p99 ${p99Ms} ms, CPU ${cpu} s (pre-produced in ${run.preProduceMs} ms, POST → first arrival ${run.postToFirstArrivalMs} ms)`,
      )
    }
    return { coldStartMs, firstRecordMs, peakRssMb: peakRssMb(worker.pid), runs }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`${system.label}, ${scenario.label}: ${reason}\nworker log ${worker.logFile}:\n${lastLines(worker.logFile, 15)}`, { cause: error })
  } finally {
    await worker.stop()
    await context.kafka.deleteTopics([...createdTopics, ...system.internalTopics(workerId)]).catch(() => undefined)
  }
}


const runOnce = async (
  system: WorkerSystem,
  worker: StartedWorker,
  scenario: SinkScenario,
  plan: SeriesPlan,
  context: SeriesContext,
  runId: string,
  warmUp: boolean,
  createdTopics: string[],
): Promise<{ measurement: RunMeasurement; firstRecordMs: number; preProduceMs: number; postToFirstArrivalMs: number | null }> => {
  const { kafka } = context
  const { messages } = plan
  const kafkaTopic = `${runId}-in`
  const mqttTopic = `bench/${runId}`
  await kafka.createLogAppendTimeTopic(kafkaTopic)
  createdTopics.push(kafkaTopic)
  const preProduceMs = await preProduce(kafka, kafkaTopic, messages, scenario.payloadBytes)

  const subscriber = await connectAsync(context.mqttUrl, { clientId: `bench-sink-subscriber-${runId}`, clean: true })
  const seen = new Uint8Array(messages)
  const latenciesMs: number[] = []
  let received = 0
  let duplicates = 0
  let firstArrivalMs = NaN
  let lastArrivalMs = NaN
  // The worker's CPU time at the first and the last arrival: the drain, not the task's start-up.
  let cpuAtFirst = NaN
  let cpuAtLast = NaN
  subscriber.on('message', (_topic, payload) => {
    const now = Date.now()
    if (Number.isNaN(firstArrivalMs)) {
      firstArrivalMs = now
      cpuAtFirst = cpuSeconds(worker.pid)
    }
    lastArrivalMs = now
    const sent = publishedAt(payload)
    if (Number.isNaN(sent)) return
    latenciesMs.push(now - sent)
    const seq = Number(payload.toString('latin1', 0, payload.indexOf(0x3a)))
    if (seen[seq] === 1) duplicates++
    else {
      seen[seq] = 1
      received++
      if (received === messages) cpuAtLast = cpuSeconds(worker.pid)
    }
  })
  const name = `bench-${runId}`
  try {
    await subscriber.subscribeAsync(mqttTopic, { qos: scenario.qos })
    const postedAt = Date.now()
    const response = await fetch(`${worker.restUrl}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config: system.mqttSinkConfig({ mqttUrl: context.mqttUrl, mqttTopic, qos: scenario.qos, kafkaTopic, clientId: name }) }),
    })
    if (response.status !== 201) throw new Error(`connector ${name} not created (${response.status}): ${await response.text()}`)
    await waitForRunningTask(worker.restUrl, name)

    // Until every record arrived, arrivals stopped for stallMs (QoS 0 may lose some), or the connector FAILED.
    let failure: string | undefined
    let checkedAt = performance.now()
    for (;;) {
      if (received >= messages) break
      const now = Date.now()
      if (Number.isNaN(firstArrivalMs) ? now - postedAt > firstArrivalTimeoutMs : now - lastArrivalMs > plan.stallMs) break
      if (performance.now() - checkedAt > 1_000) {
        checkedAt = performance.now()
        failure = (await failureOf(worker.restUrl, name)).failure
        if (failure !== undefined) break
      }
      await sleep(50)
    }
    if (Number.isNaN(cpuAtLast) && !Number.isNaN(firstArrivalMs)) cpuAtLast = cpuSeconds(worker.pid)
    await fetch(`${worker.restUrl}/connectors/${name}`, { method: 'DELETE' })
    if (failure !== undefined) context.log(`    the connector FAILED: ${failure}`)
    if (Number.isNaN(firstArrivalMs)) throw new Error(`no record of ${kafkaTopic} reached MQTT topic ${mqttTopic} within ${firstArrivalTimeoutMs / 1000} s`)
    return {
      firstRecordMs: Math.round(performance.now() - worker.spawnedAt - (Date.now() - firstArrivalMs)),
      preProduceMs,
      postToFirstArrivalMs: firstArrivalMs - postedAt,
      measurement: measure({
        messages,
        received,
        duplicates,
        latenciesMs,
        // The drain rate: first arrival → last arrival (the records waited in Kafka before the connector existed).
        firstPublishMs: firstArrivalMs,
        lastArrivalMs,
        cpuSeconds: cpuAtLast - cpuAtFirst,
        loadGeneratorMessagesPerSecond: null,
        warmUp,
        failure: failure ?? null,
      }),
    }
  } finally {
    await subscriber.endAsync()
  }
}
