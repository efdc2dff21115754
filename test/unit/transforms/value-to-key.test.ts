import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { valueToKey } from '../../../transforms/value-to-key.ts'
import { applied, assertRejects, assertSchemaEquals, assertValueEquals, configure, sinkRecord } from './records.ts'

describe('ValueToKey', () => {
  it('is registered under its Kafka class name, without a key/value variant', () => {
    assert.equal(valueToKey.className, 'org.apache.kafka.connect.transforms.ValueToKey')
    assert.deepEqual(valueToKey.aliases, ['ValueToKey'])
  })

  it('builds a schemaless key from value fields', () => {
    const xform = configure(valueToKey, { fields: 'a,b' })
    const result = applied(xform, sinkRecord({ value: { a: 1, b: 2, c: 3 } }))
    assert.equal(result.keySchema, null)
    assert.deepEqual(result.key, { a: 1, b: 2 })
    assert.deepEqual(result.value, { a: 1, b: 2, c: 3 })
  })

  it('builds a struct key with the fields schemas', () => {
    const xform = configure(valueToKey, { fields: 'a,b' })
    const valueSchema = SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).field('b', Schemas.INT32_SCHEMA).field('c', Schemas.INT32_SCHEMA).build()
    const value = new Struct(valueSchema).put('a', 1).put('b', 2).put('c', 3)
    const result = applied(xform, sinkRecord({ valueSchema, value }))
    const expectedSchema = SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).field('b', Schemas.INT32_SCHEMA).build()
    assertSchemaEquals(result.keySchema, expectedSchema)
    assertValueEquals(result.key, new Struct(expectedSchema).put('a', 1).put('b', 2))
    assert.equal(applied(xform, sinkRecord({ valueSchema, value })).keySchema, result.keySchema, 'key schema is cached')
  })

  it('fails on a field the value schema does not have', () => {
    const xform = configure(valueToKey, { fields: 'not_exist' })
    const valueSchema = SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).build()
    assert.throws(
      () => xform.apply(sinkRecord({ valueSchema, value: new Struct(valueSchema).put('a', 1) })),
      (e: unknown) => e instanceof DataError && e.message === 'Field does not exist: not_exist',
    )
  })

  it('puts null for a field missing from a schemaless value', () => {
    const xform = configure(valueToKey, { fields: 'a,z' })
    assert.deepEqual(applied(xform, sinkRecord({ value: { a: 1 } })).key, { a: 1, z: null })
  })

  it('fails on a tombstone, as Kafka does', () => {
    const xform = configure(valueToKey, { fields: 'a' })
    assert.throws(() => xform.apply(sinkRecord({ value: null })), /Only Map objects supported in absence of schema for \[copying fields from value to key\], found: null/)
  })

  it('copies a null field with a default as its default unless replace.null.with.default is false', () => {
    const valueSchema = SchemaBuilder.struct().field('optional_with_default', SchemaBuilder.int32().optional().defaultValue(42).build()).build()
    const record = sinkRecord({ valueSchema, value: new Struct(valueSchema).put('optional_with_default', null) })
    assert.equal((applied(configure(valueToKey, { fields: 'optional_with_default' }), record).key as Struct).getWithoutDefault('optional_with_default'), 42)
    const keepNull = configure(valueToKey, { fields: 'optional_with_default', 'replace.null.with.default': 'false' })
    assert.equal((applied(keepNull, record).key as Struct).getWithoutDefault('optional_with_default'), null)
  })

  it('requires at least one field', () => {
    assertRejects(valueToKey, {}, 'fields', 'Missing required configuration')
    assertRejects(valueToKey, { fields: '' }, 'fields', 'Empty list')
  })
})
