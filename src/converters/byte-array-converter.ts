import type { Schema, SchemaAndValue } from '../data/schema.ts'
import { Schemas } from '../data/schemas.ts'
import { describeType } from '../data/values.ts'
import type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'
import { DataError } from '../plugin/errors.ts'
import { NO_OPTIONS } from './converter-options.ts'

export const BYTE_ARRAY_CONVERTER_CLASS = 'org.apache.kafka.connect.converters.ByteArrayConverter'

/** Kafka Connect's ByteArrayConverter: bytes pass through untouched, both ways. */
export class ByteArrayConverter implements Converter, HeaderConverter {
  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema !== null && schema.type !== 'bytes') throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type.toUpperCase()}`)
    if (value === null || value === undefined) return null
    if (!(value instanceof Uint8Array)) throw new DataError(`ByteArrayConverter is not compatible with objects of type ${describeType(value)}`)
    return value
  }

  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES_SCHEMA, value: bytes }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, bytes)
  }
}

export const byteArrayConverterPlugin: ConverterPlugin<typeof NO_OPTIONS> = {
  className: BYTE_ARRAY_CONVERTER_CLASS,
  aliases: ['ByteArrayConverter', 'bytearray', 'byte-array', 'bytes'],
  version: '0.1.0',
  config: NO_OPTIONS,
  create: () => new ByteArrayConverter(),
}

/** ByteArrayConverter also serves as a header converter in Kafka. */
export const byteArrayHeaderConverterPlugin: HeaderConverterPlugin<typeof NO_OPTIONS> = {
  className: BYTE_ARRAY_CONVERTER_CLASS,
  aliases: ['ByteArrayConverter', 'bytearray', 'byte-array', 'bytes'],
  version: '0.1.0',
  config: NO_OPTIONS,
  create: () => new ByteArrayConverter(),
}
