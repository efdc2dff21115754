import type { ConnectHeader, ConnectHeaders } from '../data/headers.ts'
import type { SinkRecord } from '../data/record.ts'
import type { SchemaAndValue } from '../data/schema.ts'
import type { ConsumedMessage } from '../kafka/record-consumer.ts'
import type { HeaderConverter } from '../plugin/converter.ts'
import { inStage } from './conversion-stage.ts'
import type { RecordConverters } from './record-serializer.ts'

const NO_HEADERS: ConnectHeaders = Object.freeze([])

/**
 * Turns a message read from Kafka into the sink record a task sees, with the connector's converters: the mirror of
 * `serializeSourceRecord`. A failure is a StageError naming the converter.
 */
export const deserializeSinkRecord = (
  topic: string,
  partition: number,
  message: ConsumedMessage,
  converters: RecordConverters,
): SinkRecord | Promise<SinkRecord> => {
  const { classNames } = converters
  const headers =
    message.headers === undefined ? NO_HEADERS : inStage('HEADER_CONVERTER', classNames.header, () => toConnectHeaders(topic, message.headers!, converters.header))
  const key = inStage('KEY_CONVERTER', classNames.key, () => converters.key.toConnectData(topic, message.key, headers))
  const value = inStage('VALUE_CONVERTER', classNames.value, () => converters.value.toConnectData(topic, message.value, headers))
  if (key instanceof Promise || value instanceof Promise) {
    return Promise.all([key, value]).then(([keyData, valueData]) => sinkRecordOf(topic, partition, message, keyData, valueData, headers))
  }
  return sinkRecordOf(topic, partition, message, key, value, headers)
}

/** The message as it arrived, bytes untouched: what a dead-letter topic receives, as in Kafka Connect. */
export const rawSinkRecord = (topic: string, partition: number, message: ConsumedMessage): SinkRecord => {
  const headers: ConnectHeader[] = []
  for (const key in message.headers ?? {}) {
    const value = message.headers?.[key]
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.push({ key, schema: null, value: one })
  }
  return sinkRecordOf(topic, partition, message, { schema: null, value: message.key }, { schema: null, value: message.value }, headers)
}

const sinkRecordOf = (
  topic: string,
  partition: number,
  message: ConsumedMessage,
  key: SchemaAndValue,
  value: SchemaAndValue,
  headers: ConnectHeaders,
): SinkRecord => {
  const timestamp = Number(message.timestamp)
  return {
    topic,
    kafkaPartition: partition,
    kafkaOffset: BigInt(message.offset),
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: timestamp >= 0 ? timestamp : null,
    timestampType: 'CreateTime',
    headers,
  }
}

/** Kafka headers (kafkajs repeats a key as an array) as Connect headers, through the connector's header converter. */
const toConnectHeaders = (topic: string, raw: NonNullable<ConsumedMessage['headers']>, converter: HeaderConverter): ConnectHeaders => {
  const headers: ConnectHeader[] = []
  for (const key in raw) {
    const value = raw[key]
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) {
      const { schema, value: headerValue } = converter.toConnectHeader(topic, key, typeof one === 'string' ? Buffer.from(one, 'utf8') : one)
      headers.push({ key, schema, value: headerValue })
    }
  }
  return headers
}
