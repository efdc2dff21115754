import type { SourceRecord } from '../data/record.ts'
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
  const headers = inStage('HEADER_CONVERTER', classNames.header, () =>
    record.headers.map(
      ({ key: headerKey, schema, value: headerValue }) =>
        [headerKey, toBuffer(converters.header.fromConnectHeader(record.topic, headerKey, schema, headerValue))] as const,
    ),
  )
  if (key instanceof Promise || value instanceof Promise) {
    return Promise.all([key, value]).then(([keyBytes, valueBytes]) => assemble(record, keyBytes, valueBytes, headers))
  }
  return assemble(record, key, value, headers)
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
