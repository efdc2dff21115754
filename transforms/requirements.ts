import type { ConnectRecord, SinkRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { Struct } from '../src/data/struct.ts'
import { describeType } from '../src/data/values.ts'
import { DataError } from '../src/plugin/errors.ts'

/** Kafka's `Requirements`: what a transformation needs of a record, with Kafka's messages when it is missing. */

export const requireStruct = (value: unknown, purpose: string): Struct => {
  if (value instanceof Struct) return value
  throw new DataError(`Only Struct objects supported for [${purpose}], found: ${describeType(value)}`)
}

export const requireStructOrNull = (value: unknown, purpose: string): Struct | null =>
  value === null || value === undefined ? null : requireStruct(value, purpose)

export const requireSchema = (schema: Schema | null, purpose: string): Schema => {
  if (schema === null) throw new DataError(`Schema required for [${purpose}]`)
  return schema
}

/** Sink records are the ones read from Kafka: they alone carry an offset. */
export const isSinkRecord = (record: ConnectRecord): record is SinkRecord => typeof (record as Partial<SinkRecord>).kafkaOffset === 'bigint'

export const requireSinkRecord = (record: ConnectRecord, purpose: string): SinkRecord => {
  if (isSinkRecord(record)) return record
  const kind = 'sourcePartition' in record ? 'SourceRecord' : describeType(record)
  throw new DataError(`Only SinkRecord supported for [${purpose}], found: ${kind}`)
}
