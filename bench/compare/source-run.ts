// One worker process through one MQTT source scenario: cold start, a warm-up run, then the measured runs.
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { lastLines } from '../../scripts/infra/logs.ts'
import { sleep, waitFor } from '../../scripts/infra/wait.ts'
import { waitForRest } from '../../scripts/kafka-connect/connect.ts'
import type { LoadShape } from './ceilings.ts'
import type { BenchKafka } from './kafka-io.ts'
import { prepareLoad, type ReadyLoad } from './load.ts'
import { measure, type RunMeasurement } from './measurement.ts'
import { probePayload } from './payload.ts'
import { cpuSeconds, peakRssMb } from './process-stats.ts'
import type { SourceScenario } from './scenarios.ts'
import type { StartedWorker, WorkerSystem } from './systems.ts'

export interface SeriesPlan {
  readonly messages: number
  /** Messages of the warm-up run; 0 for none. */
  readonly warmUpMessages: number
  readonly repetitions: number
  readonly load: LoadShape
  /** How long the Kafka topic may stop growing before the run counts what it has (QoS 0 can lose messages). */
  readonly stallMs: number
}

export interface SeriesContext {
  readonly kafka: BenchKafka
  readonly mqttUrl: string
  readonly restPort: number
  /** Scratch folder of this series. */
  readonly dir: string
  readonly cpuProfileDir?: string
  readonly log: (line: string) => void
}

/** What one worker process did through one scenario. */
export interface SeriesResult {
  readonly coldStartMs: number
  /** Spawn → the first connector's task RUNNING and its first record in Kafka. */
  readonly firstRecordMs: number
  /** VmHWM at the end of the series: the most the process ever held, warm-up included. */
  readonly peakRssMb: number
  readonly runs: readonly RunMeasurement[]
}

let seriesSeq = 0

