import type { SourceRecord } from '../data/record.ts'
import { isSharedHeader, type ConnectHeader } from '../data/headers.ts'
import type { Converter, HeaderConverter } from '../plugin/converter.ts'
import type { SerializedRecord } from '../kafka/record-producer.ts'
import { inStage } from './conversion-stage.ts'

export interface RecordConverters {
  readonly key: Converter
  readonly value: Converter
  readonly header: HeaderConverter
  /** Class names, for error reports (`__connect.errors.class.name`). */
  readonly classNames: { readonly key: string; readonly value: string; readonly header: string }
}

/**
 * Turns a source record into Kafka bytes with the connector's converters. Synchronous converters stay synchronous:
 * only a converter that returns a promise (Avro, which may ask a schema registry) costs an await.
 * A failure is a StageError naming the converter, so error tolerance can report where it happened.
 */
export const serializeSourceRecord = (
  record: SourceRecord,
  converters: RecordConverters,
): SerializedRecord | Promise<SerializedRecord> => {
  const { classNames } = converters
  const key = inStage('KEY_CONVERTER', classNames.key, () => converters.key.fromConnectData(record.topic, record.keySchema, record.key, record.headers))
  const value = inStage('VALUE_CONVERTER', classNames.value, () =>
    converters.value.fromConnectData(record.topic, record.valueSchema, record.value, record.headers),
  )
  const headers = inStage('HEADER_CONVERTER', classNames.header, () => record.headers.map((header) => [header.key, headerBytes(record.topic, header, converters.header)] as const))
  if (key instanceof Promise || value instanceof Promise) {
    return Promise.all([key, value]).then(([keyBytes, valueBytes]) => assemble(record, keyBytes, valueBytes, headers))
  }
  return assemble(record, key, value, headers)
}

/** Shared headers' bytes (`sharedStringHeader`), per header object, for the converter and topic they were made for. */
const sharedHeaderBytes = new WeakMap<ConnectHeader, { readonly converter: HeaderConverter; readonly topic: string; readonly bytes: Buffer | null }>()

const headerBytes = (topic: string, header: ConnectHeader, converter: HeaderConverter): Buffer | null => {
  if (!isSharedHeader(header)) return toBuffer(converter.fromConnectHeader(topic, header.key, header.schema, header.value))
  const known = sharedHeaderBytes.get(header)
  if (known !== undefined && known.converter === converter && known.topic === topic) return known.bytes
  const bytes = toBuffer(converter.fromConnectHeader(topic, header.key, header.schema, header.value))
  sharedHeaderBytes.set(header, { converter, topic, bytes })
  return bytes
}

const assemble = (
  record: SourceRecord,
  key: Uint8Array | null,
  value: Uint8Array | null,
  headers: SerializedRecord['headers'],
): SerializedRecord => ({
  topic: record.topic,
  partition: record.kafkaPartition,
  key: toBuffer(key),
  value: toBuffer(value),
  timestamp: record.timestamp,
  headers,
})

const toBuffer = (bytes: Uint8Array | null): Buffer | null =>
  bytes === null ? null : Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
