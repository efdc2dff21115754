import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt'
import { sharedStringHeader, stringHeader, type ConnectHeader } from '../../src/data/headers.ts'
import type { SourcePartition, SourceRecord } from '../../src/data/record.ts'
import type { Schema } from '../../src/data/schema.ts'
import type { RecordMetadata, SourceTask, SourceTaskContext } from '../../src/plugin/index.ts'
import { ConnectError } from '../../src/plugin/errors.ts'
import { NO_LOGGER, NO_METRICS, type CounterHandle, type HistogramHandle, type TaskLogger, type TaskMetricsRegistry } from '../../src/plugin/metrics.ts'
import { LATENCY_BUCKETS_SECONDS, MQTT_METRIC_PREFIX, trackConnection } from './client-metrics.ts'
import { BoundedBuffer } from './bounded-buffer.ts'
import { DeferredAcks, type AckToken } from './deferred-acks.ts'
import { ORIGIN_FILTERS_HEADER, ORIGIN_HEADER, originFiltersValue, originIdOf } from './origin.ts'
import {
  backOffReconnects,
  connectionFailure,
  connectionOptions,
  endClient,
  firstConnection,
  INITIAL_RECONNECT_MS,
  reportConnectionHealth,
} from './client-options.ts'
import { captureTopic, isTemplate, parseFilter, renderTemplate, templateVariables, toKafkaTopicName, type CapturingFilter } from './topic-mapping.ts'
import { SHARED_GROUP_TASK_KEY, type MqttSourceConfig, type MqttSourceTaskConfig } from './source-config.ts'

const KEY_SCHEMA: Schema = { type: 'string', optional: true }
const BYTES_HEADER_SCHEMA: Schema = { type: 'bytes', optional: true }
const VALUE_SCHEMA: Schema = { type: 'bytes', optional: true }
// Headers with few values, built once: the worker converts each to bytes once rather than per message.
const QOS_HEADERS = [sharedStringHeader('mqtt.qos', '0'), sharedStringHeader('mqtt.qos', '1'), sharedStringHeader('mqtt.qos', '2')] as const
const RETAINED_HEADERS = { true: sharedStringHeader('mqtt.retained', 'true'), false: sharedStringHeader('mqtt.retained', 'false') }
const DUPLICATE_HEADERS = { true: sharedStringHeader('mqtt.duplicate', 'true'), false: sharedStringHeader('mqtt.duplicate', 'false') }
/** The task's offset counts messages Kafka acknowledged; MQTT has no offsets a restart could resume from. */
const OFFSET_FIELD = 'acknowledged.messages'

interface Received {
  readonly record: SourceRecord
  /** `null` for QoS 0, which nobody acknowledges. */
  readonly ack: AckToken | null
}

/**
 * Subscribes to MQTT topic filters and turns each message into a source record: key = the MQTT topic, value = the
 * payload bytes, headers describing the message. The MQTT client pushes into a bounded buffer that `poll()` drains.
 */
export class MqttSourceTask implements SourceTask<MqttSourceTaskConfig> {
  private config!: MqttSourceConfig
  private client: MqttClient | null = null
  private stopped = false
  private buffer!: BoundedBuffer<Received>
  private readonly acks = new DeferredAcks()
  /** Records handed to the runtime by poll() and not committed yet, oldest first. */
  private readonly inFlight: Received[] = []
  private inFlightHead = 0
  private partition!: SourcePartition
  private acknowledged = 0
  private fatalError: Error | null = null
  private lastConnectionError: Error | null = null
  private disconnectedSince: number | null = null
  private topicFor!: (mqttTopic: string) => string
  private keyFor!: (mqttTopic: string, payload: Buffer) => string | null
  private subscriptions!: string[]
  private originHeader!: ConnectHeader
  private originFiltersHeader!: ConnectHeader
  private log: TaskLogger = NO_LOGGER
  private metrics: TaskMetricsRegistry = NO_METRICS
  /** Per QoS (0, 1, 2), messages received from the broker. */
  private receivedByQos: readonly CounterHandle[] = []
  private latency!: HistogramHandle

