import type { Metric, Registry } from 'prom-client'

export type Labels = Readonly<Record<string, string>>

/** One line of a family: `suffix` for a histogram's `_bucket`, `_sum` and `_count`. */
export interface MetricSample {
  readonly labels: Labels
  readonly value: number
  readonly suffix?: '_bucket' | '_sum' | '_count'
}

export type MetricKind = 'counter' | 'gauge' | 'histogram'

/**
 * A metric family whose samples are computed when Prometheus scrapes, from state the runtime keeps anyway (counters a
 * runner bumps once per batch, the herder's statuses): nothing to update on the hot path, and a task that stopped
 * simply has no samples any more, so no series goes stale.
 */
export class ScrapedFamily {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: MetricKind,
    private readonly read: () => Iterable<MetricSample>,
  ) {}

  /** The shape prom-client's Registry formats; `type` is the text format's word for it. */
  async get(): Promise<{ name: string; help: string; type: MetricKind; aggregator: 'sum'; values: { labels: Labels; value: number; metricName: string }[] }> {
    const values = []
    for (const sample of this.read()) values.push({ labels: sample.labels, value: sample.value, metricName: this.name + (sample.suffix ?? '') })
    return { name: this.name, help: this.help, type: this.kind, aggregator: 'sum', values }
  }

  reset(): void {}
}

/**
 * prom-client's registry formats any object with `name`, `help` and `get()`, though its types name only its own
 * four classes: this is the one place that says so.
 */
export const registerFamily = (registry: Registry, family: ScrapedFamily): void => registry.registerMetric(family as unknown as Metric)
