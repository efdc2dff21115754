import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { SchemaBuilder } from '../src/data/schema-builder.ts'
import { Schemas } from '../src/data/schemas.ts'
import { Struct } from '../src/data/struct.ts'
import { booleanString, documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation, TransformationPlugin } from '../src/plugin/transformation.ts'
import { operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { TRANSFORMS_VERSION } from './version.ts'

export const parseJsonConfig = z.object({
  'schema.inference': documented(booleanString().default(false), {
    description:
      'false: the parsed JSON becomes a schemaless value (objects as maps). true: objects become structs with a schema inferred from the document (integers as int64, other numbers as float64, every field optional), which schema-based converters such as Avro need.',
    importance: 'medium',
  }),
})

export type ParseJsonConfig = z.output<typeof parseJsonConfig>

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a bytes or string key/value holding JSON text, such as an MQTT payload, into Connect data. Not one of
 * Kafka's transformations: MQTT payloads arrive as bytes, and parsing them here puts a malformed payload under
 * `errors.tolerance` (the TRANSFORMATION stage) like any other bad record. Tombstones pass through.
 */
const parseJson = ({ 'schema.inference': inferSchema }: ParseJsonConfig, part: RecordPart): Transformation => {
  const schemas = new ShapeCache()
  return {
  apply<R extends ConnectRecord>(record: R): R {
    const raw = operatingValue(record, part)
    if (raw === null || raw === undefined) return record
    const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? decodeUtf8(raw) : null
    if (text === null) throw new DataError(`ParseJson expects a bytes or string ${part}, got ${typeof raw}`)
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new DataError(`The record ${part} is not valid JSON: ${(error as Error).message}`, { cause: error })
    }
    if (!inferSchema) return withOperating(record, part, null, parsed)
    const schema = schemas.schemaFor(parsed)
    return withOperating(record, part, schema, toConnectValue(schema, parsed))
  },
  }
}

/**
 * One schema object per document shape. Downstream transforms and converters cache their work per schema object,
 * so handing them a new (if equal) schema for every record would make every one of them start over.
 */
class ShapeCache {
  private readonly byShape = new Map<string, Schema>()

  schemaFor(document: unknown): Schema {
    const shape = shapeOf(document)
    let schema = this.byShape.get(shape)
    if (schema === undefined) {
      // Documents of endlessly varying shape must not grow memory without bound.
      if (this.byShape.size >= MAX_SHAPES) this.byShape.clear()
      schema = inferJsonSchema(document)
      this.byShape.set(shape, schema)
    }
    return schema
  }
}

const MAX_SHAPES = 1_000

/** A compact signature of the schema `inferJsonSchema` would give, e.g. `{device:s,t:f,tags:[s]}`. */
const shapeOf = (value: unknown): string => {
  if (value === null || typeof value === 'string') return 's'
  if (typeof value === 'boolean') return 'b'
  if (typeof value === 'number') return Number.isInteger(value) ? 'i' : 'f'
  if (Array.isArray(value)) return `[${shapeOf(value.find((item) => item !== null) ?? null)}]`
  let shape = '{'
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) shape += `${JSON.stringify(name)}:${shapeOf(field)},`
  return `${shape}}`
}

const decodeUtf8 = (bytes: Uint8Array): string => {
  try {
    return decoder.decode(bytes)
  } catch (error) {
    throw new DataError('The record payload is not UTF-8 text', { cause: error })
  }
}

/** A Connect schema for one JSON document; every field optional, since the next document may omit it. */
export const inferJsonSchema = (value: unknown): Schema => {
  if (value === null) return Schemas.OPTIONAL_STRING_SCHEMA
  if (typeof value === 'string') return Schemas.OPTIONAL_STRING_SCHEMA
  if (typeof value === 'boolean') return Schemas.OPTIONAL_BOOLEAN_SCHEMA
  if (typeof value === 'number') return Number.isInteger(value) ? Schemas.OPTIONAL_INT64_SCHEMA : Schemas.OPTIONAL_FLOAT64_SCHEMA
  if (Array.isArray(value)) {
    const first: unknown = value.find((item) => item !== null)
    return SchemaBuilder.array(inferJsonSchema(first ?? null)).optional().build()
  }
  const builder = SchemaBuilder.struct().optional()
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) builder.field(name, inferJsonSchema(field))
  return builder.build()
}

const toConnectValue = (schema: Schema, value: unknown): unknown => {
  if (value === null) return null
  if (schema.type === 'int64') return BigInt(value as number)
  if (schema.type === 'array') return (value as unknown[]).map((item) => toConnectValue(schema.valueSchema!, item))
  if (schema.type !== 'struct') return value
  const struct = new Struct(schema)
  for (const field of schema.fields ?? []) struct.put(field.name, toConnectValue(field.schema, (value as Record<string, unknown>)[field.name]))
  return struct
}

const plugin = (part: RecordPart, suffix: 'Key' | 'Value'): TransformationPlugin<typeof parseJsonConfig> =>
  Object.freeze({
    className: `io.mqttkafka.connect.transforms.ParseJson$${suffix}`,
    aliases: Object.freeze([`ParseJson$${suffix}`]),
    version: TRANSFORMS_VERSION,
    config: parseJsonConfig,
    create: (config: ParseJsonConfig) => parseJson(config, part),
  })

export const parseJsonKey = plugin('key', 'Key')
export const parseJsonValue = plugin('value', 'Value')
