import { z } from 'zod'
import type { Schema, SchemaAndValue } from '../data/schema.ts'
import { booleanString, documented, intString } from '../plugin/config.ts'
import type { Converter, ConverterPlugin } from '../plugin/converter.ts'
import { DataError, RetriableError } from '../plugin/errors.ts'
import { AvroEncoder, avroBinaryType, decodeAvro } from './avro-binary.ts'
import type { AvroBinaryType } from './avro-binary.ts'
import { fromConnectData, fromConnectSchema, isAnythingSchema, toConnectData, toConnectSchema } from './avro-data.ts'
import { parseAvroSchema, writeAvroSchema } from './avro-schema.ts'
import type { AvroSchema } from './avro-schema.ts'
import { parseConverterOptions } from './converter-options.ts'
import { LruCache } from './lru-cache.ts'
import { SchemaRegistryClient, SchemaRegistryError } from './schema-registry-client.ts'
import type { BasicCredentials } from './schema-registry-client.ts'

export const AVRO_CONVERTER_CLASS = 'io.confluent.connect.avro.AvroConverter'
const TOPIC_NAME_STRATEGY = 'io.confluent.kafka.serializers.subject.TopicNameStrategy'

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

const subjectNameStrategy = (which: 'key' | 'value') =>
  documented(
    z
      .string()
      .trim()
      .refine((name) => name === TOPIC_NAME_STRATEGY || name === 'TopicNameStrategy', `only ${TOPIC_NAME_STRATEGY} is supported`)
      .default(TOPIC_NAME_STRATEGY),
    {
      description: `Determines how to construct the subject name under which the ${which} schema is registered. Only TopicNameStrategy (subject "<topic>-${which}") is supported.`,
      type: 'CLASS',
      importance: 'medium',
      group: 'Schema Registry',
    },
  )

/** AvroConverter's options (after the `value.converter.` / `key.converter.` prefix), as Confluent names them. */
export const avroConverterConfig = z
  .object({
    'schema.registry.url': documented(
      z
        .string({ error: (issue) => (issue.input === undefined ? 'missing required configuration, which has no default value' : 'must be a string') })
        .transform((raw) =>
          raw
            .split(',')
            .map((url) => url.trim())
            .filter((url) => url !== ''),
        )
        .pipe(
          z
            .array(z.string().refine(isHttpUrl, 'must be a comma-separated list of http:// or https:// URLs'))
            .min(1, 'must name at least one schema registry URL'),
        ),
      {
        description:
          'Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas (for Apicurio Registry, its Confluent API: http://host:8080/apis/ccompat/v7). Tried in order while one cannot be reached.',
        type: 'LIST',
        importance: 'high',
        group: 'Schema Registry',
      },
    ),
    'auto.register.schemas': documented(booleanString().default(true), {
      description: 'Specify if the converter should attempt to register the schema with Schema Registry.',
      importance: 'medium',
      group: 'Schema Registry',
    }),
    'use.latest.version': documented(booleanString().default(false), {
      description:
        'Use the latest version of the schema in the subject for serialization, when auto.register.schemas is false.',
      importance: 'low',
      group: 'Schema Registry',
    }),
    'basic.auth.credentials.source': documented(
      z
        .string()
        .trim()
        .toUpperCase()
        .pipe(z.enum(['URL', 'USER_INFO'], { message: 'must be URL or USER_INFO (SASL_INHERIT is not supported)' }))
        .default('URL'),
      {
        description:
          'Specify how to pick the credentials for the Basic authentication header: URL (the user info of schema.registry.url) or USER_INFO (basic.auth.user.info).',
        importance: 'medium',
        group: 'Schema Registry',
      },
    ),
    'basic.auth.user.info': documented(z.string().default(''), {
      description: 'Specify the user info for Basic authentication in the form of {username}:{password}.',
      type: 'PASSWORD',
      importance: 'medium',
      group: 'Schema Registry',
    }),
    'schemas.cache.size': documented(intString().pipe(z.number().min(0, 'must be at least 0')).default(1000), {
      description: 'Size of the converted Avro schema cache (Connect ↔ Avro schemas, and registry ids by schema).',
      importance: 'low',
      group: 'Schemas',
    }),
    'key.subject.name.strategy': subjectNameStrategy('key'),
    'value.subject.name.strategy': subjectNameStrategy('value'),
  })
  .superRefine((config, context) => {
    if (config['basic.auth.credentials.source'] === 'USER_INFO' && !config['basic.auth.user.info'].includes(':')) {
      context.addIssue({
        code: 'custom',
        path: ['basic.auth.user.info'],
        message: 'must be {username}:{password} when basic.auth.credentials.source is USER_INFO',
      })
    }
  })

