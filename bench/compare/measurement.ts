import { percentile } from '../stats.ts'

/** One measured run: a number of messages through one subject (a worker or a component alone). */
export interface RunMeasurement {
  readonly messages: number
  /** Distinct messages that arrived. */
  readonly received: number
  readonly duplicates: number
  /** received / (last arrival − first publish). */
  readonly messagesPerSecond: number
  readonly p50Ms: number | null
  readonly p95Ms: number | null
  readonly p99Ms: number | null
  readonly p999Ms: number | null
  /** CPU seconds (user + system) of the worker process while it moved this run's messages; null for components. */
  readonly cpuSeconds: number | null
  /** The load generator's own publishing rate during this run. */
  readonly loadGeneratorMessagesPerSecond: number | null
  /** Warm-up runs are recorded but left out of the medians. */
  readonly warmUp: boolean
  /** Why the run stopped before every message arrived (a FAILED task), or null. */
  readonly failure: string | null
}

const round1 = (value: number): number => Math.round(value * 10) / 10

/** Latency percentiles and throughput from the raw latencies of one run. */
export const measure = (fields: {
  messages: number
  received: number
  duplicates: number
  latenciesMs: readonly number[]
  firstPublishMs: number
  lastArrivalMs: number
  cpuSeconds: number | null
  loadGeneratorMessagesPerSecond: number | null
  warmUp: boolean
  failure?: string | null
}): RunMeasurement => {
  const sorted = Float64Array.from(fields.latenciesMs).sort()
  const asArray = Array.from(sorted)
  const at = (p: number): number | null => (asArray.length === 0 ? null : round1(percentile(asArray, p)))
  const elapsedMs = fields.lastArrivalMs - fields.firstPublishMs
  return {
    messages: fields.messages,
    received: fields.received,
    duplicates: fields.duplicates,
    messagesPerSecond: fields.received === 0 || elapsedMs <= 0 ? 0 : Math.round((fields.received / elapsedMs) * 1000),
    p50Ms: at(50),
    p95Ms: at(95),
    p99Ms: at(99),
    p999Ms: at(99.9),
    cpuSeconds: fields.cpuSeconds === null ? null : Math.round(fields.cpuSeconds * 100) / 100,
    loadGeneratorMessagesPerSecond: fields.loadGeneratorMessagesPerSecond,
    warmUp: fields.warmUp,
    failure: fields.failure ?? null,
  }
}

/** Median of the values that are not null; null when there are none. */
export const median = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value)).sort((a, b) => a - b)
  if (present.length === 0) return null
  const middle = Math.floor(present.length / 2)
  return present.length % 2 === 1 ? present[middle]! : round1((present[middle - 1]! + present[middle]!) / 2)
}
