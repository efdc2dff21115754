import { formatJsonNumber } from '../data/java-numbers.ts'
import {
  Date as ConnectDate,
  Decimal,
  Time,
  Timestamp,
  decimalFromString,
  decimalToString,
  isDecimalValue,
} from '../data/logical-types.ts'
import type { Schema, SchemaType } from '../data/schema.ts'
import { Struct } from '../data/struct.ts'
import { INT64_MAX, INT64_MIN, describeType, isMapValue, mapEntries, schemasEqual } from '../data/values.ts'
import { DataError } from '../plugin/errors.ts'
import { JsonNumber, decodeBase64, encodeBase64, isJsonObject, nodeType, quoteJsonString } from './json-text.ts'
import type { JsonNode } from './json-text.ts'

const INT_RANGES = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] } as const

/** How decimals are written: base64 of the unscaled bytes (Kafka's default) or a JSON number. */
export type DecimalFormat = 'BASE64' | 'NUMERIC'

export interface JsonDataOptions {
  readonly decimalFormat: DecimalFormat
  /** Write (and read) a null that has a schema default as that default, as Kafka does unless told otherwise. */
  readonly replaceNullWithDefault: boolean
}

/**
 * Connect data → JSON text, following Kafka's `JsonConverter.convertToJson`: with a schema the schema decides the
 * JSON shape; without one the JS type does (integers and bigints as integers, other numbers as doubles, `Map`s and
 * plain objects as maps). Numbers are printed as Java prints them so the bytes match Kafka's.
 */
export const writeJsonValue = (schema: Schema | null, value: unknown, options: JsonDataOptions): string => {
  if (value === null || value === undefined) {
    if (schema === null) return 'null'
    if (schema.defaultValue !== undefined && options.replaceNullWithDefault) return writeJsonValue(schema, schema.defaultValue, options)
    if (schema.optional) return 'null'
    throw new DataError('Conversion error: null value for field that is required and has no default value')
  }
  if (schema?.name !== undefined) {
    const logical = writeLogical(schema, value, options)
    if (logical !== undefined) return logical
  }
  const type = schema?.type ?? inferType(value)
  switch (type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[type]
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalidType(schema, value)
      return String(value)
    }
    case 'int64':
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString()
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
      throw invalidType(schema, value)
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') throw invalidType(schema, value)
      return formatJsonNumber(type, value)
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidType(schema, value)
      return value ? 'true' : 'false'
    case 'string':
      if (typeof value !== 'string') throw invalidType(schema, value)
      return quoteJsonString(value)
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw new DataError(`Invalid type for bytes type: ${describeType(value)}`)
      return `"${encodeBase64(value)}"`
    case 'array': {
      if (!Array.isArray(value)) throw invalidType(schema, value)
      const elementSchema = schema?.valueSchema ?? null
      return `[${(value as readonly unknown[]).map((element) => writeJsonValue(elementSchema, element, options)).join(',')}]`
    }
    case 'map':
      return writeMap(schema, value, options)
    case 'struct': {
      if (!(value instanceof Struct) || schema === null || !schemasEqual(value.schema, schema)) throw new DataError('Mismatching schema.')
      const members: string[] = []
      for (const field of schema.fields ?? []) {
        const fieldValue = options.replaceNullWithDefault ? value.get(field.name) : value.getWithoutDefault(field.name)
        members.push(`${quoteJsonString(field.name)}:${writeJsonValue(field.schema, fieldValue, options)}`)
      }
      return `{${members.join(',')}}`
    }
  }
}

const writeMap = (schema: Schema | null, value: unknown, options: JsonDataOptions): string => {
  if (!isMapValue(value) || isDecimalValue(value)) throw invalidType(schema, value)
  const entries = [...mapEntries(value)]
  const keySchema = schema?.keySchema ?? null
  const valueSchema = schema?.valueSchema ?? null
  // String keys make a JSON object; any other key type makes an array of [key, value] pairs.
  const objectMode = schema !== null ? keySchema?.type === 'string' : entries.every(([key]) => typeof key === 'string')
  if (objectMode) {
    const members = entries.map(([key, entryValue]) => {
      const keyText = writeJsonValue(keySchema, key, options)
      const name = keyText.startsWith('"') ? key : keyText
      return `${quoteJsonString(String(name))}:${writeJsonValue(valueSchema, entryValue, options)}`
    })
    return `{${members.join(',')}}`
  }
  const pairs = entries.map(([key, entryValue]) => `[${writeJsonValue(keySchema, key, options)},${writeJsonValue(valueSchema, entryValue, options)}]`)
  return `[${pairs.join(',')}]`
}

