import { z } from 'zod'
import type { Schema, SchemaAndValue } from '../data/schema.ts'
import { booleanString, documented, intString } from '../plugin/config.ts'
import type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'
import { DataError } from '../plugin/errors.ts'
import { parseConverterOptions } from './converter-options.ts'
import { readJsonValue, writeJsonValue } from './json-data.ts'
import type { JsonDataOptions } from './json-data.ts'
import { readJsonSchema, writeJsonSchema } from './json-schema.ts'
import { JsonSyntaxError, fromPlainJson, isJsonObject, parseJson, toPlainJson } from './json-text.ts'
import { LruCache } from './lru-cache.ts'

export const JSON_CONVERTER_CLASS = 'org.apache.kafka.connect.json.JsonConverter'

/** JsonConverter's options, as Kafka's JsonConverterConfig declares them. */
export const jsonConverterConfig = z.object({
  'schemas.enable': documented(booleanString().default(true), {
    description: 'Include schemas within each of the serialized values and keys: a {"schema": ..., "payload": ...} envelope.',
    importance: 'high',
    group: 'Schemas',
  }),
  'schemas.cache.size': documented(intString().pipe(z.number().min(0, 'must be at least 0')).default(1000), {
    description: 'The maximum number of schemas that can be cached in this converter instance.',
    importance: 'high',
    group: 'Schemas',
  }),
  'decimal.format': documented(
    z
      .string()
      .trim()
      .toUpperCase()
      .pipe(z.enum(['BASE64', 'NUMERIC'], { message: 'must be BASE64 or NUMERIC' }))
      .default('BASE64'),
    {
      description: "Controls which format this converter will serialize decimals in: 'BASE64' (default) or 'NUMERIC' (case insensitive).",
      importance: 'low',
      group: 'Serialization',
    },
  ),
  'replace.null.with.default': documented(booleanString().default(true), {
    description: 'Whether to replace fields that have a default value and that are null to the default value. When true the default value is used, otherwise null.',
    importance: 'low',
    group: 'Serialization',
  }),
})

export type JsonConverterConfig = z.output<typeof jsonConverterConfig>

const ENVELOPE_REQUIRED =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.' +
  ' If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.'

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null })

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Kafka Connect's JsonConverter: JSON text, by default wrapped in a `{"schema":...,"payload":...}` envelope.
 * Both directions cache schemas (by schema object, and by the schema's JSON text), bounded by `schemas.cache.size`.
 */
export class JsonConverter implements Converter, HeaderConverter {
  readonly #schemasEnabled: boolean
  readonly #options: JsonDataOptions
  readonly #schemaTexts: LruCache<Schema, string>
  readonly #schemas: LruCache<string, Schema>

  constructor(config: JsonConverterConfig) {
    this.#schemasEnabled = config['schemas.enable']
    this.#options = { decimalFormat: config['decimal.format'], replaceNullWithDefault: config['replace.null.with.default'] }
    this.#schemaTexts = new LruCache(config['schemas.cache.size'])
    this.#schemas = new LruCache(config['schemas.cache.size'])
  }

  /**
   * Only a null value without a schema is a tombstone (null bytes), as in Kafka. A null value with a schema is
   * written like any other: its default (unless `replace.null.with.default=false`), else `null` for an optional
   * schema (`{"schema":...,"payload":null}` in the envelope, the text `null` without it); a required schema with no
   * default is a DataError.
   */
  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null
    const payload = writeJsonValue(schema, value, this.#options)
    const text = this.#schemasEnabled ? `{"schema":${schema === null ? 'null' : this.#schemaText(schema)},"payload":${payload}}` : payload
    return Buffer.from(text, 'utf8')
  }

  toConnectData(_topic: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE
    let text: string
    let parsed: ReturnType<typeof parseJson>
    try {
      text = utf8.decode(bytes)
      parsed = parseJson(text)
    } catch (error) {
      const reason = error instanceof JsonSyntaxError || error instanceof TypeError ? error.message : String(error)
      throw new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${reason}`, { cause: error })
    }
    const { node, memberSpans } = parsed
    if (!this.#schemasEnabled) {
      return node === undefined ? NULL_SCHEMA_AND_VALUE : { schema: null, value: readJsonValue(null, node, this.#options) }
    }
    if (!isJsonObject(node) || node.size !== 2 || !node.has('schema') || !node.has('payload')) throw new DataError(ENVELOPE_REQUIRED)
    const span = memberSpans.get('schema')
    const schemaKey = span === undefined ? undefined : text.slice(span[0], span[1])
    let schema = schemaKey === undefined ? undefined : this.#schemas.get(schemaKey)
    if (schema === undefined) {
      schema = readJsonSchema(node.get('schema'), this.#options) ?? undefined
      if (schema !== undefined && schemaKey !== undefined) this.#schemas.set(schemaKey, schema)
    }
    return { schema: schema ?? null, value: readJsonValue(schema ?? null, node.get('payload'), this.#options) }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, schema, value)
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, bytes)
  }

  /** The schema as envelope JSON text (cached). */
  schemaText(schema: Schema): string {
    return this.#schemaText(schema)
  }

  #schemaText(schema: Schema): string {
    let text = this.#schemaTexts.get(schema)
    if (text === undefined) {
      text = writeJsonSchema(schema, this.#options)
      this.#schemaTexts.set(schema, text)
    }
    return text
  }
}

/** Builds a JsonConverter from raw string options, throwing a `ConfigError` for a bad one. */
export const createJsonConverter = (options: Readonly<Record<string, string>> = {}): JsonConverter =>
  new JsonConverter(parseConverterOptions(jsonConverterConfig, options))

const DEFAULT_DATA_OPTIONS: JsonDataOptions = { decimalFormat: 'BASE64', replaceNullWithDefault: true }

/**
 * The envelope's schema JSON for a Connect schema, as plain JS data (`null` for no schema). Integers a JS number
 * cannot hold exactly (int64 defaults) come back as bigint.
 */
export const asJsonSchema = (schema: Schema | null, options: Partial<JsonDataOptions> = {}): unknown => {
  if (schema === null) return null
  const text = writeJsonSchema(schema, { ...DEFAULT_DATA_OPTIONS, ...options })
  return toPlainJson(parseJson(text).node ?? null)
}

/**
 * A Connect schema from the envelope's schema JSON: JSON text, or plain JS data such as `JSON.parse` or
 * {@link asJsonSchema} return. `null` gives `null`.
 */
export const asConnectSchema = (json: unknown, options: Partial<JsonDataOptions> = {}): Schema | null => {
  let node
  try {
    node = typeof json === 'string' ? parseJson(json).node : fromPlainJson(json)
  } catch (error) {
    throw new DataError(`Invalid schema JSON: ${(error as Error).message}`, { cause: error })
  }
  return readJsonSchema(node, { ...DEFAULT_DATA_OPTIONS, ...options })
}

export const jsonConverterPlugin: ConverterPlugin<typeof jsonConverterConfig> = {
  className: JSON_CONVERTER_CLASS,
  aliases: ['JsonConverter', 'json'],
  version: '0.1.0',
  config: jsonConverterConfig,
  create: (config) => new JsonConverter(config),
}

/** JsonConverter also serves as a header converter in Kafka: each header value is one JSON document. */
export const jsonHeaderConverterPlugin: HeaderConverterPlugin<typeof jsonConverterConfig> = {
  className: JSON_CONVERTER_CLASS,
  aliases: ['JsonConverter', 'json'],
  version: '0.1.0',
  config: jsonConverterConfig,
  create: (config) => new JsonConverter(config),
}
