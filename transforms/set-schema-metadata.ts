import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { Struct } from '../src/data/struct.ts'
import { documented, intString } from '../src/plugin/config.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireSchema } from './requirements.ts'

export const setSchemaMetadataConfig = z
  .object({
    'schema.name': documented(z.string().trim().optional(), { description: 'Schema name to set.', importance: 'high' }),
    'schema.version': documented(intString().optional(), { description: 'Schema version to set.', importance: 'high' }),
    'replace.null.with.default': replaceNullWithDefaultKey(),
  })
  .superRefine((config, ctx) => {
    if (config['schema.name'] === undefined && config['schema.version'] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['schema.name'], message: 'Neither schema name nor version configured' })
    }
  })

export type SetSchemaMetadataConfig = z.output<typeof setSchemaMetadataConfig>

const PURPOSE = 'updating schema metadata'

/**
 * Kafka's SetSchemaMetadata: sets the name and/or version of the key or value schema, keeping everything else. A
 * struct is rebuilt on the renamed schema; other values are kept. Schemaless records fail, except a null value
 * without a schema, which passes through unchanged.
 */
const setSchemaMetadata = (config: SetSchemaMetadataConfig, part: RecordPart): Transformation => {
  const schemaName = config['schema.name']
  const schemaVersion = config['schema.version']
  const replaceNullWithDefault = config['replace.null.with.default']
  const schemaUpdates = new WeakMap<Schema, Schema>()

  const updatedSchemaFor = (schema: Schema): Schema => {
    let updated = schemaUpdates.get(schema)
    if (updated !== undefined) return updated
    const copy: { -readonly [K in keyof Schema]: Schema[K] } = { ...schema }
    if (schemaName !== undefined) copy.name = schemaName
    if (schemaVersion !== undefined) copy.version = schemaVersion
    updated = Object.freeze(copy)
    schemaUpdates.set(schema, updated)
    return updated
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const value = operatingValue(record, part)
      const operating = operatingSchema(record, part)
      // A schemaless tombstone has no schema to update: Kafka passes it on as it is.
      if (operating === null && (value === null || value === undefined)) return record
      const schema = requireSchema(operating, PURPOSE)
      const updatedSchema = updatedSchemaFor(schema)
      if (!(value instanceof Struct)) return withOperating(record, part, updatedSchema, value)
      // The struct is rebuilt so that its schema is the renamed one, field by field (Kafka's updateSchemaIn).
      const updated = new Struct(updatedSchema)
      for (const field of updatedSchema.fields ?? []) updated.put(field.name, fieldValue(value, field.name, replaceNullWithDefault))
      return withOperating(record, part, updatedSchema, updated)
    },
  }
}

export const [setSchemaMetadataKey, setSchemaMetadataValue] = keyAndValuePlugins('SetSchemaMetadata', setSchemaMetadataConfig, setSchemaMetadata)
