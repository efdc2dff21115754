/**
 * Kafka's primitive converters: BooleanConverter and the NumberConverter family, each one Kafka serializer's byte
 * layout for one Connect type. Each serves as a header converter too, as in Kafka.
 */
import type { Schema, SchemaAndValue, SchemaType } from '../data/schema.ts'
import { Schemas } from '../data/schemas.ts'
import { INT64_MAX, INT64_MIN, describeType } from '../data/values.ts'
import type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'
import { DataError } from '../plugin/errors.ts'
import { NO_OPTIONS } from './converter-options.ts'

const PACKAGE = 'org.apache.kafka.connect.converters'

/** How one of Kafka's number serializers lays a value out: big-endian, in a fixed number of bytes. */
interface NumberLayout {
  /** Kafka's class name without the package: `IntegerConverter`. */
  readonly simpleName: string
  /** The type's name in Kafka's messages: `integer`, `long`, ... */
  readonly typeName: string
  /** Kafka's deserializer, named in its size message. */
  readonly deserializerName: string
  /** The optional schema every value read back has; its type is the only schema type written. */
  readonly schema: Schema
  readonly size: number
  /** The value as the serializer takes it, or a reason why it cannot be one. */
  check(value: unknown): string | undefined
  write(bytes: Buffer, value: number | bigint): void
  read(bytes: Buffer): number | bigint
}

const integerIn = (min: number, max: number) => (value: unknown): string | undefined => {
  if (typeof value !== 'number') return `was ${describeType(value)}`
  if (!Number.isInteger(value) || value < min || value > max) return `${value} is not an integer in [${min}, ${max}]`
  return undefined
}

const anyNumber = (value: unknown): string | undefined => (typeof value === 'number' ? undefined : `was ${describeType(value)}`)

const int64 = (value: unknown): string | undefined => {
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? undefined : `${value} is out of the 64-bit range`
  if (typeof value === 'number') return Number.isSafeInteger(value) ? undefined : `${value} is not a 64-bit integer (bigint, or a safe integer number)`
  return `was ${describeType(value)}`
}

const SHORT: NumberLayout = {
  simpleName: 'ShortConverter',
  typeName: 'short',
  deserializerName: 'ShortDeserializer',
  schema: Schemas.OPTIONAL_INT16_SCHEMA,
  size: 2,
  check: integerIn(-32768, 32767),
  write: (bytes, value) => bytes.writeInt16BE(value as number),
  read: (bytes) => bytes.readInt16BE(),
}

const INTEGER: NumberLayout = {
  simpleName: 'IntegerConverter',
  typeName: 'integer',
  deserializerName: 'IntegerDeserializer',
  schema: Schemas.OPTIONAL_INT32_SCHEMA,
  size: 4,
  check: integerIn(-2147483648, 2147483647),
  write: (bytes, value) => bytes.writeInt32BE(value as number),
  read: (bytes) => bytes.readInt32BE(),
}

const LONG: NumberLayout = {
  simpleName: 'LongConverter',
  typeName: 'long',
  deserializerName: 'LongDeserializer',
  schema: Schemas.OPTIONAL_INT64_SCHEMA,
  size: 8,
  check: int64,
  write: (bytes, value) => bytes.writeBigInt64BE(BigInt(value)),
  read: (bytes) => bytes.readBigInt64BE(),
}

// Kafka's FloatDeserializer and DoubleDeserializer call themselves "Deserializer" in their size messages.
const FLOAT: NumberLayout = {
  simpleName: 'FloatConverter',
  typeName: 'float',
  deserializerName: 'Deserializer',
  schema: Schemas.OPTIONAL_FLOAT32_SCHEMA,
  size: 4,
  check: anyNumber,
  write: (bytes, value) => bytes.writeFloatBE(value as number),
  read: (bytes) => bytes.readFloatBE(),
}

const DOUBLE: NumberLayout = {
  simpleName: 'DoubleConverter',
  typeName: 'double',
  deserializerName: 'Deserializer',
  schema: Schemas.OPTIONAL_FLOAT64_SCHEMA,
  size: 8,
  check: anyNumber,
  write: (bytes, value) => bytes.writeDoubleBE(value as number),
  read: (bytes) => bytes.readDoubleBE(),
}

const bufferOf = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))

const refuseOtherSchema = (simpleName: string, expected: SchemaType, schema: Schema | null): void => {
  // A Connect value of another type is another Java class in Kafka, which its cast would refuse.
  if (schema !== null && schema.type !== expected) throw new DataError(`Invalid schema type for ${simpleName}: ${schema.type.toUpperCase()}`)
}

