import { connect, type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt'
import type { ConnectHeaders } from '../../src/data/headers.ts'
import type { SinkRecord } from '../../src/data/record.ts'
import type { SinkTask, SinkTaskContext, TopicPartitionOffset } from '../../src/plugin/index.ts'
import { ConnectError, DataError } from '../../src/plugin/errors.ts'
import { NO_METRICS, type CounterHandle } from '../../src/plugin/metrics.ts'
import { fullLogger, MQTT_METRIC_PREFIX, trackConnection } from './client-metrics.ts'
import { LoopGuard, originIdOf } from './origin.ts'
import { backOffReconnects, connectionOptions, endClient, firstConnection, INITIAL_RECONNECT_MS, reportConnectionHealth } from './client-options.ts'
import { MQTT_VERSIONS, type MqttSinkConfig } from './sink-config.ts'
import { jsonText, mqttPayload } from './sink-payload.ts'
import { parseTopicTemplate, renderTopic, type TemplatePart } from './sink-topic-template.ts'

const QOS_HEADER = 'mqtt.qos'
const RETAINED_HEADER = 'mqtt.retained'
/** MQTT 5's largest receive maximum, and what a broker that sends none allows. */
const MAX_RECEIVE_MAXIMUM = 65_535
const utf8 = new TextDecoder('utf-8')
/** Each MQTT topic's first loop-prevention skip is logged, for this many topics; past them, one line a minute. */
const MAX_SKIP_LOGGED_TOPICS = 100
const SKIP_SUMMARY_INTERVAL_MS = 60_000

type QoS = 0 | 1 | 2

/** The publishes started between two `flush()` calls, and the flushes that wait for them and every earlier one. */
interface PublishEpoch {
  /** Publishes of this epoch the broker has not acknowledged yet. */
  outstanding: number
  readonly flushes: (() => void)[]
  /** Called once for each of the epoch's publishes the broker acknowledged: one function per epoch, not per publish. */
  readonly acknowledged: () => void
}

/**
 * Publishes each record to MQTT: topic from `mqtt.topic`, payload from the value, QoS and retain from the config or
 * the record's `mqtt.qos` / `mqtt.retained` headers. `put()` starts publishes, at most `mqtt.max.in.flight` awaiting
 * the broker at once; `flush()` resolves once the broker acknowledged every one started before it (PUBACK for QoS 1,
 * PUBCOMP for QoS 2), which is when the runtime commits their Kafka offsets. Publishes started after a `flush()` do not
 * hold it back, so the runtime can commit what is acknowledged while the stream goes on.
 */
export class MqttSinkTask implements SinkTask<MqttSinkConfig> {
  private config!: MqttSinkConfig
  private loopGuard: LoopGuard | null = null
  private context!: SinkTaskContext
  private readonly skipLoggedTopics = new Set<string>()
  private lastSkipSummaryAt = 0
  private skipsSinceSummary = 0
  /** Records not published because their source would have read them back, since the task started. */
  loopPreventionSkips = 0
  private skipCounter: CounterHandle = NO_METRICS.counter('', '').labels()
  private publishesAcknowledged: CounterHandle = NO_METRICS.counter('', '').labels()
  private template!: readonly TemplatePart[]
  private client: MqttClient | null = null
  private stopped = false
  private isVersion5 = false
  private defaultOptions!: IClientPublishOptions
  /** The broker's receive maximum (MQTT 5), which MQTT.js does not enforce by itself. */
  private serverReceiveMaximum = MAX_RECEIVE_MAXIMUM
  private inFlight = 0
  /** The first publish that failed: every later put() and flush() rejects with it. */
  private failure: Error | null = null
  private windowWaiter: (() => void) | null = null
  /** Epochs with publishes or flushes pending, oldest first; the last one is where `put()` adds. */
  private readonly epochs: PublishEpoch[] = []
  private epoch = this.openEpoch()

  async start(config: MqttSinkConfig, context: SinkTaskContext): Promise<void> {
    this.config = config
    this.template = parseTopicTemplate(this.config['mqtt.topic'])
    this.context = context
    this.skipCounter = (context.metrics ?? NO_METRICS)
      .counter(`${MQTT_METRIC_PREFIX}sink_loop_prevention_skipped_total`, 'Records not published because the MQTT source that bridged them would read them back').labels()
    this.loopGuard = this.config['mqtt.loop.prevention.enabled'] ? new LoopGuard(originIdOf(this.config['mqtt.origin.id'], this.config['mqtt.server.uri'])) : null
    this.isVersion5 = this.config['mqtt.version'] === '5'
    this.defaultOptions = { qos: this.config['mqtt.qos'] as QoS, retain: this.config['mqtt.retained.enabled'] }
    const clientId = this.config['mqtt.client.id'] || `${context.taskId.connector}-sink-${context.taskId.task}`
    const metrics = context.metrics ?? NO_METRICS
    this.publishesAcknowledged = metrics.counter(`${MQTT_METRIC_PREFIX}sink_publishes_acknowledged_total`, 'Publishes the MQTT broker acknowledged (QoS 1 and 2; QoS 0 once written).').labels()
    metrics.observedGauge(`${MQTT_METRIC_PREFIX}sink_publishes_in_flight`, 'Publishes sent to the MQTT broker and not acknowledged yet (bounded by mqtt.max.in.flight).', () => this.inFlight)
    await this.connect(clientId, context.reportDegraded)
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const client = this.client
    if (client === null) throw new ConnectError('The MQTT sink task is not started')
    for (const record of records) {
      this.throwIfFailed()
      const topic = renderTopic(this.template, record)
      // The source that bridged this record from this broker would read it back from `topic`: publishing it would loop.
      if (this.loopGuard !== null && this.loopGuard.wouldLoop(record.headers, topic)) {
        this.skipped(topic)
        continue
      }
      const payload = mqttPayload(record.valueSchema, record.value)
      const options = this.publishOptions(record)
      while (this.inFlight >= this.windowSize()) {
        await new Promise<void>((resolve) => (this.windowWaiter = resolve))
        this.throwIfFailed()
      }
      this.inFlight++
      const { epoch } = this
      epoch.outstanding++
      client.publishAsync(topic, payload, options).then(epoch.acknowledged, (error: unknown) => this.publishFailed(error, record, topic))
    }
  }

  /** Resolves once every publish started before it was acknowledged; rejects if one of them failed. */
  async flush(_offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.throwIfFailed()
    const closing = this.epoch
    if (closing.outstanding > 0 || this.epochs.length > 1) {
      this.epoch = this.openEpoch()
      await new Promise<void>((resolve) => closing.flushes.push(resolve))
    }
    this.throwIfFailed()
  }

  /** Ends the connection: gracefully (in-flight publishes may still be acknowledged) for a short while, then at once. */
  async stop(): Promise<void> {
    this.stopped = true
    const client = this.client
    this.client = null
    if (client === null) return
    await endClient(client)
    // Publishes still unacknowledged now are never reported; their records stay uncommitted in Kafka.
    this.fail(new ConnectError('The MQTT sink task stopped'))
  }

  /** Counts a loop-prevention skip and says so: once per MQTT topic, and past {@link MAX_SKIP_LOGGED_TOPICS} once a minute. */
  private skipped(topic: string): void {
    this.loopPreventionSkips++
    this.skipCounter.inc()
    if (this.skipLoggedTopics.has(topic)) return
    const log = this.context.logger
    if (this.skipLoggedTopics.size < MAX_SKIP_LOGGED_TOPICS) {
      this.skipLoggedTopics.add(topic)
      log?.info('loop prevention: not publishing records that a source on this broker bridged and would read back from this topic', {
        mqttTopic: topic,
        skippedSoFar: this.loopPreventionSkips,
      })
      return
    }
    this.skipsSinceSummary++
    const now = Date.now()
    if (now - this.lastSkipSummaryAt < SKIP_SUMMARY_INTERVAL_MS) return
    log?.info('loop prevention: still skipping records that would come back', { skippedSinceLastLine: this.skipsSinceSummary, skippedSoFar: this.loopPreventionSkips })
    this.lastSkipSummaryAt = now
    this.skipsSinceSummary = 0
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure
  }

  private windowSize(): number {
    return Math.min(this.config['mqtt.max.in.flight'], this.serverReceiveMaximum)
  }

  private openEpoch(): PublishEpoch {
    const epoch: PublishEpoch = {
      outstanding: 0,
      flushes: [],
      acknowledged: () => {
        this.inFlight--
        this.publishesAcknowledged.inc()
        epoch.outstanding--
        this.wakeWaiters()
      },
    }
    this.epochs.push(epoch)
    return epoch
  }

  private publishFailed(error: unknown, record: SinkRecord, topic: string): void {
    this.inFlight--
    this.fail(
      new ConnectError(
        `Publishing the record in ${record.topic}-${record.kafkaPartition} at offset ${record.kafkaOffset} to MQTT topic ${topic} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      ),
    )
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.wakeWaiters()
  }

  private wakeWaiters(): void {
    if (this.windowWaiter !== null && (this.inFlight < this.windowSize() || this.failure !== null)) {
      const waiter = this.windowWaiter
      this.windowWaiter = null
      waiter()
    }
    // Flushes resolve in order: an epoch's once it and every earlier one are acknowledged, or on failure.
    while (this.epochs.length > 1 && (this.epochs[0]!.outstanding === 0 || this.failure !== null)) {
      for (const flush of this.epochs.shift()!.flushes) flush()
    }
  }

  /** The config's QoS and retain flag, unless the record's headers say otherwise; MQTT 5 adds the headers as user properties. */
  private publishOptions(record: SinkRecord): IClientPublishOptions {
    const { headers } = record
    if (headers.length === 0) return this.defaultOptions
    let qos = this.defaultOptions.qos
    let retain = this.defaultOptions.retain
    for (const header of headers) {
      if (header.key === QOS_HEADER) qos = qosOf(header.value, record)
      else if (header.key === RETAINED_HEADER) retain = retainedOf(header.value, record)
    }
    if (!this.isVersion5) return qos === this.defaultOptions.qos && retain === this.defaultOptions.retain ? this.defaultOptions : { qos, retain }
    return { qos, retain, properties: { userProperties: userProperties(headers) } }
  }

  private async connect(clientId: string, reportDegraded: (reason: string | null) => void): Promise<void> {
    const options: IClientOptions = {
      ...(await connectionOptions(this.config, () => this.stopped)),
      clientId,
      clean: this.config['mqtt.clean.session.enabled'],
      reconnectPeriod: INITIAL_RECONNECT_MS,
      protocolVersion: MQTT_VERSIONS[this.config['mqtt.version']],
    }
    const client = connect(options)
    trackConnection(client, this.context.metrics, fullLogger(this.context.logger))
    client.on('connect', (connack) => {
      this.serverReceiveMaximum = connack.properties?.receiveMaximum ?? MAX_RECEIVE_MAXIMUM
      this.wakeWaiters()
    })
    // Kept before the first CONNACK so that stop() can end an attempt that never completes.
    this.client = client
    await firstConnection(client, this.config['mqtt.server.uri'], this.config['mqtt.connect.timeout.seconds'])
    reportConnectionHealth(client, this.config['mqtt.server.uri'], this.config['mqtt.connect.timeout.seconds'], reportDegraded)
    backOffReconnects(client, this.config['mqtt.reconnect.backoff.max.ms'])
    client.on('error', (error) => {
      // Network errors are retried by MQTT.js's reconnect; a broker refusing the connection (a CONNACK reason code) is not.
      const { code } = error as Error & { code?: unknown }
      if (typeof code === 'number') this.fail(new ConnectError(`The MQTT broker refused the connection: ${error.message}`, { cause: error }))
    })
  }
}

const qosOf = (value: unknown, record: SinkRecord): QoS => {
  const qos = typeof value === 'string' ? Number(value.trim()) : typeof value === 'bigint' ? Number(value) : value
  if (qos === 0 || qos === 1 || qos === 2) return qos
  throw new DataError(`The record in ${record.topic}-${record.kafkaPartition} at offset ${record.kafkaOffset} has header ${QOS_HEADER}=${String(value)}; it must be 0, 1 or 2`)
}

const retainedOf = (value: unknown, record: SinkRecord): boolean => {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true'
  throw new DataError(`The record in ${record.topic}-${record.kafkaPartition} at offset ${record.kafkaOffset} has header ${RETAINED_HEADER}=${String(value)}; it must be true or false`)
}

/** Kafka headers as MQTT 5 user properties: text as it is, bytes as UTF-8, anything else as JSON; a repeated key keeps every value. */
const userProperties = (headers: ConnectHeaders): Record<string, string | string[]> => {
  const properties: Record<string, string | string[]> = {}
  for (const { key, schema, value } of headers) {
    if (value === null || value === undefined) continue
    const text = typeof value === 'string' ? value : value instanceof Uint8Array ? utf8.decode(value) : jsonText(schema, value)
    const existing = properties[key]
    properties[key] = existing === undefined ? text : Array.isArray(existing) ? [...existing, text] : [existing, text]
  }
  return properties
}
