// bench:compare — our worker beside Apache Kafka Connect (with Camel's Paho MQTT 5 source and sink) and beside the component
// ceilings, on the same Kafka and Mosquitto, in one run. See bench/README.md for what each column means.
//   npx tsx bench/compare/main.ts [--quick] [--profile] [--messages N] [--repetitions N] [--warm-up N]
//                                 [--connections N] [--only ours|apache] [--skip-ceilings] [--keep]
//                                 [--scenarios qos1-100b,sink,...] [--sink-messages N] [--sink-warm-up N]
//                                 [--paced [--max-rate N] [--paced-seconds 60] [--paced-percents 10,50,80]]
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { camelMqttSinkConnectorClass, camelMqttSourceConnectorClass } from '../../scripts/kafka-connect/connect.ts'
import {
  kafkaConsumerCeiling,
  kafkaPathPaced,
  kafkaProducerCeiling,
  loadGeneratorCeiling,
  mqttPublisherSubscriberCeiling,
  mqttSubscriberCeiling,
  type LoadShape,
} from './ceilings.ts'
import { startBenchBrokers } from './brokers.ts'
import { BenchKafka } from './kafka-io.ts'
import { printPaced, runPaced } from './paced.ts'
import type { RunMeasurement } from './measurement.ts'
import { printCeilings, printRatios, printWorkers, scenarioRatios, summarise, type CeilingSeries, type WorkerSeries } from './report.ts'
import { sinkScenarios, sourceScenarios, type Qos, type Scenario } from './scenarios.ts'
import { runSinkSeries } from './sink-run.ts'
import { runSourceSeries, type SeriesContext, type SeriesPlan } from './source-run.ts'
import { ours, systems, type WorkerSystem } from './systems.ts'
import { printProfileCosts } from './top-costs.ts'

