// Records/s in and out per connector, from successive scrapes of GET /metrics: the worker exports Kafka Connect's
// task counters (as the Prometheus JMX exporter names them) and the page derives the rates, as Prometheus would.

/** The series the console reads. Each is summed over a connector's tasks. */
export const METRIC_NAMES = {
  source: {
    in: 'kafka_connect_source_task_metrics_source_record_poll_total',
    out: 'kafka_connect_source_task_metrics_source_record_write_total',
  },
  sink: {
    in: 'kafka_connect_sink_task_metrics_sink_record_read_total',
    out: 'kafka_connect_sink_task_metrics_sink_record_send_total',
  },
  /** Consumer lag, Kafka's `records-lag-max`: whichever family exports it, the largest value per connector. */
  lagSuffix: 'records_lag_max',
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g
const unescapeLabel = (value) => value.replace(/\\(.)/g, (_, char) => (char === 'n' ? '\n' : char))

/** Prometheus text exposition → [{ name, labels, value }], comments and malformed lines skipped. */
export const parsePrometheusText = (text) => {
  const samples = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = SAMPLE.exec(line)
    if (match === null) continue
    const labels = {}
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL)) labels[name] = unescapeLabel(value)
    samples.push({ name: match[1], labels, value: Number(match[3]) })
  }
  return samples
}

/** Per connector name: { in, out, lag } from one scrape; `lag` is null when no lag series names the connector. */
export const connectorTotals = (samples) => {
  const totals = new Map()
  const entry = (name) => {
    let found = totals.get(name)
    if (found === undefined) totals.set(name, (found = { in: 0, out: 0, lag: null }))
    return found
  }
  for (const { name, labels, value } of samples) {
    const connector = labels.connector
    if (connector === undefined || !Number.isFinite(value)) continue
    if (name === METRIC_NAMES.source.in || name === METRIC_NAMES.sink.in) entry(connector).in += value
    else if (name === METRIC_NAMES.source.out || name === METRIC_NAMES.sink.out) entry(connector).out += value
    else if (name.endsWith(METRIC_NAMES.lagSuffix)) entry(connector).lag = Math.max(entry(connector).lag ?? 0, value)
  }
  return totals
}

/** Keeps each connector's rates over the last `windowMs`, one point per scrape. */
export class RateHistory {
  constructor(windowMs) {
    this.windowMs = windowMs
    this.previous = new Map()
    this.points = new Map()
  }

  /** Adds one scrape taken at `atMs`. A counter that went down (its task restarted) starts over: no negative rate. */
  add(atMs, totals) {
    for (const [name, total] of totals) {
      const before = this.previous.get(name)
      this.previous.set(name, { atMs, ...total })
      if (before === undefined || atMs <= before.atMs) continue
      const seconds = (atMs - before.atMs) / 1000
      const rate = (now, then) => (now >= then ? (now - then) / seconds : 0)
      const points = this.points.get(name) ?? []
      points.push({ atMs, in: rate(total.in, before.in), out: rate(total.out, before.out), lag: total.lag })
      while (points.length > 0 && points[0].atMs < atMs - this.windowMs) points.shift()
      this.points.set(name, points)
    }
    for (const name of [...this.previous.keys()]) {
      if (!totals.has(name)) {
        this.previous.delete(name)
        this.points.delete(name)
      }
    }
  }

  /** The connector's latest { in, out, lag }, or null before two scrapes have seen it. */
  latest(name) {
    return this.points.get(name)?.at(-1) ?? null
  }

  series(name) {
    return this.points.get(name) ?? []
  }
}