  async start(config: MqttSourceTaskConfig, context: SourceTaskContext): Promise<void> {
    this.config = config
    this.buffer = new BoundedBuffer(this.config['records.buffer.queue.size'])
    const filters = this.config['mqtt.topics'].map(parseFilter)
    const sharedGroup = config[SHARED_GROUP_TASK_KEY]
    this.subscriptions = filters.map(({ subscription }) => (sharedGroup ? `$share/${sharedGroup}/${subscription}` : subscription))
    this.topicFor = kafkaTopicMapper(this.config['kafka.topic'], filters)
    this.keyFor = recordKeyMapper(this.config['kafka.key'], filters)
    this.originHeader = sharedStringHeader(ORIGIN_HEADER, originIdOf(this.config['mqtt.origin.id'], this.config['mqtt.server.uri']))
    this.originFiltersHeader = sharedStringHeader(ORIGIN_FILTERS_HEADER, originFiltersValue(filters.map(({ subscription }) => subscription)))
    const clientId = this.config['mqtt.client.id'] || `${context.taskId.connector}-${context.taskId.task}`
    this.instrument(context)
    this.partition = { 'mqtt.client.id': clientId }
    const previous = context.offsetOf(this.partition)?.[OFFSET_FIELD]
    this.acknowledged = typeof previous === 'number' ? previous : 0
    await this.connect(clientId, context.reportDegraded)
  }

  async poll(signal: AbortSignal): Promise<readonly SourceRecord[]> {
    if (this.fatalError) throw this.fatalError
    const gaveUp = this.gaveUpReconnecting()
    if (gaveUp) throw gaveUp
    const batch = await this.buffer.drain(
      this.config['records.buffer.queue.max.batch.size'],
      this.config['records.buffer.queue.empty.timeout'],
      signal,
    )
    const records: SourceRecord[] = new Array<SourceRecord>(batch.length)
    for (let i = 0; i < batch.length; i++) {
      this.inFlight.push(batch[i]!)
      records[i] = batch[i]!.record
    }
    if (batch.length > 0 && this.log.isEnabled('debug')) this.log.debug('polled MQTT messages', { count: batch.length, buffered: this.buffer.size })
    return records
  }

