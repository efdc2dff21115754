import { z } from 'zod'
import type { Schema, SchemaAndValue } from '../data/schema.ts'
import { formatNumber } from '../data/java-numbers.ts'
import { Schemas } from '../data/schemas.ts'
import { displayString } from '../data/values.ts'
import { documented } from '../plugin/config.ts'
import type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'
import { ConfigError } from '../plugin/errors.ts'
import { parseConverterOptions } from './converter-options.ts'
import { JAVA_CHARSET_NAMES, findJavaCharset } from './java-charsets.ts'
import type { JavaCharset } from './java-charsets.ts'

export const STRING_CONVERTER_CLASS = 'org.apache.kafka.connect.storage.StringConverter'

export const stringConverterConfig = z.object({
  'converter.encoding': documented(
    z
      .string()
      .trim()
      .transform((name, ctx) => {
        const charset = findJavaCharset(name)
        if (charset === undefined) {
          ctx.addIssue({ code: 'custom', message: `unsupported encoding; use one of ${JAVA_CHARSET_NAMES.join(', ')} (or a Java alias of one)` })
          return z.NEVER
        }
        return charset.name
      })
      .default('UTF-8'),
    { description: 'The name of the character set used to encode strings as bytes and decode bytes as strings. Defaults to UTF-8.', importance: 'high' },
  ),
})

/**
 * Kafka Connect's StringConverter: the value's text in the configured encoding (a Java charset: UTF-8, UTF-16,
 * UTF-16BE, UTF-16LE, ISO-8859-1 or US-ASCII, with Java's replacements for what the charset cannot hold), and bytes
 * back to an optional string.
 * Non-string values are turned into text first: a `Uint8Array` is decoded as text (Kafka would print the Java
 * array's identity, `[B@1b6d3586`, which is of no use to anyone), anything else goes through `String()`.
 */
export class StringConverter implements Converter, HeaderConverter {
  readonly #charset: JavaCharset

  /** `encoding` is a Java charset name or alias that {@link findJavaCharset} knows. */
  constructor(encoding = 'UTF-8') {
    const charset = findJavaCharset(encoding)
    if (charset === undefined) throw new ConfigError('converter.encoding', encoding, `unsupported encoding; use one of ${JAVA_CHARSET_NAMES.join(', ')}`)
    this.#charset = charset
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null
    if (typeof value === 'string') return this.#charset.encode(value)
    if (value instanceof Uint8Array) return this.#charset.encode(this.#charset.decode(value))
    return this.#charset.encode(textOf(schema, value))
  }

  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: null }
    return { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: this.#charset.decode(bytes) }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, bytes)
  }
}

// Kafka calls toString(): numbers print as Java prints them (1.0), structured values as Java collections do.
const textOf = (schema: Schema | null, value: unknown): string =>
  typeof value === 'number' ? formatNumber(schema?.type, value) : displayString(value)

export const createStringConverter = (options: Readonly<Record<string, string>> = {}): StringConverter =>
  new StringConverter(parseConverterOptions(stringConverterConfig, options)['converter.encoding'])

export const stringConverterPlugin: ConverterPlugin<typeof stringConverterConfig> = {
  className: STRING_CONVERTER_CLASS,
  aliases: ['StringConverter', 'string'],
  version: '0.1.0',
  config: stringConverterConfig,
  create: (config) => new StringConverter(config['converter.encoding']),
}

/** StringConverter also serves as a header converter in Kafka. */
export const stringHeaderConverterPlugin: HeaderConverterPlugin<typeof stringConverterConfig> = {
  className: STRING_CONVERTER_CLASS,
  aliases: ['StringConverter', 'string'],
  version: '0.1.0',
  config: stringConverterConfig,
  create: (config) => new StringConverter(config['converter.encoding']),
}
