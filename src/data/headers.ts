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