export type AvroConverterConfig = z.output<typeof avroConverterConfig>

/** The Avro side of one Connect schema, made once and cached. */
interface Writer {
  readonly avro: AvroSchema
  /** The schema text registered under the subject. */
  readonly text: string
  readonly type: AvroBinaryType
  /** Registry ids of this schema by subject: the per-record lookup, so it never hashes the schema text. */
  readonly ids: Map<string, number>
}

/** How to read values written with one registry schema id under one subject. */
interface Reader {
  readonly avro: AvroSchema
  readonly type: AvroBinaryType
  readonly schema: Schema | null
}

interface LatestSchema {
  readonly id: number
  readonly type: AvroBinaryType
}

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null })
const MAGIC_BYTE = 0
const HEADER_SIZE = 5

/**
 * Confluent's AvroConverter: Connect data as Avro binary in Confluent's wire format (magic byte 0, the schema's
 * 4-byte big-endian registry id, the Avro binary), the schema registered under `<topic>-key` / `<topic>-value`
 * (TopicNameStrategy). Schemas map as Confluent's AvroData maps them (see avro-data.ts).
 *
 * Registry ids are cached per (subject, schema) and readers per (subject, id), so the registry is asked once per
 * schema: a record whose schema is cached converts synchronously.
 */
export class AvroConverter implements Converter {
  readonly #isKey: boolean
  readonly #client: SchemaRegistryClient
  readonly #autoRegister: boolean
  readonly #useLatestVersion: boolean
  readonly #writers: LruCache<Schema, Writer>
  /** Writers by schema text, so equal schemas in different objects (a transform's output) share one. */
  readonly #writersByText: LruCache<string, Writer>
  #schemalessWriter: Writer | undefined
  readonly #pendingIds = new Map<string, Promise<number>>()
  readonly #latest: LruCache<string, LatestSchema>
  readonly #pendingLatest = new Map<string, Promise<LatestSchema>>()
  readonly #readers: LruCache<string, Reader>
  readonly #pendingReaders = new Map<string, Promise<Reader>>()
  readonly #encoder = new AvroEncoder()

  constructor(config: AvroConverterConfig, isKey: boolean, client?: SchemaRegistryClient) {
    this.#isKey = isKey
    this.#client = client ?? new SchemaRegistryClient(registryClientOptions(config))
    this.#autoRegister = config['auto.register.schemas']
    this.#useLatestVersion = config['use.latest.version']
    const cacheSize = config['schemas.cache.size']
    this.#writers = new LruCache(cacheSize)
    this.#writersByText = new LruCache(cacheSize)
    this.#latest = new LruCache(cacheSize)
    this.#readers = new LruCache(cacheSize)
  }

  /** The subject this converter registers `topic`'s schemas under (TopicNameStrategy). */
  subject(topic: string): string {
    return `${topic}-${this.#isKey ? 'key' : 'value'}`
  }