/**
 * Kafka's NumberConverter family (ShortConverter, IntegerConverter, LongConverter, FloatConverter, DoubleConverter):
 * a number in Kafka's serializer layout (big-endian two's complement or IEEE 754, 2, 4 or 8 bytes), read back with the
 * converter's optional schema. A JS number carries no width, so the value must fit the converter's type, and a schema
 * of another type is refused. LongConverter takes a bigint or a safe integer and reads back a bigint.
 */
export class NumberConverter implements Converter, HeaderConverter {
  readonly #layout: NumberLayout

  constructor(layout: NumberLayout) {
    this.#layout = layout
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    const layout = this.#layout
    refuseOtherSchema(layout.simpleName, layout.schema.type, schema)
    if (value === null || value === undefined) return null
    const problem = layout.check(value)
    if (problem !== undefined) throw new DataError(`Failed to serialize to ${layout.typeName} (${problem})`)
    const bytes = Buffer.allocUnsafe(layout.size)
    layout.write(bytes, value as number | bigint)
    return bytes
  }

  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    const layout = this.#layout
    if (bytes === null) return { schema: layout.schema, value: null }
    if (bytes.length !== layout.size) {
      throw new DataError(`Failed to deserialize ${layout.typeName}: Size of data received by ${layout.deserializerName} is not ${layout.size}`)
    }
    return { schema: layout.schema, value: layout.read(bufferOf(bytes)) }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, bytes)
  }
}

const TRUE = Buffer.from([1])
const FALSE = Buffer.from([0])

/** Kafka's BooleanConverter: one byte, 1 for true and 0 for false; any other byte, or another length, is refused. */
export class BooleanConverter implements Converter, HeaderConverter {
  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    refuseOtherSchema('BooleanConverter', 'boolean', schema)
    if (value === null || value === undefined) return null
    if (typeof value !== 'boolean') throw new DataError(`BooleanConverter is not compatible with objects of type ${describeType(value)}`)
    // Copies, so that a caller that writes into the bytes cannot change what later records get.
    return Buffer.from(value ? TRUE : FALSE)
  }

  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: Schemas.OPTIONAL_BOOLEAN_SCHEMA, value: null }
    if (bytes.length !== 1) throw new DataError('Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1')
    const [byte] = bytes
    if (byte !== 0 && byte !== 1) {
      // Java prints the byte signed.
      throw new DataError(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${((byte ?? 0) << 24) >> 24}`)
    }
    return { schema: Schemas.OPTIONAL_BOOLEAN_SCHEMA, value: byte === 1 }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, bytes)
  }
}

/** A converter's plugins: Kafka's classes serve as both converters and header converters. */
const pluginsOf = (
  simpleName: string,
  alias: string,
  create: () => Converter & HeaderConverter,
): readonly [converter: ConverterPlugin<typeof NO_OPTIONS>, headerConverter: HeaderConverterPlugin<typeof NO_OPTIONS>] => {
  const plugin = { className: `${PACKAGE}.${simpleName}`, aliases: [simpleName, alias], version: '0.1.0', config: NO_OPTIONS, create }
  return [plugin, plugin]
}

export const [booleanConverterPlugin, booleanHeaderConverterPlugin] = pluginsOf('BooleanConverter', 'boolean', () => new BooleanConverter())
export const [shortConverterPlugin, shortHeaderConverterPlugin] = pluginsOf(SHORT.simpleName, 'short', () => new NumberConverter(SHORT))
export const [integerConverterPlugin, integerHeaderConverterPlugin] = pluginsOf(INTEGER.simpleName, 'integer', () => new NumberConverter(INTEGER))
export const [longConverterPlugin, longHeaderConverterPlugin] = pluginsOf(LONG.simpleName, 'long', () => new NumberConverter(LONG))
export const [floatConverterPlugin, floatHeaderConverterPlugin] = pluginsOf(FLOAT.simpleName, 'float', () => new NumberConverter(FLOAT))
export const [doubleConverterPlugin, doubleHeaderConverterPlugin] = pluginsOf(DOUBLE.simpleName, 'double', () => new NumberConverter(DOUBLE))

/** Kafka's primitive converters (package `org.apache.kafka.connect.converters`), alphabetically. */
export const primitiveConverterPlugins: readonly ConverterPlugin[] = [
  booleanConverterPlugin,
  doubleConverterPlugin,
  floatConverterPlugin,
  integerConverterPlugin,
  longConverterPlugin,
  shortConverterPlugin,
]

export const primitiveHeaderConverterPlugins: readonly HeaderConverterPlugin[] = [
  booleanHeaderConverterPlugin,
  doubleHeaderConverterPlugin,
  floatHeaderConverterPlugin,
  integerHeaderConverterPlugin,
  longHeaderConverterPlugin,
  shortHeaderConverterPlugin,
]
