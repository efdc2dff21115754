import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { findField } from '../src/data/schema.ts'
import { SchemaBuilder } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { csvList, documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation, TransformationPlugin } from '../src/plugin/transformation.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStruct } from './requirements.ts'
import { getEntry, requireMap, setEntry } from './schemaless-map.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

export const valueToKeyConfig = z.object({
  fields: documented(csvList().refine((fields) => fields.length > 0, { message: 'Empty list' }), {
    description: 'Field names on the record value to extract as the record key.',
    importance: 'high',
  }),
  'replace.null.with.default': replaceNullWithDefaultKey(),
})

export type ValueToKeyConfig = z.output<typeof valueToKeyConfig>

const PURPOSE = 'copying fields from value to key'

/**
 * Kafka's ValueToKey: replaces the key with a struct (or schemaless map) of the listed value fields. As in Kafka, a
 * record whose value is null (a tombstone) cannot be keyed this way and fails.
 */
const createValueToKey = (config: ValueToKeyConfig): Transformation => {
  const fields = config.fields
  const replaceNullWithDefault = config['replace.null.with.default']
  const keySchemas = new WeakMap<Schema, Schema>()

  const keySchemaFor = (valueSchema: Schema): Schema => {
    let keySchema = keySchemas.get(valueSchema)
    if (keySchema !== undefined) return keySchema
    const builder = SchemaBuilder.struct()
    for (const name of fields) {
      const field = findField(valueSchema, name)
      if (field === undefined) throw new DataError(`Field does not exist: ${name}`)
      builder.field(name, field.schema)
    }
    keySchema = builder.build()
    keySchemas.set(valueSchema, keySchema)
    return keySchema
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      if (record.valueSchema === null) {
        const value = requireMap(record.value, PURPOSE)
        const key: Record<string, unknown> = {}
        for (const name of fields) setEntry(key, name, getEntry(value, name) ?? null)
        return { ...record, keySchema: null, key }
      }
      const value = requireStruct(record.value, PURPOSE)
      const keySchema = keySchemaFor(value.schema)
      const key = new Struct(keySchema)
      for (const name of fields) key.put(name, fieldValue(value, name, replaceNullWithDefault))
      return { ...record, keySchema, key, valueSchema: value.schema }
    },
  }
}

export const valueToKey: TransformationPlugin<typeof valueToKeyConfig> = Object.freeze({
  className: `${KAFKA_TRANSFORMS_PACKAGE}.ValueToKey`,
  aliases: Object.freeze(['ValueToKey']),
  version: TRANSFORMS_VERSION,
  config: valueToKeyConfig,
  create: createValueToKey,
})
