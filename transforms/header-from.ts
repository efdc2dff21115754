import { z } from 'zod'
import type { ConnectHeader } from '../src/data/headers.ts'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { findField } from '../src/data/schema.ts'
import { SchemaBuilder, copySchemaBasics } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { csvList, documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStruct } from './requirements.ts'
import { copyMap, getEntry, requireMap } from './schemaless-map.ts'

const nonEmptyList = () => csvList().refine((items) => items.length > 0, { message: 'Empty list' })

export const headerFromConfig = z
  .object({
    fields: documented(nonEmptyList(), {
      description: 'Field names in the record whose values are to be copied or moved to headers.',
      importance: 'high',
    }),
    headers: documented(nonEmptyList(), {
      description: 'Header names, in the same order as the field names listed in the fields configuration property.',
      importance: 'high',
    }),
    operation: documented(
      z
        .string()
        .trim()
        .refine((operation): operation is 'move' | 'copy' => operation === 'move' || operation === 'copy', {
          message: 'String must be one of: move, copy',
        }),
      {
        description:
          'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
        importance: 'high',
      },
    ),
    'replace.null.with.default': replaceNullWithDefaultKey(),
  })
  .superRefine((config, ctx) => {
    if (config.fields.length !== config.headers.length) {
      ctx.addIssue({ code: 'custom', path: ['headers'], message: "'fields' config must have the same number of elements as 'headers' config." })
    }
  })

export type HeaderFromConfig = z.output<typeof headerFromConfig>

/**
 * Kafka's HeaderFrom: adds a header for each listed field of the key or value (the n-th field to the n-th header,
 * with the field's schema), after the record's existing headers; `move` also removes the fields.
 */
const headerFrom = (config: HeaderFromConfig, part: RecordPart): Transformation => {
  const { fields, headers, operation } = config
  const purpose = `header ${operation}`
  const moved = new Set(fields)
  const replaceNullWithDefault = config['replace.null.with.default']
  const moveSchemas = new WeakMap<Schema, Schema>()

  const movedSchemaFor = (schema: Schema): Schema => {
    let updated = moveSchemas.get(schema)
    if (updated !== undefined) return updated
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields ?? []) if (!moved.has(field.name)) builder.field(field.name, field.schema)
    updated = builder.build()
    moveSchemas.set(schema, updated)
    return updated
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const schema = operatingSchema(record, part)
      const value = operatingValue(record, part)
      const added: ConnectHeader[] = []
      if (schema === null) {
        const map = requireMap(value, purpose)
        const updated = copyMap(map)
        fields.forEach((name, i) => {
          if (operation === 'move') delete updated[name]
          added.push({ key: headers[i] as string, schema: null, value: getEntry(map, name) ?? null })
        })
        return { ...withOperating(record, part, null, updated), headers: [...record.headers, ...added] }
      }
      const struct = requireStruct(value, purpose)
      fields.forEach((name, i) => {
        const field = findField(schema, name)
        if (field === undefined) throw new DataError(`Field does not exist: ${name}`)
        const fieldVal = findField(struct.schema, name) === undefined ? null : fieldValue(struct, name, replaceNullWithDefault)
        added.push({ key: headers[i] as string, schema: field.schema, value: fieldVal })
      })
      let updatedSchema = schema
      let updatedValue = struct
      if (operation === 'move') {
        updatedSchema = movedSchemaFor(struct.schema)
        updatedValue = new Struct(updatedSchema)
        for (const field of updatedSchema.fields ?? []) updatedValue.put(field.name, struct.get(field.name))
      }
      return { ...withOperating(record, part, updatedSchema, updatedValue), headers: [...record.headers, ...added] }
    },
  }
}

export const [headerFromKey, headerFromValue] = keyAndValuePlugins('HeaderFrom', headerFromConfig, headerFrom)
