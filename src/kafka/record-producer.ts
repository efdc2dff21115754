import { CompressionTypes, Partitioners, type IHeaders, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs'
import { ConnectError, RetriableError } from '../plugin/errors.ts'
import type { ProducerTuning } from '../config/kafka-client-config.ts'
import { withSetupErrors } from './security.ts'

/** A record in its serialised form, ready for Kafka. */
export interface SerializedRecord {
  readonly topic: string
  readonly partition: number | null
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly timestamp: number | null
  readonly headers: readonly (readonly [string, Buffer | null])[]
}

/**
 * A client's failure in the error family: retriable or not, as `retriable` judges it for that client (kafkajs's by
 * default), with the original as cause.
 */
export const asConnectError = (error: unknown, retriable: (error: unknown) => boolean = isRetriableSendError): ConnectError => {
  if (error instanceof ConnectError) return error
  const message = error instanceof Error ? error.message : String(error)
  return retriable(error) ? new RetriableError(message, { cause: error }) : new ConnectError(message, { cause: error })
}

/**
 * Whether retrying a failed send may work (a leader moved, a broker restarted). kafkajs wraps the retriable error
 * that exhausted its own retries in a non-retriable one, so the cause chain is searched too.
 */
export const isRetriableSendError = (error: unknown): boolean => {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { retriable, name, cause } = current as { retriable?: unknown; name?: unknown; cause?: unknown }
    if (retriable === true || name === 'KafkaJSConnectionError' || name === 'KafkaJSRequestTimeoutError') return true
    current = cause ?? (current as { originalError?: unknown }).originalError
  }
  return false
}

/** What a source task or a dead-letter queue sends through, whichever client is behind it. */
export interface RecordSender {
  connect(): Promise<void>
  /**
   * Sends in order, as few requests as the broker's request size limit allows, each acknowledged before the next.
   * `onAcknowledged` hears after each request how many of `records`, from the first, Kafka has acknowledged so far:
   * a caller can act on those while the rest is still on its way, and after a failure send only the rest again.
   * A failure is a RetriableError when sending again may work (a leader moved, a broker away), a ConnectError
   * otherwise, each with the client's error as its cause: no client error leaves this folder.
   */
  send(records: readonly SerializedRecord[], onAcknowledged?: (acknowledged: number) => void): Promise<void>
  disconnect(): Promise<void>
}

/**
 * One kafkajs producer per source task, as Kafka Connect gives each task its own. kafkajs does no batching of its
 * own, so each `send()` is one batch: a whole poll's worth of records, acknowledged by all in-sync replicas.
 */
export class RecordProducer implements RecordSender {
  private producer: Producer | null = null

  /**
   * `kafka` is a client or, for a connection whose certificate files are read first, the promise of one: the
   * producer is created on `connect()`. `keyPrefix` names the keys its connection came from (`producer.`), so that
   * refused credentials or an untrusted certificate fail the task with the key to fix.
   */
  constructor(
    private readonly kafka: Kafka | (() => Promise<Kafka>),
    private readonly tuning: ProducerTuning = { acks: -1, compression: 'none' },
    private readonly keyPrefix = 'producer.',
  ) {}

  async connect(): Promise<void> {
    await withSetupErrors(async () => {
      const kafka = typeof this.kafka === 'function' ? await this.kafka() : this.kafka
      this.producer ??= kafka.producer({
        allowAutoTopicCreation: true,
        idempotent: false,
        maxInFlightRequests: 1,
        // The Java client's murmur2 partitioner, so keys land where Kafka Connect would put them.
        createPartitioner: Partitioners.DefaultPartitioner,
      })
      await this.producer.connect()
    }, this.keyPrefix)
  }

  async send(records: readonly SerializedRecord[], onAcknowledged?: (acknowledged: number) => void): Promise<void> {
    let acknowledged = 0
    const { producer } = this
    if (producer === null) throw new ConnectError('the producer is not connected')
    const compression = this.tuning.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None
    try {
      for (const chunk of chunksWithin(records, MAX_REQUEST_BYTES)) {
        await producer.sendBatch({ acks: this.tuning.acks, compression, topicMessages: groupByTopic(chunk) })
        acknowledged += chunk.length
        onAcknowledged?.(acknowledged)
      }
    } catch (error) {
      throw asConnectError(error)
    }
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect()
  }
}

/**
 * The broker refuses a request over message.max.bytes (1 MiB by default) with MESSAGE_TOO_LARGE; a full poll of
 * 4,096 small MQTT messages with their headers is already larger. Records are split by an upper estimate of their
 * encoded size, keeping their order.
 */
export const MAX_REQUEST_BYTES = 900 * 1024
const RECORD_OVERHEAD_BYTES = 64

export const chunksWithin = (records: readonly SerializedRecord[], maxBytes: number): SerializedRecord[][] => {
  const chunks: SerializedRecord[][] = []
  let current: SerializedRecord[] = []
  let currentBytes = 0
  for (const record of records) {
    const bytes = estimatedSize(record)
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      chunks.push(current)
      current = []
      currentBytes = 0
    }
    current.push(record)
    currentBytes += bytes
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

const estimatedSize = ({ key, value, headers }: SerializedRecord): number => {
  let bytes = RECORD_OVERHEAD_BYTES + (key?.length ?? 0) + (value?.length ?? 0)
  for (const [name, headerValue] of headers) bytes += name.length * 3 + (headerValue?.length ?? 0) + 8
  return bytes
}

const groupByTopic = (records: readonly SerializedRecord[]): TopicMessages[] => {
  const byTopic = new Map<string, Message[]>()
  for (const record of records) {
    let messages = byTopic.get(record.topic)
    if (messages === undefined) byTopic.set(record.topic, (messages = []))
    messages.push(toMessage(record))
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }))
}

const toMessage = ({ partition, key, value, timestamp, headers }: SerializedRecord): Message => {
  const message: Message = { key, value, headers: toHeaders(headers) }
  if (partition !== null) message.partition = partition
  if (timestamp !== null) message.timestamp = String(timestamp)
  return message
}

/** kafkajs takes headers as an object; a key that repeats becomes an array, keeping every value in order. */
const toHeaders = (headers: SerializedRecord['headers']): IHeaders => {
  const result: IHeaders = {}
  for (const [key, value] of headers) {
    if (value === null) continue
    const existing = result[key]
    if (existing === undefined) result[key] = value
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return result
}
