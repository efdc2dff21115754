import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { SingleFieldPath } from '../../../transforms/field-path.ts'
import { extractFieldKey, extractFieldValue } from '../../../transforms/extract-field.ts'
import { applied, assertRejects, assertSchemaEquals, configure, sinkRecord } from './records.ts'

describe('ExtractField', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(extractFieldKey.className, 'org.apache.kafka.connect.transforms.ExtractField$Key')
    assert.equal(extractFieldValue.className, 'org.apache.kafka.connect.transforms.ExtractField$Value')
  })

  it('extracts a field from a schemaless key', () => {
    const xform = configure(extractFieldKey, { field: 'magic' })
    const result = applied(xform, sinkRecord({ key: { magic: 42 } }))
    assert.equal(result.keySchema, null)
    assert.equal(result.key, 42)
  })

  it('extracts a field and its schema from a struct', () => {
    const xform = configure(extractFieldKey, { field: 'magic' })
    const keySchema = SchemaBuilder.struct().field('magic', Schemas.INT32_SCHEMA).build()
    const result = applied(xform, sinkRecord({ keySchema, key: new Struct(keySchema).put('magic', 42) }))
    assertSchemaEquals(result.keySchema, Schemas.INT32_SCHEMA)
    assert.equal(result.key, 42)
  })

  it('passes a null through, keeping the field schema when there is a schema', () => {
    const xform = configure(extractFieldKey, { field: 'magic' })
    const schemaless = applied(xform, sinkRecord({ key: null }))
    assert.equal(schemaless.key, null)
    assert.equal(schemaless.keySchema, null)
    const keySchema = SchemaBuilder.struct().field('magic', Schemas.INT32_SCHEMA).build()
    const withSchema = applied(xform, sinkRecord({ keySchema, key: null }))
    assert.equal(withSchema.key, null)
    assertSchemaEquals(withSchema.keySchema, Schemas.INT32_SCHEMA)
  })

  it('gives null for a field a schemaless map does not have', () => {
    const xform = configure(extractFieldValue, { field: 'nonexistent' })
    assert.equal(applied(xform, sinkRecord({ value: { magic: 42 } })).value, null)
  })

  it('fails on a field the schema does not have', () => {
    const xform = configure(extractFieldKey, { field: 'nonexistent' })
    const keySchema = SchemaBuilder.struct().field('magic', Schemas.INT32_SCHEMA).build()
    assert.throws(() => xform.apply(sinkRecord({ keySchema, key: new Struct(keySchema).put('magic', 42) })), /Unknown field: nonexistent/)
  })

  it('treats a dotted name as one top-level field under the default V1 syntax', () => {
    const xform = configure(extractFieldValue, { field: 'magic.foo' })
    assert.equal(applied(xform, sinkRecord({ value: { 'magic.foo': 1, magic: { foo: 2 } } })).value, 1)
  })

  it('walks nested maps and structs with field.syntax.version=V2', () => {
    const xform = configure(extractFieldKey, { field: 'magic.foo', 'field.syntax.version': 'v2' })
    assert.equal(applied(xform, sinkRecord({ key: { magic: { foo: 42 } } })).key, 42)

    const inner = SchemaBuilder.struct().field('foo', Schemas.INT32_SCHEMA).build()
    const keySchema = SchemaBuilder.struct().field('magic', inner).build()
    const key = new Struct(keySchema).put('magic', new Struct(inner).put('foo', 42))
    const result = applied(xform, sinkRecord({ keySchema, key }))
    assertSchemaEquals(result.keySchema, Schemas.INT32_SCHEMA)
    assert.equal(result.key, 42)
  })

  it('reads a null field with a default as its default unless replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct().field('magic', SchemaBuilder.int32().optional().defaultValue(42).build()).build()
    const record = sinkRecord({ valueSchema: schema, value: new Struct(schema).put('magic', null) })
    assert.equal(applied(configure(extractFieldValue, { field: 'magic' }), record).value, 42)
    assert.equal(applied(configure(extractFieldValue, { field: 'magic', 'replace.null.with.default': 'false' }), record).value, null)
  })

  it('requires a map or struct', () => {
    const xform = configure(extractFieldValue, { field: 'a' })
    assert.throws(() => xform.apply(sinkRecord({ value: 'text' })), /Only Map objects supported in absence of schema for \[field extraction\], found: string/)
  })

  it('rejects a missing field, an unknown syntax version and an unbalanced backtick', () => {
    assertRejects(extractFieldValue, {}, 'field', 'Missing required configuration')
    assertRejects(extractFieldValue, { field: 'a', 'field.syntax.version': 'V3' }, 'field.syntax.version', 'V1, V2')
    assertRejects(extractFieldValue, { field: '`a.b', 'field.syntax.version': 'V2' }, 'field', 'Incomplete backtick pair in path: [`a.b]')
  })
})

describe('SingleFieldPath', () => {
  const steps = (path: string) => new SingleFieldPath(path, 'V2').steps

  it('splits V2 paths on dots, keeping backtick-wrapped names whole', () => {
    assert.deepEqual(steps('foo'), ['foo'])
    assert.deepEqual(steps('foo.bar'), ['foo', 'bar'])
    assert.deepEqual(steps('`foo.bar`.baz'), ['foo.bar', 'baz'])
    assert.deepEqual(steps('foo.`bar.baz`'), ['foo', 'bar.baz'])
    assert.deepEqual(steps('foo.'), ['foo', ''])
    assert.deepEqual(steps('`foo`bar`.baz'), ['foo`bar', 'baz'])
    assert.deepEqual(steps('`foo\\`.bar`.baz'), ['foo`.bar', 'baz'])
  })

  it('keeps V1 paths whole', () => {
    assert.deepEqual(new SingleFieldPath('foo.bar', 'V1').steps, ['foo.bar'])
  })
})
