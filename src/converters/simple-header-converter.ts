import type { Schema, SchemaAndValue } from '../data/schema.ts'
import { Schemas } from '../data/schemas.ts'
import { convertToString, parseString } from '../data/value-strings.ts'
import type { HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'
import { NO_OPTIONS } from './converter-options.ts'

export const SIMPLE_HEADER_CONVERTER_CLASS = 'org.apache.kafka.connect.storage.SimpleHeaderConverter'

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null })
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Kafka Connect's default header converter: a header value is stored as its text (UTF-8), as Kafka's
 * `Values.convertToString` writes it, and read back with `Values.parseString`, which infers a schema: `42` comes back
 * as an int8, `true` as a boolean, `[1,2]` as an array, anything unparseable as the string itself.
 */
export class SimpleHeaderConverter implements HeaderConverter {
  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    const text = convertToString(schema, value)
    return text === null ? null : Buffer.from(text, 'utf8')
  }

  /** Bytes that are not UTF-8 text come back as bytes, as in Kafka. */
  toConnectHeader(_topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE
    let text: string
    try {
      text = utf8.decode(bytes)
    } catch {
      return { schema: Schemas.BYTES_SCHEMA, value: bytes }
    }
    if (text === '') return { schema: Schemas.STRING_SCHEMA, value: text }
    return parseString(text)
  }
}

export const simpleHeaderConverterPlugin: HeaderConverterPlugin<typeof NO_OPTIONS> = {
  className: SIMPLE_HEADER_CONVERTER_CLASS,
  aliases: ['SimpleHeaderConverter', 'simple'],
  version: '0.1.0',
  config: NO_OPTIONS,
  create: () => new SimpleHeaderConverter(),
}