const flag = (name: string): boolean => process.argv.includes(`--${name}`)
const option = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? process.argv[index + 1] : undefined
}
const numberOption = (name: string, fallback: number): number => {
  const raw = option(name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} wants a whole number, not ${raw}`)
  return value
}

const quick = flag('quick')
// Checked here, before any broker starts: a bad value then changes nothing.
const pacedPercents = (option('paced-percents') ?? '10,50,80').split(',').map(Number)
if (pacedPercents.some((percent) => !(percent > 0 && percent <= 100))) throw new Error('--paced-percents wants percentages such as 10,50,80')
const profile = flag('profile')
const paced = flag('paced')
// The full run's sizes are chosen to finish within 20 minutes on a 2-core machine (bench/README.md has the budget).
const plan: SeriesPlan = {
  messages: numberOption('messages', quick ? 20_000 : profile ? 200_000 : 50_000),
  warmUpMessages: numberOption('warm-up', quick || profile ? 0 : 20_000),
  repetitions: numberOption('repetitions', quick || profile ? 1 : 3),
  load: { connections: numberOption('connections', 4), window: 1_000 } satisfies LoadShape,
  stallMs: 10_000,
}
// Sink scenarios (Kafka → MQTT) drain a pre-produced backlog: smaller, to stay inside the budget (the Camel sink
// publishes one record at a time).
const sinkPlan: SeriesPlan = {
  ...plan,
  messages: numberOption('sink-messages', quick ? 10_000 : 30_000),
  warmUpMessages: numberOption('sink-warm-up', quick || profile ? 0 : 10_000),
}
const qosLevels: readonly Qos[] = [0, 1]
const payloadSizes: readonly number[] = [100, 1024]
const sinkPayloadSizes: readonly number[] = [100]
const only = option('only')
const scenarioFilter = option('scenarios')
const chosenSystems: readonly WorkerSystem[] = systems.filter((system) => only === undefined || system.id === only)
const skipCeilings = flag('skip-ceilings') || profile
const keepScratch = flag('keep')

const started = performance.now()
const log = (line: string): void => {
  const seconds = Math.round((performance.now() - started) / 1000)
  process.stderr.write(`[${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}] ${line}\n`)
}

/** Runs one ceiling `repetitions` times after its warm-up. */
const ceilingSeries = async (
  entry: Omit<CeilingSeries, 'runs'>,
  run: (messages: number, warmUp: boolean) => Promise<RunMeasurement>,
  sizes: SeriesPlan = plan,
): Promise<CeilingSeries> => {
  const runs: RunMeasurement[] = []
  if (sizes.warmUpMessages > 0) runs.push(await run(sizes.warmUpMessages, true))
  for (let i = 0; i < sizes.repetitions; i++) runs.push(await run(sizes.messages, false))
  const summary = summarise(runs)
  log(`  ${entry.ceiling}, QoS ${entry.qos ?? '-'}, ${entry.payloadBytes} B: ${summary.messagesPerSecond} msg/s${summary.p50Ms === null ? '' : `, p50 ${summary.p50Ms} ms`}`)
  return { ...entry, runs }
}

const measureCeilings = async (kafka: BenchKafka, mqttUrl: string, kinds: ReadonlySet<Scenario['kind']>): Promise<CeilingSeries[]> => {
  const series: CeilingSeries[] = []
  for (const payloadBytes of kinds.has('source') ? payloadSizes : []) {
    for (const qos of qosLevels) {
      series.push(
        await ceilingSeries({ ceiling: 'load-generator', qos, payloadBytes }, (messages, warmUp) =>
          loadGeneratorCeiling(mqttUrl, qos, payloadBytes, messages, plan.load, warmUp),
        ),
      )
      series.push(
        await ceilingSeries({ ceiling: 'mqtt-subscriber', qos, payloadBytes }, (messages, warmUp) =>
          mqttSubscriberCeiling(mqttUrl, qos, payloadBytes, messages, plan.load, warmUp),
        ),
      )
    }
    series.push(
      await ceilingSeries({ ceiling: 'kafka-producer', qos: null, payloadBytes }, (messages, warmUp) =>
        kafkaProducerCeiling(kafka, payloadBytes, messages, warmUp),
      ),
    )
  }
  for (const payloadBytes of kinds.has('sink') ? sinkPayloadSizes : []) {
    series.push(
      await ceilingSeries({ ceiling: 'kafka-consumer', qos: null, payloadBytes }, (messages, warmUp) => kafkaConsumerCeiling(kafka, payloadBytes, messages, warmUp), sinkPlan),
    )
    for (const qos of qosLevels) {
      series.push(
        await ceilingSeries(
          { ceiling: 'mqtt-publisher-subscriber', qos, payloadBytes },
          (messages, warmUp) => mqttPublisherSubscriberCeiling(mqttUrl, qos, payloadBytes, messages, warmUp),
          sinkPlan,
        ),
      )
    }
  }
  return series
}

/** --paced: latency at 10, 50 and 80 % of our saturation rate, for every chosen system, same run. */
const pacedMode = async (kafka: BenchKafka, mqttUrl: string, restPort: number, dir: string, resultsDir: string): Promise<void> => {
  const [scenario, ...others] = sourceScenarios(qosLevels, payloadSizes).filter(
    (candidate) => candidate.id.includes(scenarioFilter ?? 'source-qos1-100b'),
  )
  if (scenario === undefined || others.length > 0) throw new Error('--paced runs one source scenario: name it with --scenarios (default source-qos1-100b)')
  const maxRate = option('max-rate') === undefined ? undefined : numberOption('max-rate', 0)
  const seconds = numberOption('paced-seconds', 60)
  const context: SeriesContext = { kafka, mqttUrl, restPort, dir: join(dir, 'workers'), log }
  const result = await runPaced({
    systems: chosenSystems,
    scenario,
    context,
    load: plan.load,
    seconds,
    fractions: pacedPercents.map((percent) => percent / 100),
    ...(maxRate === undefined ? {} : { maxRate }),
    stallMs: plan.stallMs,
    pathsAlone: [
      {
        id: 'mqtt-path',
        run: (ratePerSecond, messages) => mqttSubscriberCeiling(mqttUrl, scenario.qos, scenario.payloadBytes, messages, { ...plan.load, ratePerSecond }, false),
      },
      { id: 'kafka-path', run: (ratePerSecond, messages) => kafkaPathPaced(kafka, scenario.payloadBytes, ratePerSecond, messages) },
    ],
  })
  console.log()
  printPaced(result.maxRate, result.rows)
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `compare-paced-${timestamp()}.json`)
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), scenario, seconds, load: plan.load, ...result }, null, 2)}\n`)
  console.log(`wrote ${file}`)
}

/** First line of `java -version` (which prints to stderr). */
const javaVersionLine = (): string => spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0]?.trim() ?? 'unknown'

const timestamp = (): string => new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')

