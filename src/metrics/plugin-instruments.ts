import type { CounterHandle, GaugeHandle, HistogramHandle, MetricFamily, TaskMetricsRegistry } from '../plugin/metrics.ts'
import { isValidMetricName } from './metric-names.ts'
import type { Labels, MetricKind, MetricSample } from './scraped-family.ts'

type TaskKey = string

interface Series {
  readonly labels: Labels
  value: number
  /** Histograms only: per bucket (and +Inf last), how many observations fell in it. */
  readonly buckets?: number[]
  sum?: number
  count?: number
}

const RESERVED_LABELS = new Set(['connector', 'task', 'le'])

/**
 * One plugin metric across every task that uses it: its series, per task, read when Prometheus scrapes. A family's
 * name, kind, help and label names are fixed by the first task that declares it.
 */
export class PluginFamily {
  private readonly byTask = new Map<TaskKey, Map<string, Series>>()
  private readonly observed = new Map<TaskKey, { labels: Labels; read: () => number }>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: MetricKind,
    readonly labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {}

  series(task: TaskKey, taskLabels: Labels, values: readonly string[]): Series {
    if (values.length !== this.labelNames.length) {
      throw new Error(`Metric ${this.name} takes ${this.labelNames.length} label values (${this.labelNames.join(', ')}), not ${values.length}`)
    }
    let forTask = this.byTask.get(task)
    if (forTask === undefined) this.byTask.set(task, (forTask = new Map<string, Series>()))
    const key = values.join('\u0000')
    let series = forTask.get(key)
    if (series === undefined) {
      const labels: Record<string, string> = { ...taskLabels }
      this.labelNames.forEach((name, i) => (labels[name] = values[i]!))
      series = this.kind === 'histogram' ? { labels, value: 0, buckets: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 } : { labels, value: 0 }
      forTask.set(key, series)
    }
    return series
  }

  observe(task: TaskKey, taskLabels: Labels, read: () => number): void {
    this.observed.set(task, { labels: taskLabels, read })
  }

  forget(task: TaskKey): void {
    this.byTask.delete(task)
    this.observed.delete(task)
  }

  *samples(): Iterable<MetricSample> {
    for (const { labels, read } of this.observed.values()) yield { labels, value: read() }
    for (const forTask of this.byTask.values()) {
      for (const series of forTask.values()) {
        if (series.buckets === undefined) {
          yield { labels: series.labels, value: series.value }
          continue
        }
        let cumulative = 0
        for (let i = 0; i < series.buckets.length; i++) {
          cumulative += series.buckets[i]!
          const le = i < this.buckets.length ? String(this.buckets[i]) : '+Inf'
          yield { labels: { ...series.labels, le }, value: cumulative, suffix: '_bucket' }
        }
        yield { labels: series.labels, value: series.sum ?? 0, suffix: '_sum' }
        yield { labels: series.labels, value: series.count ?? 0, suffix: '_count' }
      }
    }
  }
}

/** The families plugins declared, by name, and how to tell the worker about a new one. */
export interface PluginFamilies {
  family(name: string, help: string, kind: MetricKind, labelNames: readonly string[], buckets: readonly number[]): PluginFamily
}

/**
 * The metrics hook one task gets (`context.metrics`): every series it creates carries its connector and task labels,
 * and `forget()` (when the task stops) removes them all.
 */
export class TaskInstruments implements TaskMetricsRegistry {
  private readonly used = new Set<PluginFamily>()
  private readonly taskLabels: Labels
  private readonly key: TaskKey

  constructor(
    private readonly families: PluginFamilies,
    connector: string,
    task: number,
  ) {
    this.taskLabels = { connector, task: String(task) }
    this.key = `${connector}\u0000${task}`
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): MetricFamily<CounterHandle> {
    const family = this.declare(name, help, 'counter', labelNames, [])
    return {
      labels: (...values) => {
        const series = family.series(this.key, this.taskLabels, values)
        return { inc: (by = 1) => void (series.value += by) }
      },
    }
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): MetricFamily<GaugeHandle> {
    const family = this.declare(name, help, 'gauge', labelNames, [])
    return {
      labels: (...values) => {
        const series = family.series(this.key, this.taskLabels, values)
        return {
          set: (value) => void (series.value = value),
          inc: (by = 1) => void (series.value += by),
          dec: (by = 1) => void (series.value -= by),
        }
      },
    }
  }

  observedGauge(name: string, help: string, read: () => number): void {
    this.declare(name, help, 'gauge', [], []).observe(this.key, this.taskLabels, read)
  }

  histogram(name: string, help: string, buckets: readonly number[], labelNames: readonly string[] = []): MetricFamily<HistogramHandle> {
    const family = this.declare(name, help, 'histogram', labelNames, buckets)
    const bounds = family.buckets
    return {
      labels: (...values) => {
        const series = family.series(this.key, this.taskLabels, values)
        const counts = series.buckets!
        return {
          observe: (value) => {
            let i = 0
            while (i < bounds.length && value > bounds[i]!) i++
            counts[i]!++
            series.sum! += value
            series.count!++
          },
        }
      },
    }
  }

  forget(): void {
    for (const family of this.used) family.forget(this.key)
    this.used.clear()
  }

  private declare(name: string, help: string, kind: MetricKind, labelNames: readonly string[], buckets: readonly number[]): PluginFamily {
    if (!isValidMetricName(name)) throw new Error(`${name} is not a valid Prometheus metric name`)
    const reserved = labelNames.find((label) => RESERVED_LABELS.has(label) || !isValidMetricName(label))
    if (reserved !== undefined) throw new Error(`Metric ${name} cannot have a label named ${reserved}`)
    const family = this.families.family(name, help, kind, labelNames, buckets)
    this.used.add(family)
    return family
  }
}
