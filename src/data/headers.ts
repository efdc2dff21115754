import type { Schema } from './schema.ts'

/** One record header as Kafka Connect models it: a key, and a value that may carry a schema. */
export interface ConnectHeader {
  readonly key: string
  readonly schema: Schema | null
  readonly value: unknown
}

export type ConnectHeaders = readonly ConnectHeader[]

export const stringHeader = (key: string, value: string): ConnectHeader => ({
  key,
  schema: STRING_HEADER_SCHEMA,
  value,
})

const STRING_HEADER_SCHEMA: Schema = { type: 'string', optional: false }

const SHARED_HEADERS = new WeakSet<ConnectHeader>()

/**
 * A string header a task puts, as this very object, on many records (the MQTT source's origin): the worker converts
 * it to bytes once per converter and topic instead of once per record. It must never be changed after.
 */
export const sharedStringHeader = (key: string, value: string): ConnectHeader => {
  const header = Object.freeze(stringHeader(key, value))
  SHARED_HEADERS.add(header)
  return header
}

export const isSharedHeader = (header: ConnectHeader): boolean => SHARED_HEADERS.has(header)
