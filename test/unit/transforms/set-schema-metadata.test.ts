import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { setSchemaMetadataKey, setSchemaMetadataValue } from '../../../transforms/set-schema-metadata.ts'
import { applied, assertRejects, configure, sinkRecord } from './records.ts'

describe('SetSchemaMetadata', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(setSchemaMetadataKey.className, 'org.apache.kafka.connect.transforms.SetSchemaMetadata$Key')
    assert.equal(setSchemaMetadataValue.className, 'org.apache.kafka.connect.transforms.SetSchemaMetadata$Value')
  })

  it('sets the schema name', () => {
    const result = applied(configure(setSchemaMetadataValue, { 'schema.name': 'foo' }), sinkRecord({ valueSchema: SchemaBuilder.struct().build(), value: null }))
    assert.equal(result.valueSchema?.name, 'foo')
  })

  it('sets the schema version', () => {
    const result = applied(configure(setSchemaMetadataValue, { 'schema.version': '42' }), sinkRecord({ valueSchema: SchemaBuilder.struct().build(), value: null }))
    assert.equal(result.valueSchema?.version, 42)
  })

  it('sets both, keeping the rest of the schema', () => {
    const schema = SchemaBuilder.struct().doc('doc').optional().field('a', Schemas.INT32_SCHEMA).build()
    const result = applied(configure(setSchemaMetadataKey, { 'schema.name': 'foo', 'schema.version': '42' }), sinkRecord({ keySchema: schema, key: null }))
    assert.equal(result.keySchema?.name, 'foo')
    assert.equal(result.keySchema?.version, 42)
    assert.equal(result.keySchema?.doc, 'doc')
    assert.equal(result.keySchema?.optional, true)
    assert.deepEqual(result.keySchema?.fields, schema.fields)
  })

  it('rebuilds a struct on the updated schema', () => {
    const schema = SchemaBuilder.struct().withName('old').version(1).field('stringField', Schemas.STRING_SCHEMA).field('intField', Schemas.INT32_SCHEMA).build()
    const value = new Struct(schema).put('stringField', 'value').put('intField', 1)
    const result = applied(configure(setSchemaMetadataValue, { 'schema.name': 'foo', 'schema.version': '42' }), sinkRecord({ valueSchema: schema, value }))
    const updated = result.value as Struct
    assert.equal(updated.schema, result.valueSchema)
    assert.equal(updated.schema.name, 'foo')
    assert.equal(updated.get('stringField'), 'value')
    assert.equal(updated.get('intField'), 1)
  })

  it('keeps a non-struct value as it is', () => {
    const result = applied(configure(setSchemaMetadataValue, { 'schema.name': 'foo' }), sinkRecord({ valueSchema: Schemas.STRING_SCHEMA, value: 'text' }))
    assert.equal(result.value, 'text')
    assert.equal(result.valueSchema?.name, 'foo')
  })

  // Kafka's SetSchemaMetadataTest.ignoreRecordWithNullValue.
  it('passes a record whose value and value schema are both null through unchanged', () => {
    const record = sinkRecord({ key: null, value: null })
    assert.equal(configure(setSchemaMetadataValue, { 'schema.name': 'foo' }).apply(record), record)
    const keyless = sinkRecord({ key: null, valueSchema: Schemas.STRING_SCHEMA, value: 'v' })
    assert.equal(configure(setSchemaMetadataKey, { 'schema.version': '3' }).apply(keyless), keyless)
  })

  it('requires a schema', () => {
    assert.throws(() => configure(setSchemaMetadataValue, { 'schema.name': 'foo' }).apply(sinkRecord({ value: { a: 1 } })), (e: unknown) => e instanceof DataError && e.message === 'Schema required for [updating schema metadata]')
  })

  it('rejects a config that sets neither name nor version, or a version that is not a number', () => {
    assertRejects(setSchemaMetadataValue, {}, 'schema.name', 'Neither schema name nor version configured')
    assertRejects(setSchemaMetadataValue, { 'schema.version': 'one' }, 'schema.version', 'must be a whole number')
  })

  it('keeps a null field null when replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct().field('opt', SchemaBuilder.int32().optional().defaultValue(42).build()).build()
    const record = sinkRecord({ valueSchema: schema, value: new Struct(schema) })
    assert.equal((applied(configure(setSchemaMetadataValue, { 'schema.name': 'x' }), record).value as Struct).getWithoutDefault('opt'), 42)
    const keepNull = configure(setSchemaMetadataValue, { 'schema.name': 'x', 'replace.null.with.default': 'false' })
    assert.equal((applied(keepNull, record).value as Struct).getWithoutDefault('opt'), null)
  })
})
