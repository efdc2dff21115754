// Paced mode of bench:compare: latency at a normal rate rather than at saturation. The load generator publishes at
// fractions of a maximum rate (ours, measured in the same run unless given) for a fixed time; every record's latency
// is Kafka's LogAppendTime minus the publish time stamped in its payload, so no worker's clock is involved.
import type { LoadShape } from './ceilings.ts'
import type { RunMeasurement } from './measurement.ts'
import { summarise } from './report.ts'
import type { SourceScenario } from './scenarios.ts'
import { runSourceSeries, type SeriesContext, type SeriesPlan } from './source-run.ts'
import type { SystemId, WorkerSystem } from './systems.ts'

export interface PacedOptions {
  readonly systems: readonly WorkerSystem[]
  readonly scenario: SourceScenario
  readonly context: SeriesContext
  readonly load: LoadShape
  readonly seconds: number
  readonly fractions: readonly number[]
  /** The rate the fractions are of; measured on our worker (a saturation run) when absent. */
  readonly maxRate?: number
  readonly stallMs: number
  /**
   * Each side of the pipeline alone at the same pace, measured beside the workers at each rate: the latency this
   * machine's MQTT path (load generator → Mosquitto → a subscriber) and Kafka path (the source's producer → Kafka)
   * have before any worker adds its own.
   */
  readonly pathsAlone?: readonly PathAlone[]
}

export interface PathAlone {
  readonly id: 'mqtt-path' | 'kafka-path'
  run(ratePerSecond: number, messages: number): Promise<RunMeasurement>
}

/** A worker, or one side of the pipeline alone beside them. */
export type PacedSubject = SystemId | PathAlone['id']

export interface PacedRow {
  readonly system: PacedSubject
  readonly fraction: number
  readonly ratePerSecond: number
  readonly messages: number
  readonly received: number
  readonly achievedPerSecond: number
  readonly p50Ms: number | null
  readonly p99Ms: number | null
  readonly p999Ms: number | null
  /** Null for a path alone: no worker process to measure. */
  readonly peakRssMb: number | null
}

/** A 5 s warm-up at the same pace: JIT, connections and the first fetches of metadata are not part of the figures. */
const WARM_UP_SECONDS = 5

const saturationRate = async (options: PacedOptions): Promise<number> => {
  const ours = options.systems.find((system) => system.id === 'ours')
  if (ours === undefined) throw new Error('paced mode needs --max-rate when our worker is not among the systems')
  const plan: SeriesPlan = { messages: 30_000, warmUpMessages: 10_000, repetitions: 1, load: options.load, stallMs: options.stallMs }
  options.context.log(`${options.scenario.label}: our worker's saturation rate, the 100 % of the paced runs`)
  const result = await runSourceSeries(ours, options.scenario, plan, options.context)
  const rate = summarise(result.runs).messagesPerSecond
  if (rate === null || rate <= 0) throw new Error('the saturation run moved no messages')
  return rate
}

const pacedRow = (system: PacedSubject, fraction: number, ratePerSecond: number, measured: RunMeasurement, peakRssMb: number | null): PacedRow => ({
  system,
  fraction,
  ratePerSecond,
  messages: measured.messages,
  received: measured.received,
  achievedPerSecond: measured.messagesPerSecond,
  p50Ms: measured.p50Ms,
  p99Ms: measured.p99Ms,
  p999Ms: measured.p999Ms,
  peakRssMb,
})

export const runPaced = async (options: PacedOptions): Promise<{ maxRate: number; rows: PacedRow[] }> => {
  const maxRate = options.maxRate ?? (await saturationRate(options))
  const rows: PacedRow[] = []
  for (const fraction of options.fractions) {
    const ratePerSecond = Math.max(1, Math.round(maxRate * fraction))
    // Interleaved per rate, so a change in the machine's background load touches both workers alike.
    for (const system of options.systems) {
      options.context.log(`${options.scenario.label} on ${system.label}, paced at ${ratePerSecond} msg/s (${Math.round(fraction * 100)} %) for ${options.seconds} s`)
      const plan: SeriesPlan = {
        messages: ratePerSecond * options.seconds,
        warmUpMessages: ratePerSecond * WARM_UP_SECONDS,
        repetitions: 1,
        load: { ...options.load, ratePerSecond },
        stallMs: options.stallMs,
      }
      const result = await runSourceSeries(system, options.scenario, plan, options.context)
      const measured = result.runs.find((run) => !run.warmUp) as RunMeasurement
      rows.push(pacedRow(system.id, fraction, ratePerSecond, measured, result.peakRssMb))
    }
    for (const path of options.pathsAlone ?? []) {
      options.context.log(`${path.id} alone, paced at ${ratePerSecond} msg/s for ${options.seconds} s`)
      const measured = await path.run(ratePerSecond, ratePerSecond * options.seconds)
      rows.push(pacedRow(path.id, fraction, ratePerSecond, measured, null))
    }
  }
  return { maxRate, rows }
}

export const printPaced = (maxRate: number, rows: readonly PacedRow[]): void => {
  console.log(`Paced latency, publish → Kafka LogAppendTime (100 % = ${maxRate} msg/s, our saturation rate in this run;`)
  console.log('mqtt-path: publish → arrival at a subscriber, no worker; kafka-path: the source producer alone → LogAppendTime):')
  const header = ['system', 'load', 'msg/s', 'received', 'p50 ms', 'p99 ms', 'p99.9 ms', 'peak RSS MB']
  const lines = rows.map((row) => [
    row.system,
    `${Math.round(row.fraction * 100)} %`,
    String(row.ratePerSecond),
    `${row.received}/${row.messages}`,
    String(row.p50Ms ?? '-'),
    String(row.p99Ms ?? '-'),
    String(row.p999Ms ?? '-'),
    String(row.peakRssMb ?? '-'),
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)))
  for (const line of [header, ...lines]) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  '))
}