const writeLogical = (schema: Schema, value: unknown, options: JsonDataOptions): string | undefined => {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!isDecimalValue(value)) throw new DataError(`Invalid type for Decimal, expected DecimalValue but was ${describeType(value)}`)
      return options.decimalFormat === 'NUMERIC' ? decimalToString(value) : `"${encodeBase64(Decimal.fromLogical(schema, value))}"`
    case ConnectDate.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Date, expected Date but was ${describeType(value)}`)
      return String(ConnectDate.fromLogical(schema, value))
    case Time.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Time, expected Date but was ${describeType(value)}`)
      return String(Time.fromLogical(schema, value))
    case Timestamp.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Timestamp, expected Date but was ${describeType(value)}`)
      return Timestamp.fromLogical(schema, value).toString()
    default:
      return undefined
  }
}

/** The schema type Kafka's `ConnectSchema.schemaType(Class)` would pick for a schemaless value. */
const inferType = (value: unknown): SchemaType => {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'int64' : 'float64'
  if (typeof value === 'bigint') return 'int64'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'string') return 'string'
  if (value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'array'
  if (value instanceof Struct) return 'struct'
  if (isMapValue(value) && !isDecimalValue(value)) return 'map'
  throw new DataError(`${describeType(value)} does not have a corresponding schema type.`)
}

const invalidType = (schema: Schema | null, value: unknown): DataError =>
  new DataError(`Invalid type for ${schema === null ? 'unknown schema' : schema.type.toUpperCase()}: ${describeType(value)}`)

/**
 * JSON → Connect data, following Kafka's `JsonConverter.convertToConnect`. Without a schema, the JSON decides:
 * objects become `Map`s, integers int64 `bigint`s, other numbers float64 `number`s.
 * Unlike Kafka (whose Jackson accessors quietly turn `"abc"` into 0 or false), a JSON value of the wrong kind for its
 * schema, or an integer out of range, is a `DataError`.
 */
export const readJsonValue = (schema: Schema | null, node: JsonNode | undefined, options: JsonDataOptions): unknown => {
  if (schema === null) return readSchemaless(node)
  if (node === null || node === undefined) {
    if (schema.defaultValue !== undefined && options.replaceNullWithDefault) return schema.defaultValue
    if (schema.optional) return null
    throw new DataError(`Invalid null value for required ${schema.type.toUpperCase()} field`)
  }
  if (schema.name !== undefined) {
    const logical = readLogical(schema, node)
    if (logical !== undefined) return logical
  }
  switch (schema.type) {
    case 'boolean':
      if (typeof node !== 'boolean') throw wrongNode(schema, node)
      return node
    case 'int8':
    case 'int16':
    case 'int32':
      return readInteger(schema, node)
    case 'int64':
      return readInt64(schema, node)
    case 'float32':
      return readFloating(schema, node)
    case 'float64':
      return readFloating(schema, node)
    case 'string':
      if (typeof node !== 'string') throw wrongNode(schema, node)
      return node
    case 'bytes':
      return readBytes(node, 'Invalid bytes field')
    case 'array': {
      if (!Array.isArray(node)) throw wrongNode(schema, node)
      const elementSchema = schema.valueSchema ?? null
      return (node as readonly JsonNode[]).map((element) => readJsonValue(elementSchema, element, options))
    }
    case 'map':
      return readMap(schema, node, options)
    case 'struct': {
      if (!isJsonObject(node)) throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`)
      const struct = new Struct(schema)
      for (const field of schema.fields ?? []) struct.put(field.name, readJsonValue(field.schema, node.get(field.name), options))
      return struct
    }
  }
}

const readSchemaless = (node: JsonNode | undefined): unknown => {
  if (node === null || node === undefined) return null
  if (typeof node === 'boolean' || typeof node === 'string') return node
  if (node instanceof JsonNumber) {
    if (!node.isIntegral) return Number(node.text)
    const value = BigInt(node.text)
    // Kafka would silently keep the low 64 bits; a double is the closer reading of such a number.
    return value >= INT64_MIN && value <= INT64_MAX ? value : Number(node.text)
  }
  if (Array.isArray(node)) return (node as readonly JsonNode[]).map(readSchemaless)
  const result = new Map<unknown, unknown>()
  for (const [key, value] of node as ReadonlyMap<string, JsonNode>) result.set(key, readSchemaless(value))
  return result
}

