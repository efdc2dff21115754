/**
 * How a task counts what only it sees (messages per QoS, acknowledgements it holds, reconnects), without knowing how
 * the worker exposes them. Every series a task creates carries its `connector` and `task` labels and disappears when
 * the task stops. Handles are plain accumulators read when the worker is scraped: bumping one costs an addition, so a
 * task may do it per message, though once per batch is better where a batch count is at hand.
 */
export interface TaskMetricsRegistry {
  /** A monotonic count; `name` ends in `_total` by Prometheus habit. Extra `labelNames` beyond connector and task. */
  counter(name: string, help: string, labelNames?: readonly string[]): MetricFamily<CounterHandle>
  /** A value that goes up and down, set by the task. */
  gauge(name: string, help: string, labelNames?: readonly string[]): MetricFamily<GaugeHandle>
  /** A value the task already keeps, read only when the worker is scraped (a buffer's fill ratio). */
  observedGauge(name: string, help: string, read: () => number): void
  /** A distribution; `buckets` are upper bounds, ascending. */
  histogram(name: string, help: string, buckets: readonly number[], labelNames?: readonly string[]): MetricFamily<HistogramHandle>
}

/** One metric's series for this task; `labels(...)` takes one value per extra label name, in order. */
export interface MetricFamily<H> {
  labels(...values: string[]): H
}

export interface CounterHandle {
  inc(by?: number): void
}

export interface GaugeHandle {
  set(value: number): void
  inc(by?: number): void
  dec(by?: number): void
}

export interface HistogramHandle {
  observe(value: number): void
}

/** Counts nothing: what a task gets when the worker exposes no metrics (and what tests hand it). */
export const NO_METRICS: TaskMetricsRegistry = Object.freeze({
  counter: () => ({ labels: () => NOOP_HANDLE }),
  gauge: () => ({ labels: () => NOOP_HANDLE }),
  observedGauge: () => {},
  histogram: () => ({ labels: () => NOOP_HANDLE }),
})

const NOOP_HANDLE: CounterHandle & GaugeHandle & HistogramHandle = Object.freeze({ inc: () => {}, dec: () => {}, set: () => {}, observe: () => {} })

/** What a task may log through; the worker names it after the connector class, so its level can be set at runtime. */
export interface TaskLogger {
  trace(message: string, fields?: Readonly<Record<string, unknown>>): void
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void
  info(message: string, fields?: Readonly<Record<string, unknown>>): void
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void
  error(message: string, fields?: Readonly<Record<string, unknown>>): void
  /** Whether `level` is written now: a guard for fields that cost something to build. */
  isEnabled(level: 'trace' | 'debug' | 'info' | 'warn' | 'error'): boolean
}

/** Writes nothing. */
export const NO_LOGGER: TaskLogger = Object.freeze({ trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, isEnabled: () => false })
