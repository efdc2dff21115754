/** Kafka's metrics defaults: `metrics.sample.window.ms` = 30 s, `metrics.num.samples` = 2. */
export const SAMPLE_WINDOW_MS = 30_000
export const SAMPLE_COUNT = 2

interface Sample {
  startMs: number
  events: number
  total: number
  max: number
}

/**
 * What Kafka's SampledStat keeps: the last {@link SAMPLE_COUNT} windows of {@link SAMPLE_WINDOW_MS} each, from which
 * come a rate per second (as Kafka's Rate and Meter compute it), an average and a maximum. Recording costs a few
 * additions and is done once per batch.
 */
export class SampledWindow {
  private readonly samples: Sample[] = []

  constructor(
    private readonly windowMs = SAMPLE_WINDOW_MS,
    private readonly sampleCount = SAMPLE_COUNT,
  ) {}

  /** One observation of `value` (a batch's size for a rate, a duration for an average or maximum). */
  record(value: number, nowMs: number): void {
    let current = this.samples[this.samples.length - 1]
    if (current === undefined || nowMs - current.startMs >= this.windowMs) {
      current = { startMs: nowMs, events: 0, total: 0, max: Number.NEGATIVE_INFINITY }
      this.samples.push(current)
      if (this.samples.length > this.sampleCount) this.samples.shift()
    }
    current.events++
    current.total += value
    if (value > current.max) current.max = value
  }

  /**
   * The sum of recorded values per second over the samples still in the window. As Kafka's Rate, the elapsed time is
   * never taken as less than `sampleCount - 1` whole windows, so that a burst right after start does not read as a
   * huge rate.
   */
  ratePerSecond(nowMs: number): number {
    const live = this.live(nowMs)
    const oldest = live[0]
    if (oldest === undefined) return 0
    let elapsedMs = nowMs - oldest.startMs
    const minimumMs = (this.sampleCount - 1) * this.windowMs
    if (elapsedMs < minimumMs) elapsedMs = minimumMs
    return (live.reduce((sum, sample) => sum + sample.total, 0) * 1000) / elapsedMs
  }

  /** The average recorded value in the window; NaN when nothing was recorded, as Kafka reports it. */
  average(nowMs: number): number {
    const live = this.live(nowMs)
    const events = live.reduce((sum, sample) => sum + sample.events, 0)
    return events === 0 ? Number.NaN : live.reduce((sum, sample) => sum + sample.total, 0) / events
  }

  /** The largest recorded value in the window; NaN when nothing was recorded. */
  maximum(nowMs: number): number {
    const live = this.live(nowMs)
    return live.length === 0 ? Number.NaN : Math.max(...live.map((sample) => sample.max))
  }

  private live(nowMs: number): Sample[] {
    const horizon = nowMs - this.sampleCount * this.windowMs
    return this.samples.filter((sample) => sample.startMs > horizon && sample.events > 0)
  }
}
