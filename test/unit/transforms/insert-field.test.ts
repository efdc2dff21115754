import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Timestamp } from '../../../src/data/logical-types.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { insertFieldKey, insertFieldValue } from '../../../transforms/insert-field.ts'
import { applied, assertRejects, assertSchemaEquals, configure, sinkRecord, sourceRecord } from './records.ts'

const allFields = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
}

describe('InsertField', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(insertFieldValue.className, 'org.apache.kafka.connect.transforms.InsertField$Value')
    assert.equal(insertFieldKey.className, 'org.apache.kafka.connect.transforms.InsertField$Key')
    assert.deepEqual(insertFieldValue.aliases, ['InsertField$Value'])
  })

  it('adds topic, partition, timestamp and a static value to a schemaless value', () => {
    const xform = configure(insertFieldValue, allFields)
    const result = applied(xform, sourceRecord({ topic: 'test', kafkaPartition: 0, value: { magic: 42n }, timestamp: 123 }))
    assert.deepEqual(result.value, { magic: 42n, topic_field: 'test', partition_field: 0, timestamp_field: 123, instance_id: 'my-instance-id' })
    assert.equal(result.valueSchema, null)
  })

  it('copies the schema, adds the fields with the requested optionality and reuses the updated schema', () => {
    const xform = configure(insertFieldValue, allFields)
    const schema = SchemaBuilder.struct().withName('name').version(1).doc('doc').field('magic', Schemas.OPTIONAL_INT64_SCHEMA).build()
    const record = sourceRecord({ valueSchema: schema, value: new Struct(schema).put('magic', 42n), timestamp: 789 })

    const result = applied(xform, record)
    const updated = result.valueSchema
    assert.ok(updated)
    assert.equal(updated.name, 'name')
    assert.equal(updated.version, 1)
    assert.equal(updated.doc, 'doc')
    const fieldSchema = (name: string) => updated.fields?.find((f) => f.name === name)?.schema ?? null
    assertSchemaEquals(fieldSchema('magic'), Schemas.OPTIONAL_INT64_SCHEMA)
    assertSchemaEquals(fieldSchema('topic_field'), Schemas.STRING_SCHEMA)
    assertSchemaEquals(fieldSchema('partition_field'), Schemas.OPTIONAL_INT32_SCHEMA)
    assertSchemaEquals(fieldSchema('timestamp_field'), Timestamp.builder().optional().build())
    assertSchemaEquals(fieldSchema('instance_id'), Schemas.OPTIONAL_STRING_SCHEMA)

    const value = result.value as Struct
    assert.equal(value.get('magic'), 42n)
    assert.equal(value.get('topic_field'), 'test')
    assert.equal(value.get('partition_field'), 0)
    assert.deepEqual(value.get('timestamp_field'), new Date(789))
    assert.equal(value.get('instance_id'), 'my-instance-id')

    const again = applied(xform, sourceRecord({ kafkaPartition: 1, valueSchema: schema, value: new Struct(schema) }))
    assert.equal(again.valueSchema, updated, 'the updated schema is cached per input schema')
  })

  it('leaves a tombstone unchanged, with or without a schema', () => {
    const xform = configure(insertFieldValue, allFields)
    const schemaless = sourceRecord({ value: null })
    assert.equal(xform.apply(schemaless), schemaless)
    const schema = SchemaBuilder.struct().field('magic', Schemas.OPTIONAL_INT64_SCHEMA).build()
    const withSchema = sourceRecord({ valueSchema: schema, value: null })
    assert.equal(xform.apply(withSchema), withSchema)
  })

  it('inserts into the key of a tombstone, and leaves a null key alone', () => {
    const xform = configure(insertFieldKey, allFields)
    const result = applied(xform, sourceRecord({ key: { magic: 42n }, value: null }))
    assert.deepEqual(result.key, { magic: 42n, topic_field: 'test', partition_field: 0, instance_id: 'my-instance-id' })
    assert.equal(result.value, null)

    const nullKey = sourceRecord({ key: null, value: { magic: 42n } })
    assert.equal(xform.apply(nullKey), nullKey)
  })

  it('skips the partition and timestamp a record does not have', () => {
    const xform = configure(insertFieldValue, allFields)
    const result = applied(xform, sourceRecord({ kafkaPartition: null, timestamp: null, value: {} }))
    assert.deepEqual(result.value, { topic_field: 'test', instance_id: 'my-instance-id' })
  })

  it('inserts the offset of a sink record, with and without a schema', () => {
    const xform = configure(insertFieldValue, { 'offset.field': 'offset' })
    assert.deepEqual(applied(xform, sinkRecord({ value: { a: 1 } })).value, { a: 1, offset: 42n })

    const schema = SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).build()
    const result = applied(xform, sinkRecord({ valueSchema: schema, value: new Struct(schema).put('a', 1) }))
    assert.equal((result.value as Struct).get('offset'), 42n)
    assert.equal(result.kafkaOffset, 42n, 'sink fields survive')
  })

  it('refuses to insert an offset into a source record', () => {
    const xform = configure(insertFieldValue, { 'offset.field': 'offset' })
    assert.throws(() => xform.apply(sourceRecord({ value: { a: 1 } })), (e: unknown) => e instanceof DataError && /Only SinkRecord supported/.test(e.message))
  })

  it('requires a struct when there is a schema, and a map when there is none', () => {
    const xform = configure(insertFieldValue, { 'topic.field': 'topic_field' })
    assert.throws(() => xform.apply(sourceRecord({ valueSchema: Schemas.INT32_SCHEMA, value: 42 })), DataError)
    assert.throws(() => xform.apply(sourceRecord({ value: 42 })), /Only Map objects supported in absence of schema for \[field insertion\], found: number/)
  })

  it('keeps the source record fields it does not touch', () => {
    const xform = configure(insertFieldValue, { 'topic.field': 'topic_field' })
    const result = applied(xform, sourceRecord({ value: {}, headers: [{ key: 'h', schema: null, value: 'v' }] }))
    assert.deepEqual(result.sourcePartition, { source: 'mqtt' })
    assert.deepEqual(result.sourceOffset, { position: 1 })
    assert.deepEqual(result.headers, [{ key: 'h', schema: null, value: 'v' }])
  })

  it('copies null fields as they are when replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct().field('opt', SchemaBuilder.int32().optional().defaultValue(42).build()).build()
    const record = sourceRecord({ valueSchema: schema, value: new Struct(schema).put('opt', null) })

    const withDefault = applied(configure(insertFieldValue, { 'topic.field': 't' }), record)
    assert.equal((withDefault.value as Struct).getWithoutDefault('opt'), 42)

    const keepNull = applied(configure(insertFieldValue, { 'topic.field': 't', 'replace.null.with.default': 'false' }), record)
    assert.equal((keepNull.value as Struct).getWithoutDefault('opt'), null)
  })

  it('rejects a config that inserts nothing, or a static field without a value', () => {
    assertRejects(insertFieldValue, {}, 'type', 'No field insertion configured')
    assertRejects(insertFieldValue, { 'static.field': 'site' }, 'static.value', 'No value specified for static field: site')
  })
})
