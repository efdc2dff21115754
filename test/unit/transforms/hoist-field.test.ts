import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { hoistFieldKey, hoistFieldValue } from '../../../transforms/hoist-field.ts'
import { applied, assertRejects, assertSchemaEquals, assertValueEquals, configure, sinkRecord } from './records.ts'

describe('HoistField', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(hoistFieldKey.className, 'org.apache.kafka.connect.transforms.HoistField$Key')
    assert.equal(hoistFieldValue.className, 'org.apache.kafka.connect.transforms.HoistField$Value')
  })

  it('wraps a schemaless key in a map', () => {
    const xform = configure(hoistFieldKey, { field: 'magic' })
    const result = applied(xform, sinkRecord({ key: 42 }))
    assert.equal(result.keySchema, null)
    assert.deepEqual(result.key, { magic: 42 })
  })

  it('wraps a value with a schema in a one-field struct', () => {
    const xform = configure(hoistFieldKey, { field: 'magic' })
    const result = applied(xform, sinkRecord({ keySchema: Schemas.INT32_SCHEMA, key: 42 }))
    const expected = SchemaBuilder.struct().field('magic', Schemas.INT32_SCHEMA).build()
    assertSchemaEquals(result.keySchema, expected)
    assertValueEquals(result.key, new Struct(expected).put('magic', 42))
    assert.equal(applied(xform, sinkRecord({ keySchema: Schemas.INT32_SCHEMA, key: 7 })).keySchema, result.keySchema)
  })

  it('wraps a null too: as a null field without a schema, and with an optional schema', () => {
    const xform = configure(hoistFieldValue, { field: 'magic' })
    assert.deepEqual(applied(xform, sinkRecord({ value: null })).value, { magic: null })
    const result = applied(xform, sinkRecord({ valueSchema: Schemas.OPTIONAL_STRING_SCHEMA, value: null }))
    assert.equal((result.value as Struct).get('magic'), null)
  })

  it('cannot wrap a null with a required schema', () => {
    const xform = configure(hoistFieldValue, { field: 'magic' })
    assert.throws(() => xform.apply(sinkRecord({ valueSchema: Schemas.STRING_SCHEMA, value: null })), DataError)
  })

  it('requires the field name', () => {
    assertRejects(hoistFieldValue, {}, 'field', 'Missing required configuration')
  })
})
