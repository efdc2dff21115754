import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { replaceFieldKey, replaceFieldValue } from '../../../transforms/replace-field.ts'
import { applied, assertRejects, configure, sourceRecord } from './records.ts'

describe('ReplaceField', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(replaceFieldKey.className, 'org.apache.kafka.connect.transforms.ReplaceField$Key')
    assert.equal(replaceFieldValue.className, 'org.apache.kafka.connect.transforms.ReplaceField$Value')
  })

  it('leaves a tombstone unchanged', () => {
    const xform = configure(replaceFieldValue, { exclude: 'dont' })
    const record = sourceRecord({ value: null })
    assert.equal(xform.apply(record), record)
  })

  it('excludes, includes and renames fields of a schemaless value', () => {
    const xform = configure(replaceFieldValue, { exclude: 'dont', renames: 'abc:xyz,foo:bar' })
    const result = applied(xform, sourceRecord({ value: { dont: 'whatever', abc: 42, foo: true, etc: 'etc' } }))
    assert.deepEqual(result.value, { xyz: 42, bar: true, etc: 'etc' })
  })

  it('keeps only included fields, exclude taking precedence', () => {
    const xform = configure(replaceFieldValue, { include: 'abc,foo,dont', exclude: 'dont' })
    const result = applied(xform, sourceRecord({ value: { dont: 'whatever', abc: 42, foo: true, etc: 'etc' } }))
    assert.deepEqual(result.value, { abc: 42, foo: true })
  })

  it('rebuilds a struct with the kept and renamed fields', () => {
    const xform = configure(replaceFieldValue, { include: 'abc,foo', renames: 'abc:xyz,foo:bar' })
    const schema = SchemaBuilder.struct()
      .field('dont', Schemas.STRING_SCHEMA)
      .field('abc', Schemas.INT32_SCHEMA)
      .field('foo', Schemas.BOOLEAN_SCHEMA)
      .field('etc', Schemas.STRING_SCHEMA)
      .build()
    const value = new Struct(schema).put('dont', 'whatever').put('abc', 42).put('foo', true).put('etc', 'etc')
    const result = applied(xform, sourceRecord({ valueSchema: schema, value }))
    const updated = result.value as Struct
    assert.deepEqual(
      updated.schema.fields?.map((f) => f.name),
      ['xyz', 'bar'],
    )
    assert.equal(updated.get('xyz'), 42)
    assert.equal(updated.get('bar'), true)
    assert.equal(applied(xform, sourceRecord({ valueSchema: schema, value })).valueSchema, result.valueSchema)
  })

  it('works on the key', () => {
    const xform = configure(replaceFieldKey, { exclude: 'b' })
    assert.deepEqual(applied(xform, sourceRecord({ key: { a: 1, b: 2 } })).key, { a: 1 })
  })

  it('accepts the deprecated whitelist and blacklist when include and exclude are absent', () => {
    const xform = configure(replaceFieldValue, { whitelist: 'a,b', blacklist: 'b' })
    assert.deepEqual(applied(xform, sourceRecord({ value: { a: 1, b: 2, c: 3 } })).value, { a: 1 })
    const preferNew = configure(replaceFieldValue, { include: 'c', whitelist: 'a' })
    assert.deepEqual(applied(preferNew, sourceRecord({ value: { a: 1, b: 2, c: 3 } })).value, { c: 3 })
  })

  it('rejects a rename that is not a colon-delimited pair', () => {
    assertRejects(replaceFieldValue, { renames: 'abc:xyz,foo' }, 'renames', 'Invalid rename mapping: foo')
    assertRejects(replaceFieldValue, { renames: 'a:b:c' }, 'renames', 'Invalid rename mapping: a:b:c')
  })

  it('requires a map when there is no schema', () => {
    const xform = configure(replaceFieldValue, { exclude: 'a' })
    assert.throws(() => xform.apply(sourceRecord({ value: 'text' })), /Only Map objects supported in absence of schema for \[field replacement\]/)
  })

  it('copies a null field with a default as the default, or as null when replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct().field('opt', SchemaBuilder.int32().optional().defaultValue(42).build()).build()
    const record = sourceRecord({ valueSchema: schema, value: new Struct(schema).put('opt', null) })
    assert.equal((applied(configure(replaceFieldValue, {}), record).value as Struct).getWithoutDefault('opt'), 42)
    const keepNull = configure(replaceFieldValue, { 'replace.null.with.default': 'false' })
    assert.equal((applied(keepNull, record).value as Struct).getWithoutDefault('opt'), null)
  })
})
