import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { SchemaBuilder } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { documented } from '../src/plugin/config.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { setEntry } from './schemaless-map.ts'

export const hoistFieldConfig = z.object({
  field: documented(z.string().trim(), {
    description: 'Field name for the single field that will be created in the resulting Struct or Map.',
    importance: 'medium',
  }),
})

export type HoistFieldConfig = z.output<typeof hoistFieldConfig>

/**
 * Kafka's HoistField: wraps the key or value in a struct (with a schema) or a map (without) holding it as its one
 * field. A null is wrapped too, which with a schema needs the wrapped schema to be optional.
 */
const hoistField = (config: HoistFieldConfig, part: RecordPart): Transformation => {
  const fieldName = config.field
  const schemaUpdates = new WeakMap<Schema, Schema>()
  return {
    apply<R extends ConnectRecord>(record: R): R {
      const schema = operatingSchema(record, part)
      const value = operatingValue(record, part) ?? null
      if (schema === null) {
        const updated: Record<string, unknown> = {}
        setEntry(updated, fieldName, value)
        return withOperating(record, part, null, updated)
      }
      let updatedSchema = schemaUpdates.get(schema)
      if (updatedSchema === undefined) {
        updatedSchema = SchemaBuilder.struct().field(fieldName, schema).build()
        schemaUpdates.set(schema, updatedSchema)
      }
      return withOperating(record, part, updatedSchema, new Struct(updatedSchema).put(fieldName, value))
    },
  }
}

export const [hoistFieldKey, hoistFieldValue] = keyAndValuePlugins('HoistField', hoistFieldConfig, hoistField)