/** Starts a fresh worker for `scenario`, runs the warm-up and the repetitions on it, then stops it and cleans up. */
export const runSourceSeries = async (system: WorkerSystem, scenario: SourceScenario, plan: SeriesPlan, context: SeriesContext): Promise<SeriesResult> => {
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
      const { received, messagesPerSecond, p50Ms, p99Ms, cpuSeconds: cpu, loadGeneratorMessagesPerSecond } = run.measurement
      context.log(
        `    ${warmUp ? 'warm-up' : `run ${index + (plan.warmUpMessages > 0 ? 0 : 1)}`}: ${received}/${messages} received, ${messagesPerSecond} msg/s, ` +
          `p50 ${p50Ms} ms, p99 ${p99Ms} ms, CPU ${cpu} s (load generator ${loadGeneratorMessagesPerSecond} msg/s)`,
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

interface TaskStatus {
  connector?: { state: string; trace?: string }
  tasks?: { state: string; trace?: string }[]
}

/** The first lines of the trace of a FAILED connector or task, or undefined while nothing failed. */
export const failureOf = async (restUrl: string, name: string): Promise<{ failure?: string; running: boolean }> => {
  const response = await fetch(`${restUrl}/connectors/${name}/status`)
  if (response.status !== 200) return { running: false }
  const status = (await response.json()) as TaskStatus
  const failed = [status.connector, ...(status.tasks ?? [])].find((entry) => entry?.state === 'FAILED')
  if (failed !== undefined) return { failure: (failed.trace ?? 'FAILED').split('\n').slice(0, 3).join(' | '), running: false }
  return { running: status.tasks?.[0]?.state === 'RUNNING' }
}

/** Waits until the connector's first task is RUNNING; a FAILED connector or task fails the run with its trace. */
export const waitForRunningTask = async (restUrl: string, name: string): Promise<void> => {
  let failure: string | undefined
  const running = await waitFor(
    async () => {
      const state = await failureOf(restUrl, name)
      failure = state.failure
      return failure !== undefined || state.running
    },
    { timeoutMs: 120_000, intervalMs: 50 },
  )
  if (failure !== undefined) throw new Error(`connector ${name} failed: ${failure}`)
  if (!running) throw new Error(`connector ${name} had no RUNNING task within 120 s`)
}

/**
 * A RUNNING task may not have subscribed yet: probes go to the MQTT topic until one lands in Kafka, so no benchmark
 * message is published into a subscription that does not exist yet. Resolves to the records the probes left.
 */
const waitForSubscription = async (kafka: BenchKafka, mqttUrl: string, mqttTopic: string, kafkaTopic: string): Promise<number> => {
  const prober = await connectAsync(mqttUrl, { clientId: `bench-probe-${process.pid}-${Date.now()}`, clean: true })
  try {
    const deadline = performance.now() + 60_000
    for (let attempt = 0; (await kafka.recordCount(kafkaTopic)) === 0; attempt++) {
      if (performance.now() > deadline) throw new Error(`no probe reached Kafka topic ${kafkaTopic} within 60 s`)
      await prober.publishAsync(mqttTopic, probePayload(attempt), { qos: 1 })
      await sleep(100)
    }
  } finally {
    await prober.endAsync()
  }
  // A probe still on its way would otherwise count as a benchmark record.
  await sleep(500)
  return kafka.recordCount(kafkaTopic)
}

const runOnce = async (
  system: WorkerSystem,
  worker: StartedWorker,
  scenario: SourceScenario,
  plan: SeriesPlan,
  context: SeriesContext,
  runId: string,
  warmUp: boolean,
  createdTopics: string[],
): Promise<{ measurement: RunMeasurement; firstRecordMs: number }> => {
  const { kafka } = context
  const kafkaTopic = `${runId}-out`
  // A topic of its own per run: an earlier connector's persistent MQTT session must not queue this run's messages.
  const mqttTopic = `bench/${runId}`
  await kafka.createLogAppendTimeTopic(kafkaTopic)
  createdTopics.push(kafkaTopic)
  const name = `bench-${runId}`
  const response = await fetch(`${worker.restUrl}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      config: system.mqttSourceConfig({ mqttUrl: context.mqttUrl, mqttTopic, qos: scenario.qos, kafkaTopic, clientId: name, payloadBytes: scenario.payloadBytes }),
    }),
  })
  if (response.status !== 201) throw new Error(`connector ${name} not created (${response.status}): ${await response.text()}`)
  await waitForRunningTask(worker.restUrl, name)
  const probes = await waitForSubscription(kafka, context.mqttUrl, mqttTopic, kafkaTopic)
  const firstRecordMs = Math.round(performance.now() - worker.spawnedAt)

  let load: ReadyLoad | undefined
  try {
    load = await prepareLoad({ url: context.mqttUrl, topic: mqttTopic, messages: plan.messages, payloadBytes: scenario.payloadBytes, qos: scenario.qos, ...plan.load })
    const cpuBefore = cpuSeconds(worker.pid)
    let isPublished = false
    const published = load.start().finally(() => (isPublished = true))
    // Awaited below; this only keeps a failure while waiting for Kafka from leaving the rejection unobserved.
    published.catch(() => undefined)
    const { count: total, failure } = await kafka.waitForRecords(kafkaTopic, probes + plan.messages, {
      stallMs: plan.stallMs,
      // Both workers poll at least once a second: three seconds without a record after the last publish means lost.
      stallAfterPublishMs: 3_000,
      published: () => isPublished,
      failure: async () => (await failureOf(worker.restUrl, name)).failure,
    })
    const cpuAfter = cpuSeconds(worker.pid)
    const loadResult = await published
    await fetch(`${worker.restUrl}/connectors/${name}`, { method: 'DELETE' })
    const readback = await kafka.readBack(kafkaTopic, total, plan.messages)
    if (failure !== undefined) context.log(`    the connector FAILED: ${failure}`)
    return {
      firstRecordMs,
      measurement: measure({
        ...readback,
        messages: plan.messages,
        lastArrivalMs: readback.lastAppendMs,
        cpuSeconds: cpuAfter - cpuBefore,
        loadGeneratorMessagesPerSecond: loadResult.messagesPerSecond,
        warmUp,
        failure: failure ?? null,
      }),
    }
  } finally {
    load?.kill()
  }
}
