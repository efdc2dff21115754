import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { SchemaBuilder, copySchemaBasics } from '../src/data/schema-builder.ts'
import { Schemas } from '../src/data/schemas.ts'
import { Struct } from '../src/data/struct.ts'
import { Timestamp } from '../src/data/logical-types.ts'
import { documented } from '../src/plugin/config.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireSinkRecord, requireStruct } from './requirements.ts'
import { copyMap, requireMap, setEntry } from './schemaless-map.ts'

const OPTIONALITY_DOC = 'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).'

const fieldNameKey = (description: string) =>
  documented(z.string().trim().optional(), { description: `${description} ${OPTIONALITY_DOC}`, importance: 'medium' })

export const insertFieldConfig = z
  .object({
    'topic.field': fieldNameKey('Field name for Kafka topic.'),
    'partition.field': fieldNameKey('Field name for Kafka partition.'),
    'offset.field': fieldNameKey('Field name for Kafka offset - only applicable to sink connectors.<br/>'),
    'timestamp.field': fieldNameKey('Field name for record timestamp.'),
    'static.field': fieldNameKey('Field name for static data field.'),
    'static.value': documented(z.string().trim().optional(), {
      description: 'Static field value, if field name configured.',
      importance: 'medium',
    }),
    'replace.null.with.default': replaceNullWithDefaultKey(),
  })
  .superRefine((config, ctx) => {
    const fields = ['topic.field', 'partition.field', 'offset.field', 'timestamp.field', 'static.field'] as const
    if (fields.every((key) => config[key] === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'No field insertion configured' })
    const staticField = config['static.field']
    if (staticField !== undefined && config['static.value'] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['static.value'], message: `No value specified for static field: ${staticField}` })
    }
  })

export type InsertFieldConfig = z.output<typeof insertFieldConfig>

const PURPOSE = 'field insertion'
const OPTIONAL_TIMESTAMP_SCHEMA = Timestamp.builder().optional().build()

interface InsertionSpec {
  readonly name: string
  readonly optional: boolean
}

/** `name!` is a required field, `name?` or `name` an optional one. */
const parseSpec = (spec: string | undefined): InsertionSpec | null => {
  if (spec === undefined) return null
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true }
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false }
  return { name: spec, optional: true }
}

/**
 * Kafka's InsertField: adds the record's topic, partition, offset (sink records only) or timestamp, or a static
 * string, as fields of a struct or schemaless map. A null key or value (a tombstone) passes through unchanged.
 */
const insertField = (config: InsertFieldConfig, part: RecordPart): Transformation => {
  const topicField = parseSpec(config['topic.field'])
  const partitionField = parseSpec(config['partition.field'])
  const offsetField = parseSpec(config['offset.field'])
  const timestampField = parseSpec(config['timestamp.field'])
  const staticField = parseSpec(config['static.field'])
  const staticValue = config['static.value']
  const replaceNullWithDefault = config['replace.null.with.default']
  const schemaUpdates = new WeakMap<Schema, Schema>()

  const updatedSchemaFor = (schema: Schema): Schema => {
    let updated = schemaUpdates.get(schema)
    if (updated !== undefined) return updated
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields ?? []) builder.field(field.name, field.schema)
    if (topicField !== null) builder.field(topicField.name, topicField.optional ? Schemas.OPTIONAL_STRING_SCHEMA : Schemas.STRING_SCHEMA)
    if (partitionField !== null) builder.field(partitionField.name, partitionField.optional ? Schemas.OPTIONAL_INT32_SCHEMA : Schemas.INT32_SCHEMA)
    if (offsetField !== null) builder.field(offsetField.name, offsetField.optional ? Schemas.OPTIONAL_INT64_SCHEMA : Schemas.INT64_SCHEMA)
    if (timestampField !== null) builder.field(timestampField.name, timestampField.optional ? OPTIONAL_TIMESTAMP_SCHEMA : Timestamp.SCHEMA)
    if (staticField !== null) builder.field(staticField.name, staticField.optional ? Schemas.OPTIONAL_STRING_SCHEMA : Schemas.STRING_SCHEMA)
    updated = builder.build()
    schemaUpdates.set(schema, updated)
    return updated
  }

  const applySchemaless = <R extends ConnectRecord>(record: R, value: unknown): R => {
    const updated = copyMap(requireMap(value, PURPOSE))
    if (topicField !== null) setEntry(updated, topicField.name, record.topic)
    if (partitionField !== null && record.kafkaPartition !== null) setEntry(updated, partitionField.name, record.kafkaPartition)
    if (offsetField !== null) setEntry(updated, offsetField.name, requireSinkRecord(record, PURPOSE).kafkaOffset)
    if (timestampField !== null && record.timestamp !== null) setEntry(updated, timestampField.name, record.timestamp)
    if (staticField !== null && staticValue !== undefined) setEntry(updated, staticField.name, staticValue)
    return withOperating(record, part, null, updated)
  }

  const applyWithSchema = <R extends ConnectRecord>(record: R, value: unknown): R => {
    const struct = requireStruct(value, PURPOSE)
    const schema = updatedSchemaFor(struct.schema)
    const updated = new Struct(schema)
    for (const field of struct.schema.fields ?? []) updated.put(field.name, fieldValue(struct, field.name, replaceNullWithDefault))
    if (topicField !== null) updated.put(topicField.name, record.topic)
    if (partitionField !== null && record.kafkaPartition !== null) updated.put(partitionField.name, record.kafkaPartition)
    if (offsetField !== null) updated.put(offsetField.name, requireSinkRecord(record, PURPOSE).kafkaOffset)
    if (timestampField !== null && record.timestamp !== null) updated.put(timestampField.name, new Date(record.timestamp))
    if (staticField !== null && staticValue !== undefined) updated.put(staticField.name, staticValue)
    return withOperating(record, part, schema, updated)
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const value = operatingValue(record, part)
      if (value === null || value === undefined) return record
      return operatingSchema(record, part) === null ? applySchemaless(record, value) : applyWithSchema(record, value)
    },
  }
}

export const [insertFieldKey, insertFieldValue] = keyAndValuePlugins('InsertField', insertFieldConfig, insertField)
