/**
 * The Connect schema model, shaped after Kafka Connect's `org.apache.kafka.connect.data.Schema`.
 * A schema is plain immutable data; builders and logical types live beside it.
 */
export type SchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct'

export interface Field {
  readonly name: string
  readonly index: number
  readonly schema: Schema
}

export interface Schema {
  readonly type: SchemaType
  readonly optional: boolean
  /** Present only when the schema declares a default; `undefined` means "no default". */
  readonly defaultValue?: unknown
  readonly name?: string
  readonly version?: number
  readonly doc?: string
  readonly parameters?: Readonly<Record<string, string>>
  /** Struct schemas only, in declaration order. */
  readonly fields?: readonly Field[]
  /** Map schemas only. */
  readonly keySchema?: Schema
  /** Array and map schemas only. */
  readonly valueSchema?: Schema
}

export interface SchemaAndValue {
  readonly schema: Schema | null
  readonly value: unknown
}

/** The struct field called `name`, or `undefined` when the schema has no such field (or is not a struct). */
export const findField = (schema: Schema, name: string): Field | undefined => schema.fields?.find((field) => field.name === name)
