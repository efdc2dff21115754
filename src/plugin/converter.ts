import type { z } from 'zod'
import type { ConfigSchema } from './config.ts'
import type { ConnectHeaders } from '../data/headers.ts'
import type { Schema, SchemaAndValue } from '../data/schema.ts'

export type MaybePromise<T> = T | Promise<T>

/**
 * Turns Connect data into the bytes stored in Kafka and back, as Kafka Connect's `Converter` does.
 * One instance serves either keys or values (`isKey` at creation), for every topic of one connector.
 */
export interface Converter {
  /** A null schema with a null value (a tombstone) must give `null`; a null value with a schema is the converter's to encode. */
  fromConnectData(topic: string, schema: Schema | null, value: unknown, headers?: ConnectHeaders): MaybePromise<Uint8Array | null>
  /** `bytes === null` must give a null value; malformed bytes throw a `DataError`. */
  toConnectData(topic: string, bytes: Uint8Array | null, headers?: ConnectHeaders): MaybePromise<SchemaAndValue>
}

/** Serialises one header value, as Kafka Connect's `HeaderConverter` does (SimpleHeaderConverter by default). */
export interface HeaderConverter {
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null
  toConnectHeader(topic: string, headerKey: string, bytes: Uint8Array | null): SchemaAndValue
}

/**
 * How a converter is registered: Kafka's class name (what configs say), short aliases, its config declaration (the
 * keys after the `value.converter.` prefix, which `/config/validate` and the docs list), and a factory that receives
 * that config already parsed and whether it serves keys.
 */
export interface ConverterPlugin<S extends ConfigSchema = ConfigSchema> {
  readonly className: string
  readonly aliases: readonly string[]
  readonly version: string
  readonly config: S
  create(config: z.output<S>, isKey: boolean): Converter
}

export interface HeaderConverterPlugin<S extends ConfigSchema = ConfigSchema> {
  readonly className: string
  readonly aliases: readonly string[]
  readonly version: string
  readonly config: S
  create(config: z.output<S>): HeaderConverter
}
