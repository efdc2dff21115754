import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { SchemaBuilder, copySchemaBasics } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { describeType, isPlainObject } from '../src/data/values.ts'
import { documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { requireStructOrNull } from './requirements.ts'
import { requireMap, setEntry, type SchemalessMap } from './schemaless-map.ts'

export const flattenConfig = z.object({
  delimiter: documented(z.string().trim().default('.'), {
    description: 'Delimiter to insert between field names from the input record when generating field names for the output record',
    importance: 'medium',
  }),
})

export type FlattenConfig = z.output<typeof flattenConfig>

const PURPOSE = 'flattening'

/** A copy of a field schema, made optional and given a default where an ancestor struct demands it. */
const flattenedFieldSchema = (original: Schema, optional: boolean, defaultValue: unknown): Schema => {
  const builder =
    original.type === 'array'
      ? SchemaBuilder.array(original.valueSchema as Schema)
      : original.type === 'map'
        ? SchemaBuilder.map(original.keySchema as Schema, original.valueSchema as Schema)
        : SchemaBuilder.type(original.type)
  copySchemaBasics(original, builder)
  if (optional) builder.optional()
  if (defaultValue !== undefined && defaultValue !== null) builder.defaultValue(defaultValue)
  return builder.build()
}

/**
 * Kafka's Flatten: turns nested structs (or nested schemaless maps) into one level, naming each field by joining the
 * names on its path with `delimiter`. Arrays are kept as they are; so are maps without a schema that are not nested
 * maps. A field under an optional struct becomes optional, and inherits that struct's default. A null key or value
 * passes through unchanged.
 */
const flatten = (config: FlattenConfig, part: RecordPart): Transformation => {
  const delimiter = config.delimiter
  const schemaUpdates = new WeakMap<Schema, Schema>()
  const fieldName = (prefix: string, name: string): string => (prefix === '' ? name : prefix + delimiter + name)

  const flattenMap = (original: SchemalessMap, prefix: string, out: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(original)) {
      const name = fieldName(prefix, key)
      if (value === null || value === undefined) {
        setEntry(out, name, null)
        continue
      }
      switch (typeof value) {
        case 'number':
        case 'bigint':
        case 'boolean':
        case 'string':
          setEntry(out, name, value)
          continue
        default:
          break
      }
      if (value instanceof Uint8Array || Array.isArray(value)) setEntry(out, name, value)
      else if (value instanceof Map || isPlainObject(value)) flattenMap(requireMap(value, PURPOSE), name, out)
      else throw new DataError(`Flatten transformation does not support ${describeType(value)} for record without schemas (for field ${name}).`)
    }
  }

  const buildSchema = (schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, defaultFromParent: Struct | null): void => {
    for (const field of schema.fields ?? []) {
      const name = fieldName(prefix, field.name)
      const fieldOptional = optional || field.schema.optional
      const fieldDefault = field.schema.defaultValue !== undefined ? field.schema.defaultValue : defaultFromParent?.get(field.name)
      switch (field.schema.type) {
        case 'struct':
          buildSchema(field.schema, name, builder, fieldOptional, fieldDefault instanceof Struct ? fieldDefault : null)
          break
        case 'map':
          throw new DataError(`Flatten transformation does not support MAP for record with schemas (for field ${name}).`)
        default:
          builder.field(name, flattenedFieldSchema(field.schema, fieldOptional, fieldDefault))
      }
    }
  }

  const updatedSchemaFor = (schema: Schema): Schema => {
    let updated = schemaUpdates.get(schema)
    if (updated !== undefined) return updated
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    buildSchema(schema, '', builder, schema.optional, schema.defaultValue instanceof Struct ? schema.defaultValue : null)
    updated = builder.build()
    schemaUpdates.set(schema, updated)
    return updated
  }

  const flattenStruct = (struct: Struct | null, prefix: string, out: Struct): void => {
    if (struct === null) return
    for (const field of struct.schema.fields ?? []) {
      const name = fieldName(prefix, field.name)
      if (field.schema.type === 'struct') flattenStruct(struct.get(field.name) as Struct | null, name, out)
      else out.put(name, struct.get(field.name))
    }
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const value = operatingValue(record, part)
      if (value === null || value === undefined) return record
      const schema = operatingSchema(record, part)
      if (schema === null) {
        const out: Record<string, unknown> = {}
        flattenMap(requireMap(value, PURPOSE), '', out)
        return withOperating(record, part, null, out)
      }
      const struct = requireStructOrNull(value, PURPOSE)
      const updatedSchema = updatedSchemaFor(schema)
      if (struct === null) return withOperating(record, part, updatedSchema, null)
      const out = new Struct(updatedSchema)
      flattenStruct(struct, '', out)
      return withOperating(record, part, updatedSchema, out)
    },
  }
}

export const [flattenKey, flattenValue] = keyAndValuePlugins('Flatten', flattenConfig, flatten)
