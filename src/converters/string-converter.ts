import { z } from 'zod'
import type { Schema, SchemaAndValue } from '../data/schema.ts'
import { formatDouble, formatFloat } from '../data/java-numbers.ts'
import { Schemas } from '../data/schemas.ts'
import { displayString } from '../data/values.ts'
import { documented } from '../plugin/config.ts'
import type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'
import { parseConverterOptions } from './converter-options.ts'

export const STRING_CONVERTER_CLASS = 'org.apache.kafka.connect.storage.StringConverter'

/** The Java charset names people write in `converter.encoding`, mapped to Node's encodings. */
const ENCODINGS: ReadonlyMap<string, BufferEncoding> = new Map([
  ['utf8', 'utf8'],
  ['utf-8', 'utf8'],
  ['utf16le', 'utf16le'],
  ['utf-16le', 'utf16le'],
  ['ucs2', 'utf16le'],
  ['ucs-2', 'utf16le'],
  ['latin1', 'latin1'],
  ['iso-8859-1', 'latin1'],
  ['iso8859-1', 'latin1'],
  ['iso8859_1', 'latin1'],
  ['binary', 'latin1'],
  ['ascii', 'ascii'],
  ['us-ascii', 'ascii'],
])

export const stringConverterConfig = z.object({
  'converter.encoding': documented(
    z
      .string()
      .trim()
      .transform((name, ctx) => {
        const encoding = ENCODINGS.get(name.toLowerCase())
        if (encoding === undefined) {
          ctx.addIssue({ code: 'custom', message: `unsupported encoding; use one of ${[...ENCODINGS.keys()].join(', ')}` })
          return z.NEVER
        }
        return encoding
      })
      .default('utf8'),
    { description: 'The name of the character set used to encode strings as bytes and decode bytes as strings. Defaults to UTF-8.', importance: 'high' },
  ),
})

/**
 * Kafka Connect's StringConverter: the value's text in the configured encoding, and bytes back to an optional string.
 * Non-string values are turned into text first: a `Uint8Array` is decoded as text (Kafka would print the Java
 * array's identity, `[B@1b6d3586`, which is of no use to anyone), anything else goes through `String()`.
 */
export class StringConverter implements Converter, HeaderConverter {
  readonly #encoding: BufferEncoding

  constructor(encoding: BufferEncoding) {
    this.#encoding = encoding
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null
    if (typeof value === 'string') return Buffer.from(value, this.#encoding)
    if (value instanceof Uint8Array) return Buffer.from(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString(this.#encoding), this.#encoding)
    return Buffer.from(textOf(schema, value), this.#encoding)
  }

  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: null }
    return { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(this.#encoding) }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, bytes)
  }
}

// Kafka calls toString(): floats print as Java prints them (1.0), structured values as Java collections do.
const textOf = (schema: Schema | null, value: unknown): string => {
  if (typeof value === 'number' && schema?.type === 'float32') return formatFloat(value)
  if (typeof value === 'number' && schema?.type === 'float64') return formatDouble(value)
  return displayString(value)
}

export const createStringConverter = (options: Readonly<Record<string, string>> = {}): StringConverter =>
  new StringConverter(parseConverterOptions(stringConverterConfig, options)['converter.encoding'])

export const stringConverterPlugin: ConverterPlugin = {
  className: STRING_CONVERTER_CLASS,
  aliases: ['StringConverter', 'string'],
  version: '0.1.0',
  create: (options) => createStringConverter(options),
}

/** StringConverter also serves as a header converter in Kafka. */
export const stringHeaderConverterPlugin: HeaderConverterPlugin = {
  className: STRING_CONVERTER_CLASS,
  aliases: ['StringConverter', 'string'],
  version: '0.1.0',
  create: (options) => createStringConverter(options),
}
