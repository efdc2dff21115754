// Medians over the measured runs, the three tables, and the ratios ours/theirs and ours/ceiling.
import { ceilingKinds, ceilingLabels, type CeilingId } from './ceilings.ts'
import { median, type RunMeasurement } from './measurement.ts'
import type { Qos, Scenario } from './scenarios.ts'
import type { SeriesResult } from './source-run.ts'
import type { SystemId, WorkerSystem } from './systems.ts'

export interface CeilingSeries {
  readonly ceiling: CeilingId
  /** null: the same for every QoS (the Kafka producer). */
  readonly qos: Qos | null
  readonly payloadBytes: number
  readonly runs: readonly RunMeasurement[]
}

export interface WorkerSeries {
  readonly system: WorkerSystem
  readonly scenario: Scenario
  readonly result: SeriesResult
}

/** Medians over the measured (non-warm-up) runs of one series. */
export interface Summary {
  readonly runs: number
  readonly messages: number
  /** The fewest distinct messages any measured run received. */
  readonly minReceived: number
  readonly messagesPerSecond: number | null
  readonly minMessagesPerSecond: number | null
  readonly maxMessagesPerSecond: number | null
  readonly p50Ms: number | null
  readonly p95Ms: number | null
  readonly p99Ms: number | null
  readonly p999Ms: number | null
  readonly cpuSeconds: number | null
  /** CPU microseconds per received message. */
  readonly cpuMicrosPerMessage: number | null
  readonly loadGeneratorMessagesPerSecond: number | null
  /** Measured runs whose connector FAILED. */
  readonly failedRuns: number
}