const main = async (): Promise<void> => {
  // A profile run covers source QoS 1 / 100 B unless --scenarios names others.
  const allScenarios: Scenario[] = profile && scenarioFilter === undefined ? sourceScenarios([1], [100]) : [...sourceScenarios(qosLevels, payloadSizes), ...sinkScenarios(qosLevels, sinkPayloadSizes)]
  const scenarios: Scenario[] = allScenarios.filter(
    (scenario) => scenarioFilter === undefined || scenarioFilter.split(',').some((part) => scenario.id.includes(part)),
  )
  const workerSystems = profile ? [ours] : chosenSystems
  const seriesCount = scenarios.length * workerSystems.length
  log(
    `${profile ? 'CPU profile of our worker' : 'Comparison'}: ${plan.messages} messages × ${plan.repetitions} runs` +
      `${plan.warmUpMessages > 0 ? ` after a ${plan.warmUpMessages}-message warm-up` : ', no warm-up'} per series; ` +
      `${seriesCount} worker series${skipCeilings ? '' : ' and the ceilings'}; load generator: ${plan.load.connections} connections`,
  )
  if (scenarios.some((scenario) => scenario.kind === 'sink')) {
    log(
      `sink scenarios: ${sinkPlan.messages} records × ${sinkPlan.repetitions} runs` +
        `${sinkPlan.warmUpMessages > 0 ? ` after a ${sinkPlan.warmUpMessages}-record warm-up` : ', no warm-up'}, pre-produced to Kafka, drained to MQTT`,
    )
  }
  for (const system of workerSystems) await system.prepare()

  const { dir, restPort, broker, mosquitto, kafka } = await startBenchBrokers('bench-compare', log)
  const resultsDir = join(projectRoot, 'bench', 'results')
  const profileDir = join(resultsDir, 'profiles', `compare-${timestamp()}`)
  const loadBefore = loadavg()
  let failed = false
  try {
    if (paced) {
      await pacedMode(kafka, mosquitto.url, restPort, dir, resultsDir)
      return
    }
    const ceilings: CeilingSeries[] = []
    if (!skipCeilings) {
      log('ceilings')
      ceilings.push(...(await measureCeilings(kafka, mosquitto.url, new Set(scenarios.map((scenario) => scenario.kind)))))
    }
    const workers: WorkerSeries[] = []
    const context: SeriesContext = {
      kafka,
      mqttUrl: mosquitto.url,
      restPort: restPort,
      dir: join(dir, 'workers'),
      ...(profile ? { cpuProfileDir: profileDir } : {}),
      log,
    }
    // Interleaved per scenario, so a change in the machine's background load touches both workers alike.
    for (const scenario of scenarios) {
      for (const system of workerSystems) {
        log(`${scenario.label} on ${system.label}`)
        const result =
          scenario.kind === 'sink' ? await runSinkSeries(system, scenario, sinkPlan, context) : await runSourceSeries(system, scenario, plan, context)
        log(`  cold start ${result.coldStartMs} ms, first record ${result.firstRecordMs} ms, peak RSS ${result.peakRssMb} MB`)
        workers.push({ system, scenario, result })
      }
    }

    const ratios = scenarioRatios(scenarios, ceilings, workers)
    console.log()
    if (ceilings.length > 0) {
      console.log('Ceilings (each component alone, same brokers, same run; medians):')
      printCeilings(ceilings)
      console.log()
    }
    console.log('Workers (medians of the measured runs; warm-up excluded):')
    printWorkers(workers)
    console.log()
    if (!profile && workerSystems.length > 1) {
      console.log('Ratios (ours/theirs: >1 is more for ours; for latency, RSS, CPU and cold start lower is better):')
      printRatios(ratios, scenarios)
      console.log()
    }
    const loadAfter = loadavg()
    mkdirSync(resultsDir, { recursive: true })
    const file = join(resultsDir, `compare-${profile ? 'profile-' : ''}${timestamp()}.json`)
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          mode: { quick, profile },
          durationSeconds: Math.round((performance.now() - started) / 1000),
          machine: { cpus: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter, node: process.version, java: javaVersionLine() },
          plan,
          sinkPlan,
          oursConfig: 'connector defaults',
          apacheConnect: { runtime: 'org.apache.kafka:connect-runtime:4.3.1 (distributed)', connectorClass: camelMqttSourceConnectorClass, sinkConnectorClass: camelMqttSinkConnectorClass, plugin: 'camel-kafka-connector 0.11.0 + camel-paho-mqtt5 3.11.1' },
          ceilings: ceilings.map((series) => ({ ...series, summary: summarise(series.runs) })),
          workers: workers.map(({ system, scenario, result }) => ({ system: system.id, worker: system.label, scenario, ...result, summary: summarise(result.runs) })),
          ratios,
        },
        null,
        2,
      )}\n`,
    )
    console.log(`machine load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')} (${cpus().length} cores)`)
    console.log(`wrote ${file}`)
    if (profile) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the worker's main thread; the others are the
      // module loader's (tsx's hooks thread), which only works during startup.
      const profiles = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))
      const mainThread = profiles.filter((name) => /\.0\.\d+\.cpuprofile$/.test(name))
      if (mainThread.length === 0) throw new Error(`our worker left no main-thread CPU profile in ${profileDir}`)
      console.log()
      for (const name of mainThread) printProfileCosts(join(profileDir, name), 20)
      const others = profiles.filter((name) => !mainThread.includes(name))
      if (others.length > 0) console.log(`other threads' profiles (module loading): ${others.map((name) => join(profileDir, name)).join(', ')}`)
    }
  } catch (error) {
    failed = true
    throw error
  } finally {
    await kafka.disconnect().catch(() => undefined)
    await mosquitto.stop()
    await broker.stop()
    if (failed || keepScratch) log(`kept the scratch folder with the logs: ${dir}`)
    else await rm(dir, { recursive: true, force: true })
    log(`done in ${Math.round((performance.now() - started) / 1000)} s`)
  }
}

// Ctrl-C: exit through 'exit', whose hooks kill the brokers, the workers and the load generators this run started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

await main()