const readMap = (schema: Schema, node: JsonNode, options: JsonDataOptions): Map<unknown, unknown> => {
  const keySchema = schema.keySchema ?? null
  const valueSchema = schema.valueSchema ?? null
  const result = new Map<unknown, unknown>()
  if (keySchema === null || keySchema.type === 'string') {
    if (!isJsonObject(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`)
    for (const [key, value] of node) result.set(key, readJsonValue(valueSchema, value, options))
    return result
  }
  if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`)
  for (const entry of node as readonly JsonNode[]) {
    if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`)
    const pair = entry as readonly JsonNode[]
    if (pair.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${pair.length}`)
    result.set(readJsonValue(keySchema, pair[0], options), readJsonValue(valueSchema, pair[1], options))
  }
  return result
}

const readLogical = (schema: Schema, node: JsonNode): unknown => {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (node instanceof JsonNumber) return decimalFromString(node.text)
      if (typeof node === 'string') {
        try {
          return Decimal.toLogical(schema, decodeBase64(node))
        } catch (error) {
          throw new DataError('Invalid bytes for Decimal field', { cause: error })
        }
      }
      throw new DataError(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`)
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.toLogical(schema, readInt32Node(node, 'Date'))
    case Time.LOGICAL_NAME:
      return Time.toLogical(schema, readInt32Node(node, 'Time'))
    case Timestamp.LOGICAL_NAME:
      if (!(node instanceof JsonNumber) || !node.isIntegral) {
        throw new DataError(`Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`)
      }
      return Timestamp.toLogical(schema, BigInt.asIntN(64, BigInt(node.text)))
    default:
      return undefined
  }
}

// Jackson's isInt(): an integer token that fits in 32 bits.
const readInt32Node = (node: JsonNode, what: string): number => {
  const value = node instanceof JsonNumber && node.isIntegral ? Number(node.text) : NaN
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new DataError(`Invalid type for ${what}, underlying representation should be integer but was ${nodeType(node)}`)
  }
  return value
}

const readInteger = (schema: Schema, node: JsonNode): number => {
  if (!(node instanceof JsonNumber)) throw wrongNode(schema, node)
  const value = Number(node.text)
  const [min, max] = INT_RANGES[schema.type as keyof typeof INT_RANGES]
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DataError(`Invalid value for ${schema.type.toUpperCase()}: ${node.text} is not an integer in [${min}, ${max}]`)
  }
  return value
}

const readInt64 = (schema: Schema, node: JsonNode): bigint => {
  if (!(node instanceof JsonNumber)) throw wrongNode(schema, node)
  let value: bigint
  if (node.isIntegral) {
    value = BigInt(node.text)
  } else {
    const decimal = decimalFromString(node.text)
    const divisor = decimal.scale > 0 ? 10n ** BigInt(decimal.scale) : 1n
    if (decimal.scale > 0 && decimal.unscaled % divisor !== 0n) {
      throw new DataError(`Invalid value for INT64: ${node.text} is not an integer`)
    }
    value = decimal.scale > 0 ? decimal.unscaled / divisor : decimal.unscaled * 10n ** BigInt(-decimal.scale)
  }
  if (value < INT64_MIN || value > INT64_MAX) throw new DataError(`Invalid value for INT64: ${node.text} is out of range`)
  return value
}

const readFloating = (schema: Schema, node: JsonNode): number => {
  if (node instanceof JsonNumber) return Number(node.text)
  // What Jackson writes for non-finite doubles; reading them back keeps a round trip lossless.
  if (node === 'NaN') return NaN
  if (node === 'Infinity') return Infinity
  if (node === '-Infinity') return -Infinity
  throw wrongNode(schema, node)
}

const readBytes = (node: JsonNode, message: string): Uint8Array => {
  if (typeof node !== 'string') throw new DataError(`${message}: expected base64 text but found ${nodeType(node)}`)
  try {
    return decodeBase64(node)
  } catch (error) {
    throw new DataError(message, { cause: error })
  }
}

const wrongNode = (schema: Schema, node: JsonNode): DataError =>
  new DataError(`Invalid JSON for schema type ${schema.type.toUpperCase()}: found ${nodeType(node)}`)