export const summarise = (all: readonly RunMeasurement[]): Summary => {
  const runs = all.filter((run) => !run.warmUp)
  const rates = runs.map((run) => run.messagesPerSecond)
  const cpuPerMessage = runs.map((run) => (run.cpuSeconds === null || run.received === 0 ? null : (run.cpuSeconds * 1e6) / run.received))
  return {
    runs: runs.length,
    messages: runs[0]?.messages ?? 0,
    minReceived: Math.min(...runs.map((run) => run.received)),
    messagesPerSecond: median(rates),
    minMessagesPerSecond: rates.length ? Math.min(...rates) : null,
    maxMessagesPerSecond: rates.length ? Math.max(...rates) : null,
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p95Ms: median(runs.map((run) => run.p95Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    p999Ms: median(runs.map((run) => run.p999Ms)),
    cpuSeconds: median(runs.map((run) => run.cpuSeconds)),
    cpuMicrosPerMessage: median(cpuPerMessage.map((value) => (value === null ? null : Math.round(value)))),
    loadGeneratorMessagesPerSecond: median(runs.map((run) => run.loadGeneratorMessagesPerSecond)),
    failedRuns: runs.filter((run) => run.failure !== null).length,
  }
}

export interface ScenarioRatios {
  readonly scenario: string
  /** The tightest ceiling of this scenario and its rate. */
  readonly bindingCeiling: CeilingId | null
  readonly ceilingMessagesPerSecond: number | null
  readonly oursOverTheirs: {
    readonly messagesPerSecond: number | null
    readonly p50Ms: number | null
    readonly p99Ms: number | null
    readonly peakRssMb: number | null
    readonly cpuSeconds: number | null
    readonly coldStartMs: number | null
  }
  readonly oursOverCeiling: number | null
  readonly theirsOverCeiling: number | null
}

const ratio = (ours: number | null | undefined, theirs: number | null | undefined): number | null =>
  ours === null || ours === undefined || theirs === null || theirs === undefined || theirs === 0 ? null : Math.round((ours / theirs) * 100) / 100

const ceilingsOf = (scenario: Scenario, ceilings: readonly CeilingSeries[]): { id: CeilingId; rate: number }[] =>
  ceilings
    .filter(
      (series) =>
        ceilingKinds[series.ceiling] === scenario.kind && series.payloadBytes === scenario.payloadBytes && (series.qos === null || series.qos === scenario.qos),
    )
    .map((series) => ({ id: series.ceiling, rate: summarise(series.runs).messagesPerSecond }))
    .filter((entry): entry is { id: CeilingId; rate: number } => entry.rate !== null)

export const scenarioRatios = (scenarios: readonly Scenario[], ceilings: readonly CeilingSeries[], workers: readonly WorkerSeries[]): ScenarioRatios[] =>
  scenarios.map((scenario) => {
    const find = (id: SystemId) => workers.find((series) => series.system.id === id && series.scenario.id === scenario.id)
    const ours = find('ours')
    const theirs = find('apache')
    const oursSummary = ours === undefined ? undefined : summarise(ours.result.runs)
    const theirsSummary = theirs === undefined ? undefined : summarise(theirs.result.runs)
    const binding = ceilingsOf(scenario, ceilings).sort((a, b) => a.rate - b.rate)[0]
    return {
      scenario: scenario.id,
      bindingCeiling: binding?.id ?? null,
      ceilingMessagesPerSecond: binding?.rate ?? null,
      oursOverTheirs: {
        messagesPerSecond: ratio(oursSummary?.messagesPerSecond, theirsSummary?.messagesPerSecond),
        p50Ms: ratio(oursSummary?.p50Ms, theirsSummary?.p50Ms),
        p99Ms: ratio(oursSummary?.p99Ms, theirsSummary?.p99Ms),
        peakRssMb: ratio(ours?.result.peakRssMb, theirs?.result.peakRssMb),
        cpuSeconds: ratio(oursSummary?.cpuSeconds, theirsSummary?.cpuSeconds),
        coldStartMs: ratio(ours?.result.coldStartMs, theirs?.result.coldStartMs),
      },
      oursOverCeiling: ratio(oursSummary?.messagesPerSecond, binding?.rate),
      theirsOverCeiling: ratio(theirsSummary?.messagesPerSecond, binding?.rate),
    }
  })

const show = (value: number | null | undefined): string => (value === null || value === undefined || Number.isNaN(value) ? '-' : String(value))

export const printTable = (header: readonly string[], rows: readonly (readonly string[])[]): void => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const format = (cells: readonly string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  console.log(format(header))
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`)
  for (const row of rows) console.log(format(row))
}

const rangeOf = (summary: Summary): string =>
  summary.minMessagesPerSecond === null ? '-' : `${summary.minMessagesPerSecond}–${summary.maxMessagesPerSecond}`

export const printCeilings = (ceilings: readonly CeilingSeries[]): void => {
  printTable(
    ['ceiling', 'QoS', 'payload B', 'runs', 'received', 'msg/s', 'msg/s range', 'p50 ms', 'p95 ms', 'p99 ms'],
    ceilings.map((series) => {
      const summary = summarise(series.runs)
      return [
        ceilingLabels[series.ceiling],
        show(series.qos),
        String(series.payloadBytes),
        String(summary.runs),
        `${summary.minReceived}/${summary.messages}`,
        show(summary.messagesPerSecond),
        rangeOf(summary),
        show(summary.p50Ms),
        show(summary.p95Ms),
        show(summary.p99Ms),
      ]
    }),
  )
}

export const printWorkers = (workers: readonly WorkerSeries[]): void => {
  printTable(
    ['scenario', 'worker', 'runs', 'received', 'msg/s', 'msg/s range', 'p50 ms', 'p95 ms', 'p99 ms', 'peak RSS MB', 'CPU s', 'CPU µs/msg', 'cold start ms', 'load gen msg/s'],
    workers.map(({ system, scenario, result }) => {
      const summary = summarise(result.runs)
      return [
        scenario.label,
        system.label,
        String(summary.runs),
        `${summary.minReceived}/${summary.messages}${summary.failedRuns > 0 ? ` (${summary.failedRuns} FAILED)` : ''}`,
        show(summary.messagesPerSecond),
        rangeOf(summary),
        show(summary.p50Ms),
        show(summary.p95Ms),
        show(summary.p99Ms),
        show(result.peakRssMb),
        show(summary.cpuSeconds),
        show(summary.cpuMicrosPerMessage),
        show(result.coldStartMs),
        show(summary.loadGeneratorMessagesPerSecond),
      ]
    }),
  )
}

export const printRatios = (ratios: readonly ScenarioRatios[], scenarios: readonly Scenario[]): void => {
  printTable(
    [
      'scenario',
      'msg/s ours/theirs',
      'p50 ours/theirs',
      'p99 ours/theirs',
      'RSS ours/theirs',
      'CPU ours/theirs',
      'cold start ours/theirs',
      'binding ceiling (msg/s)',
      'ours/ceiling',
      'theirs/ceiling',
    ],
    ratios.map((entry) => [
      scenarios.find((scenario) => scenario.id === entry.scenario)?.label ?? entry.scenario,
      show(entry.oursOverTheirs.messagesPerSecond),
      show(entry.oursOverTheirs.p50Ms),
      show(entry.oursOverTheirs.p99Ms),
      show(entry.oursOverTheirs.peakRssMb),
      show(entry.oursOverTheirs.cpuSeconds),
      show(entry.oursOverTheirs.coldStartMs),
      entry.bindingCeiling === null ? '-' : `${entry.bindingCeiling} (${entry.ceilingMessagesPerSecond})`,
      show(entry.oursOverCeiling),
      show(entry.theirsOverCeiling),
    ]),
  )
}
