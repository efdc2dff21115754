import { formatJsonNumber, formatNumber } from '../../src/data/java-numbers.ts'
import { Date as ConnectDate, Time, Timestamp, decimalToString, isDecimalValue } from '../../src/data/logical-types.ts'
import type { Schema } from '../../src/data/schema.ts'
import { Struct } from '../../src/data/struct.ts'
import { isPlainObject } from '../../src/data/values.ts'
import { DataError } from '../../src/plugin/errors.ts'

const EMPTY = Buffer.alloc(0)

/**
 * The MQTT payload for a record value: bytes and strings as they are; a null value (a tombstone) as an empty
 * payload; numbers and booleans as their text (numbers as Java prints them for their schema type, so a float32 4.85
 * is `4.85`); structs, maps and arrays as JSON without a schema envelope.
 */
export const mqttPayload = (schema: Schema | null, value: unknown): Buffer => {
  if (value === null || value === undefined) return EMPTY
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (typeof value === 'number') return Buffer.from(formatNumber(schema?.type, value), 'utf8')
  if (typeof value === 'bigint' || typeof value === 'boolean') return Buffer.from(String(value), 'utf8')
  return Buffer.from(jsonText(schema, value), 'utf8')
}

/**
 * Connect data as schemaless JSON, shaped as Kafka's JsonConverter shapes it with `schemas.enable=false`: struct
 * fields in schema order, int64 as exact integers, float32 and float64 with Java's digits (the number formatter
 * JsonConverter uses), bytes as base64, Date/Time/Timestamp as numbers (days, or milliseconds), maps with non-string
 * keys as `[key, value]` pairs. Decimals are written as JSON numbers.
 */
export const jsonText = (schema: Schema | null | undefined, value: unknown): string => {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return formatJsonNumber(schema?.type, value)
  if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`
  if (value instanceof Date) return logicalDateText(schema, value)
  if (isDecimalValue(value)) return decimalToString(value)
  if (value instanceof Struct) {
    const members: string[] = []
    for (const field of value.schema.fields ?? []) members.push(`${JSON.stringify(field.name)}:${jsonText(field.schema, value.get(field.name))}`)
    return `{${members.join(',')}}`
  }
  if (Array.isArray(value)) return `[${value.map((element) => jsonText(schema?.valueSchema, element)).join(',')}]`
  if (value instanceof Map) return mapText(schema, [...(value as Map<unknown, unknown>).entries()])
  if (isPlainObject(value)) return mapText(schema, Object.entries(value))
  throw new DataError(`Cannot write a ${typeof value} value as JSON for an MQTT payload`)
}

const mapText = (schema: Schema | null | undefined, entries: readonly (readonly [unknown, unknown])[]): string => {
  const valueSchema = schema?.valueSchema
  if (entries.every(([key]) => typeof key === 'string')) {
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${jsonText(valueSchema, entry)}`).join(',')}}`
  }
  return `[${entries.map(([key, entry]) => `[${jsonText(schema?.keySchema, key)},${jsonText(valueSchema, entry)}]`).join(',')}]`
}

const logicalDateText = (schema: Schema | null | undefined, value: Date): string => {
  if (schema?.name === ConnectDate.LOGICAL_NAME) return String(ConnectDate.fromLogical(schema, value))
  if (schema?.name === Time.LOGICAL_NAME) return String(Time.fromLogical(schema, value))
  if (schema?.name === Timestamp.LOGICAL_NAME) return Timestamp.fromLogical(schema, value).toString()
  return String(value.getTime())
}