  /** Kafka has the record (or a transform dropped it): only now does the broker get its PUBACK/PUBREC. */
  commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    const next = this.inFlight[this.inFlightHead]
    if (next?.record !== record) throw new ConnectError('commitRecord was called out of poll order')
    this.inFlightHead++
    if (this.inFlightHead > 1024 && this.inFlightHead * 2 > this.inFlight.length) {
      this.inFlight.splice(0, this.inFlightHead)
      this.inFlightHead = 0
    }
    if (next.ack !== null) this.acks.release(next.ack)
    // The record's timestamp is the moment the message arrived (toRecord): this is arrival to Kafka's acknowledgement.
    if (record.timestamp !== null) this.latency.observe((Date.now() - record.timestamp) / 1000)
  }

  /** What the worker shows about this task beyond Kafka Connect's metrics: the MQTT side of the bridge. */
  private instrument(context: SourceTaskContext): void {
    const metrics = (this.metrics = context.metrics ?? NO_METRICS)
    this.log = context.logger ?? NO_LOGGER
    const received = metrics.counter(`${MQTT_METRIC_PREFIX}source_messages_received_total`, 'Messages received from the MQTT broker, by QoS.', ['qos'])
    this.receivedByQos = [received.labels('0'), received.labels('1'), received.labels('2')]
    this.latency = metrics
      .histogram(`${MQTT_METRIC_PREFIX}source_end_to_end_latency_seconds`, 'From a message arriving from MQTT to Kafka acknowledging its record.', LATENCY_BUCKETS_SECONDS)
      .labels()
    metrics.observedGauge(`${MQTT_METRIC_PREFIX}source_acks_held`, 'MQTT acknowledgements (PUBACK, PUBREC) held until Kafka has the message.', () => this.acks.pending)
    metrics.observedGauge(`${MQTT_METRIC_PREFIX}source_buffer_fill_ratio`, 'How full the buffer between the MQTT client and poll() is (records.buffer.queue.size).', () =>
      this.buffer.size / this.buffer.capacity,
    )
  }

  async stop(): Promise<void> {
    this.stopped = true
    const client = this.client
    this.client = null
    this.buffer?.clear()
    // A graceful end flushes the acknowledgements already written before DISCONNECT; unacknowledged messages stay
    // with the broker, which redelivers them to the next session.
    await endClient(client)
  }

  private async connect(clientId: string, reportDegraded: (reason: string | null) => void): Promise<void> {
    const options: IClientOptions = {
      ...(await connectionOptions(this.config, () => this.stopped)),
      clientId,
      clean: this.config['mqtt.clean.session.enabled'],
      reconnectPeriod: INITIAL_RECONNECT_MS,
      protocolVersion: this.config['mqtt.version'] === '5' ? 5 : 4,
      ...(this.config['mqtt.version'] === '5'
        ? {
            properties: {
              sessionExpiryInterval: this.config['mqtt.clean.session.enabled'] ? 0 : this.config['mqtt.session.expiry.interval.seconds'],
              receiveMaximum: this.config['mqtt.receive.maximum'],
            },
          }
        : {}),
      resubscribe: true,
    }
    const client = connect(options)
    // Kept before the first CONNACK so that stop() can end an attempt that never completes.
    this.client = client
    this.acks.install(client)
    trackConnection(client, this.metrics, this.log)
    // QoS 0 and 1 reach handleMessage before MQTT.js acknowledges them; finishing it late is the backpressure.
    client.handleMessage = (packet, callback) => {
      if (packet.qos === 2) callback()
      else this.receive(packet, packet.qos === 1 ? this.acks.hold(packet.messageId!) : null, () => callback())
    }
    // QoS 2 reaches handleMessage only after PUBREC and PUBREL, too late to hold PUBREC, so it is taken on arrival.
    // Its backpressure is the broker's in-flight window, which the held PUBRECs fill.
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish' && packet.qos === 2) this.receive(packet, this.acks.hold(packet.messageId!), () => {})
    })
    client.on('connect', (connack) => {
      // A persistent session keeps its subscriptions; subscribing again is harmless and covers a lost session.
      if (!connack.sessionPresent || this.config['mqtt.clean.session.enabled']) this.subscribe(client)
    })
    await firstConnection(client, this.config['mqtt.server.uri'], this.config['mqtt.connect.timeout.seconds'])
    client.on('error', (error) => {
      this.lastConnectionError = error
      // Connection-level errors are retried by MQTT.js's reconnect; a refused subscription is not.
      if (error.message.includes('ubscri')) this.fatalError = error
    })
    client.on('close', () => {
      this.lastConnectionError = new ConnectError(connectionFailure(client, undefined, this.config['mqtt.connect.timeout.seconds']))
    })
    reportConnectionHealth(client, this.config['mqtt.server.uri'], this.config['mqtt.connect.timeout.seconds'], reportDegraded)
    backOffReconnects(client, this.config['mqtt.reconnect.backoff.max.ms'])
    this.trackOutages(client)
  }

  /** Notes when an outage began, for `mqtt.reconnect.give.up.seconds`. */
  private trackOutages(client: MqttClient): void {
    client.on('close', () => (this.disconnectedSince ??= Date.now()))
    client.on('connect', () => (this.disconnectedSince = null))
  }

  /** The outage outlasted `mqtt.reconnect.give.up.seconds`: time to fail the task with a readable reason. */
  private gaveUpReconnecting(): Error | null {
    const giveUpSeconds = this.config['mqtt.reconnect.give.up.seconds']
    if (giveUpSeconds === 0 || this.disconnectedSince === null || Date.now() - this.disconnectedSince < giveUpSeconds * 1000) return null
    const reason = this.lastConnectionError?.message ?? 'the connection closed'
    return new ConnectError(
      `Lost the connection to MQTT broker ${this.config['mqtt.server.uri'].join(',')} and could not reconnect within ${giveUpSeconds} s: ${reason}`,
      { cause: this.lastConnectionError },
    )
  }

  private subscribe(client: MqttClient): void {
    const qos = this.config['mqtt.qos'] as 0 | 1 | 2
    const noLocal = this.config['mqtt.version'] === '5' && this.config['mqtt.no.local']
    client.subscribe(this.subscriptions, { qos, ...(noLocal ? { nl: true } : {}) }, (error, granted) => {
      const refused = granted?.filter(({ qos: grantedQos }) => grantedQos === 128) ?? []
      if (error) this.fatalError = new ConnectError(`Subscribing to ${this.config['mqtt.topics'].join(',')} failed: ${error.message}`, { cause: error })
      else if (refused.length > 0) this.fatalError = new ConnectError(`The broker refused the subscription to ${refused.map(({ topic }) => topic).join(',')}`)
    })
  }

  /** Buffers one message; `proceed` lets MQTT.js read the next packet, so calling it late is the backpressure. */
  private receive(packet: IPublishPacket, ack: AckToken | null, proceed: () => void): void {
    this.receivedByQos[packet.qos]?.inc()
    this.buffer.push({ record: this.toRecord(packet), ack })
    if (this.buffer.hasRoom()) proceed()
    else void this.buffer.whenRoom().then(proceed)
  }

  private toRecord(packet: IPublishPacket): SourceRecord {
    this.acknowledged++
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
    const headers: ConnectHeader[] = [
      stringHeader('mqtt.topic', packet.topic),
      QOS_HEADERS[packet.qos],
      packet.retain ? RETAINED_HEADERS.true : RETAINED_HEADERS.false,
      packet.dup ? DUPLICATE_HEADERS.true : DUPLICATE_HEADERS.false,
      stringHeader('mqtt.message.id', String(packet.messageId ?? -1)),
      this.originHeader,
      this.originFiltersHeader,
    ]
    if (packet.properties !== undefined) appendMqtt5Headers(headers, packet.properties)
    return {
      topic: this.topicFor(packet.topic),
      kafkaPartition: null,
      keySchema: KEY_SCHEMA,
      key: this.keyFor(packet.topic, payload),
      valueSchema: VALUE_SCHEMA,
      value: payload,
      timestamp: Date.now(),
      headers,
      sourcePartition: this.partition,
      sourceOffset: { [OFFSET_FIELD]: this.acknowledged },
    }
  }
}

