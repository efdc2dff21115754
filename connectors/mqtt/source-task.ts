import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt'
import { stringHeader } from '../../src/data/headers.ts'
import type { SourcePartition, SourceRecord } from '../../src/data/record.ts'
import type { Schema } from '../../src/data/schema.ts'
import { parseConfig, type RecordMetadata, type SourceTask, type SourceTaskContext, type TaskConfig } from '../../src/plugin/index.ts'
import { ConfigError, ConnectError } from '../../src/plugin/errors.ts'
import { BoundedBuffer } from './bounded-buffer.ts'
import { DeferredAcks, type AckToken } from './deferred-acks.ts'
import { parseServerUris } from './server-uri.ts'
import { mqttSourceConfigSchema, type MqttSourceConfig } from './source-config.ts'

const KEY_SCHEMA: Schema = { type: 'string', optional: false }
const VALUE_SCHEMA: Schema = { type: 'bytes', optional: true }
/** The task's offset counts messages Kafka acknowledged; MQTT has no offsets a restart could resume from. */
const OFFSET_FIELD = 'acknowledged.messages'
const GRACEFUL_END_MS = 2_000

interface Received {
  readonly record: SourceRecord
  /** `null` for QoS 0, which nobody acknowledges. */
  readonly ack: AckToken | null
}

/**
 * Subscribes to MQTT topic filters and turns each message into a source record: key = the MQTT topic, value = the
 * payload bytes, headers describing the message. The MQTT client pushes into a bounded buffer that `poll()` drains.
 */
export class MqttSourceTask implements SourceTask {
  private config!: MqttSourceConfig
  private client: MqttClient | null = null
  private buffer!: BoundedBuffer<Received>
  private readonly acks = new DeferredAcks()
  /** Records handed to the runtime by poll() and not committed yet, oldest first. */
  private readonly inFlight: Received[] = []
  private inFlightHead = 0
  private partition!: SourcePartition
  private acknowledged = 0
  private fatalError: Error | null = null

  async start(rawConfig: TaskConfig, context: SourceTaskContext): Promise<void> {
    const parsed = parseConfig(mqttSourceConfigSchema, rawConfig)
    if (!parsed.ok) throw new ConfigError(parsed.problems[0]!.key, rawConfig[parsed.problems[0]!.key], parsed.problems[0]!.message)
    this.config = parsed.value
    this.buffer = new BoundedBuffer(this.config['records.buffer.queue.size'])
    const clientId = this.config['mqtt.client.id'] || `${context.taskId.connector}-${context.taskId.task}`
    this.partition = { 'mqtt.client.id': clientId }
    const previous = context.offsetOf(this.partition)?.[OFFSET_FIELD]
    this.acknowledged = typeof previous === 'number' ? previous : 0
    this.client = await this.connect(clientId)
  }

  async poll(signal: AbortSignal): Promise<readonly SourceRecord[]> {
    if (this.fatalError) throw this.fatalError
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
  }

  async stop(): Promise<void> {
    const client = this.client
    this.client = null
    this.buffer?.clear()
    // A graceful end flushes the acknowledgements already written before DISCONNECT; unacknowledged messages stay
    // with the broker, which redelivers them to the next session.
    if (client) await Promise.race([client.endAsync(false), new Promise((resolve) => setTimeout(resolve, GRACEFUL_END_MS))])
    if (client && !client.disconnected) await client.endAsync(true)
  }

  private async connect(clientId: string): Promise<MqttClient> {
    const options: IClientOptions = {
      servers: parseServerUris('mqtt.server.uri', this.config['mqtt.server.uri']),
      clientId,
      clean: this.config['mqtt.clean.session.enabled'],
      keepalive: this.config['mqtt.keepalive.interval.seconds'],
      connectTimeout: this.config['mqtt.connect.timeout.seconds'] * 1000,
      reconnectPeriod: 1000,
      protocolVersion: 4,
      resubscribe: true,
      ...(this.config['mqtt.username'] ? { username: this.config['mqtt.username'] } : {}),
      ...(this.config['mqtt.password'] ? { password: this.config['mqtt.password'] } : {}),
    }
    const client = connect(options)
    this.acks.install(client)
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
    await new Promise<void>((resolve, reject) => {
      const onConnect = (): void => {
        client.off('error', onError)
        resolve()
      }
      const onError = (error: Error): void => {
        client.off('connect', onConnect)
        client.end(true)
        reject(new ConnectError(`Could not connect to MQTT broker ${this.config['mqtt.server.uri'].join(',')}: ${error.message}`, { cause: error }))
      }
      client.once('connect', onConnect)
      client.once('error', onError)
    })
    client.on('error', (error) => {
      // Connection-level errors are retried by MQTT.js's reconnect; a refused subscription is not.
      if (error.message.includes('ubscri')) this.fatalError = error
    })
    return client
  }

  private subscribe(client: MqttClient): void {
    const qos = this.config['mqtt.qos'] as 0 | 1 | 2
    client.subscribe(this.config['mqtt.topics'], { qos }, (error, granted) => {
      const refused = granted?.filter(({ qos: grantedQos }) => grantedQos === 128) ?? []
      if (error) this.fatalError = new ConnectError(`Subscribing to ${this.config['mqtt.topics'].join(',')} failed: ${error.message}`, { cause: error })
      else if (refused.length > 0) this.fatalError = new ConnectError(`The broker refused the subscription to ${refused.map(({ topic }) => topic).join(',')}`)
    })
  }

  /** Buffers one message; `proceed` lets MQTT.js read the next packet, so calling it late is the backpressure. */
  private receive(packet: IPublishPacket, ack: AckToken | null, proceed: () => void): void {
    this.buffer.push({ record: this.toRecord(packet), ack })
    if (this.buffer.hasRoom()) proceed()
    else void this.buffer.whenRoom().then(proceed)
  }

  private toRecord(packet: IPublishPacket): SourceRecord {
    this.acknowledged++
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
    return {
      topic: this.config['kafka.topic'],
      kafkaPartition: null,
      keySchema: KEY_SCHEMA,
      key: packet.topic,
      valueSchema: VALUE_SCHEMA,
      value: payload,
      timestamp: Date.now(),
      headers: [
        stringHeader('mqtt.topic', packet.topic),
        stringHeader('mqtt.qos', String(packet.qos)),
        stringHeader('mqtt.retained', String(packet.retain)),
        stringHeader('mqtt.duplicate', String(packet.dup)),
        stringHeader('mqtt.message.id', String(packet.messageId ?? -1)),
      ],
      sourcePartition: this.partition,
      sourceOffset: { [OFFSET_FIELD]: this.acknowledged },
    }
  }
}