  /**
   * A null value is a tombstone: null bytes, no registry call. A registry that refuses the schema (incompatible,
   * unknown with auto.register.schemas=false) gives a DataError naming the subject; an unreachable one a
   * RetriableError.
   */
  fromConnectData(topic: string, schema: Schema | null, value: unknown): Uint8Array | null | Promise<Uint8Array | null> {
    if (value === null || value === undefined) return null
    const subject = this.subject(topic)
    try {
      const writer = this.#writer(schema)
      const avroValue = fromConnectData(schema, writer.avro, value)
      if (this.#useLatestVersion && !this.#autoRegister) {
        const latest = this.#latest.get(subject)
        if (latest !== undefined) return this.#frame(latest.id, latest.type, avroValue)
        return this.#latestSchema(subject).then(
          (loaded) => this.#frame(loaded.id, loaded.type, avroValue),
          (error: unknown) => Promise.reject(serializeError(topic, error)),
        )
      }
      const id = writer.ids.get(subject)
      if (id !== undefined) return this.#frame(id, writer.type, avroValue)
      return this.#schemaId(subject, writer).then(
        (loaded) => this.#frame(loaded, writer.type, avroValue),
        (error: unknown) => Promise.reject(serializeError(topic, error)),
      )
    } catch (error) {
      throw serializeError(topic, error)
    }
  }

  /** Null bytes give a null value; bytes without the magic byte, or that do not decode, a DataError. */
  toConnectData(topic: string, bytes: Uint8Array | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE
    try {
      if (bytes.length < HEADER_SIZE || bytes[0] !== MAGIC_BYTE) throw new DataError('Unknown magic byte!')
      const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const id = buffer.readInt32BE(1)
      const subject = this.subject(topic)
      const key = `${subject}\n${id}`
      const reader = this.#readers.get(key)
      if (reader !== undefined) return read(reader, buffer)
      return this.#reader(key, subject, id).then(
        (loaded) => read(loaded, buffer),
        (error: unknown) => Promise.reject(deserializeError(topic, error)),
      )
    } catch (error) {
      throw deserializeError(topic, error)
    }
  }

  #writer(schema: Schema | null): Writer {
    if (schema === null) return (this.#schemalessWriter ??= this.#makeWriter(null))
    let writer = this.#writers.get(schema)
    if (writer === undefined) {
      writer = this.#makeWriter(schema)
      this.#writers.set(schema, writer)
    }
    return writer
  }

  #makeWriter(schema: Schema | null): Writer {
    const avro = fromConnectSchema(schema)
    const text = writeAvroSchema(avro)
    let writer = this.#writersByText.get(text)
    if (writer === undefined) {
      writer = { avro, text, type: avroBinaryType(text), ids: new Map() }
      this.#writersByText.set(text, writer)
    }
    return writer
  }

  #frame(id: number, type: AvroBinaryType, avroValue: unknown): Buffer {
    const bytes = this.#encoder.encode(type, avroValue, HEADER_SIZE)
    bytes[0] = MAGIC_BYTE
    bytes.writeInt32BE(id, 1)
    return bytes
  }

  // Concurrent first records of one schema share one registry request.
  #schemaId(subject: string, writer: Writer): Promise<number> {
    const key = `${subject}\n${writer.text}`
    let pending = this.#pendingIds.get(key)
    if (pending === undefined) {
      pending = this.#registerOrLookUp(subject, writer).finally(() => this.#pendingIds.delete(key))
      this.#pendingIds.set(key, pending)
    }
    return pending
  }

  async #registerOrLookUp(subject: string, writer: Writer): Promise<number> {
    let id: number
    try {
      id = this.#autoRegister ? await this.#client.register(subject, writer.text) : (await this.#client.lookup(subject, writer.text)).id
    } catch (error) {
      const notFound = this.#autoRegister ? undefined : `Schema not found in subject "${subject}", and auto.register.schemas is false`
      throw registryError(error, subject, this.#autoRegister ? 'register' : 'look up', notFound)
    }
    writer.ids.set(subject, id)
    return id
  }

  #latestSchema(subject: string): Promise<LatestSchema> {
    let pending = this.#pendingLatest.get(subject)
    if (pending === undefined) {
      pending = (async () => {
        let latest
        try {
          latest = await this.#client.latest(subject)
        } catch (error) {
          throw registryError(error, subject, 'find the latest schema of')
        }
        const loaded = { id: latest.id, type: avroBinaryType(latest.schema) }
        this.#latest.set(subject, loaded)
        return loaded
      })().finally(() => this.#pendingLatest.delete(subject))
      this.#pendingLatest.set(subject, pending)
    }
    return pending
  }

  #reader(key: string, subject: string, id: number): Promise<Reader> {
    let pending = this.#pendingReaders.get(key)
    if (pending === undefined) {
      pending = this.#loadReader(subject, id)
        .then((reader) => {
          this.#readers.set(key, reader)
          return reader
        })
        .finally(() => this.#pendingReaders.delete(key))
      this.#pendingReaders.set(key, pending)
    }
    return pending
  }

  async #loadReader(subject: string, id: number): Promise<Reader> {
    let text: string
    try {
      text = await this.#client.schemaById(id)
    } catch (error) {
      throw registryError(error, subject, `find schema id ${id} for`)
    }
    const avro = parseAvroSchema(text)
    // As Confluent's deserializer: the schema's version under the subject becomes the Connect schema's version,
    // unless the schema carries connect.version (or is a union or schemaless, which take no version).
    let version: number | undefined
    if (!isAnythingSchema(avro) && avro.type !== 'union' && !avro.props.has('connect.version')) {
      try {
        version = (await this.#client.lookup(subject, text)).version
      } catch (error) {
        throw registryError(error, subject, `find the version of schema id ${id} in`)
      }
    }
    return { avro, type: avroBinaryType(text), schema: toConnectSchema(avro, version) }
  }
}