/** MQTT 5 properties as headers: user properties under their own names, the rest under mqtt.*. */
const appendMqtt5Headers = (headers: ConnectHeader[], properties: NonNullable<IPublishPacket['properties']>): void => {
  for (const [name, value] of Object.entries(properties.userProperties ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) headers.push(stringHeader(name, item))
  }
  if (properties.contentType !== undefined) headers.push(stringHeader('mqtt.content.type', properties.contentType))
  if (properties.responseTopic !== undefined) headers.push(stringHeader('mqtt.response.topic', properties.responseTopic))
  if (properties.correlationData !== undefined) {
    headers.push({ key: 'mqtt.correlation.data', schema: BYTES_HEADER_SCHEMA, value: properties.correlationData })
  }
}

/** A constant topic costs nothing per message; a template renders from the filter captures. */
const kafkaTopicMapper = (template: string, filters: readonly CapturingFilter[]): ((mqttTopic: string) => string) => {
  if (!isTemplate(template)) return () => template
  return (mqttTopic) => {
    const captures = captureTopic(filters, mqttTopic) ?? {}
    return toKafkaTopicName(renderTemplate(template, (name) => captures[name]))
  }
}

const recordKeyMapper = (template: string, filters: readonly CapturingFilter[]): ((mqttTopic: string, payload: Buffer) => string | null) => {
  if (template === '') return () => null
  if (template === '{mqtt.topic}') return (mqttTopic) => mqttTopic
  const usesPayload = templateVariables(template).some((name) => name.startsWith('payload.'))
  return (mqttTopic, payload) => {
    const captures = captureTopic(filters, mqttTopic) ?? {}
    const document = usesPayload ? parseJsonOrNull(payload) : null
    return renderTemplate(template, (name) => {
      if (name === 'mqtt.topic') return mqttTopic
      if (name.startsWith('payload.')) return fieldText(document, name.slice('payload.'.length))
      return captures[name]
    })
  }
}

const parseJsonOrNull = (payload: Buffer): unknown => {
  try {
    return JSON.parse(payload.toString('utf8'))
  } catch {
    return null
  }
}

const fieldText = (document: unknown, path: string): string | undefined => {
  let current = document
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  if (current === undefined || current === null) return undefined
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return String(current)
  return JSON.stringify(current)
}