const read = (reader: Reader, buffer: Buffer): SchemaAndValue => {
  const decoded = decodeAvro(reader.type, buffer.subarray(HEADER_SIZE))
  return { schema: reader.schema, value: toConnectData(reader.schema, reader.avro, decoded) }
}

/** A registry refusal in words that name the subject; the registry's own message follows. */
const registryError = (error: unknown, subject: string, action: string, notFound?: string): Error => {
  if (!(error instanceof SchemaRegistryError)) return error as Error
  const details = `${error.registryMessage} (HTTP ${error.status}${error.errorCode === undefined ? '' : `, error code ${error.errorCode}`})`
  if (error.status === 409) {
    return new DataError(`Schema being registered is incompatible with an earlier schema for subject "${subject}", details: ${details}`, { cause: error })
  }
  if (error.status === 404 && notFound !== undefined) return new DataError(`${notFound}: ${details}`, { cause: error })
  if (error.status === 401 || error.status === 403) {
    return new DataError(`Not authorized to ${action} subject "${subject}" in the schema registry: ${details}`, { cause: error })
  }
  if (error.status === 422) return new DataError(`Invalid schema for subject "${subject}": ${details}`, { cause: error })
  return new DataError(`Could not ${action} subject "${subject}" in the schema registry: ${details}`, { cause: error })
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const serializeError = (topic: string, error: unknown): Error => {
  const message = `Failed to serialize Avro data from topic ${topic}: ${reasonOf(error)}`
  return error instanceof RetriableError ? new RetriableError(message, { cause: error }) : new DataError(message, { cause: error })
}

const deserializeError = (topic: string, error: unknown): Error => {
  const message = `Failed to deserialize data for topic ${topic} to Avro: ${reasonOf(error)}`
  return error instanceof RetriableError ? new RetriableError(message, { cause: error }) : new DataError(message, { cause: error })
}

/** The registry URLs without user info, and the Basic credentials from where `basic.auth.credentials.source` says. */
const registryClientOptions = (config: AvroConverterConfig): { urls: string[]; credentials?: BasicCredentials } => {
  let fromUrl: BasicCredentials | undefined
  const urls = config['schema.registry.url'].map((text) => {
    const url = new URL(text)
    if (url.username !== '' && fromUrl === undefined) {
      fromUrl = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    }
    url.username = ''
    url.password = ''
    return url.toString()
  })
  if (config['basic.auth.credentials.source'] === 'USER_INFO') {
    const userInfo = config['basic.auth.user.info']
    const colon = userInfo.indexOf(':')
    return { urls, credentials: { user: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) } }
  }
  return fromUrl === undefined ? { urls } : { urls, credentials: fromUrl }
}

/** Builds an AvroConverter from raw string options, throwing a `ConfigError` naming the first bad key. */
export const createAvroConverter = (options: Readonly<Record<string, string>>, isKey = false): AvroConverter =>
  new AvroConverter(parseConverterOptions(avroConverterConfig, options), isKey)

export const avroConverterPlugin: ConverterPlugin<typeof avroConverterConfig> = {
  className: AVRO_CONVERTER_CLASS,
  aliases: ['AvroConverter', 'avro'],
  version: '0.1.0',
  config: avroConverterConfig,
  create: (config, isKey) => new AvroConverter(config, isKey),
}
