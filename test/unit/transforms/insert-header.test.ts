import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Date as ConnectDate, Timestamp } from '../../../src/data/logical-types.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { insertHeader } from '../../../transforms/insert-header.ts'
import { applied, assertRejects, configure, sourceRecord } from './records.ts'

const inserted = (literal: string) => {
  const result = applied(configure(insertHeader, { header: 'inserted', 'value.literal': literal }), sourceRecord({ value: 'v' }))
  const header = result.headers.at(-1)
  assert.ok(header)
  return header
}

describe('InsertHeader', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(insertHeader.className, 'org.apache.kafka.connect.transforms.InsertHeader')
  })

  it('appends the header after the existing ones, keeping key and value', () => {
    const existing = { key: 'existing', schema: Schemas.STRING_SCHEMA, value: 'existing-value' }
    const record = sourceRecord({ key: 'key', value: 'value', headers: [existing] })
    const result = applied(configure(insertHeader, { header: 'inserted', 'value.literal': 'inserted-value' }), record)
    assert.deepEqual(result.headers, [existing, { key: 'inserted', schema: Schemas.STRING_SCHEMA, value: 'inserted-value' }])
    assert.equal(result.key, 'key')
    assert.equal(result.value, 'value')
    assert.deepEqual(record.headers, [existing], 'the input record is not changed')
  })

  it('adds the header even when one with that key exists', () => {
    const record = sourceRecord({ headers: [{ key: 'inserted', schema: null, value: 'old' }] })
    const result = applied(configure(insertHeader, { header: 'inserted', 'value.literal': 'new' }), record)
    assert.deepEqual(
      result.headers.map((h) => h.value),
      ['old', 'new'],
    )
  })

  it('types the literal as Kafka parses it', () => {
    assert.deepEqual(inserted('42'), { key: 'inserted', schema: Schemas.INT8_SCHEMA, value: 42 })
    assert.deepEqual(inserted('40000'), { key: 'inserted', schema: Schemas.INT32_SCHEMA, value: 40000 })
    assert.deepEqual(inserted('5000000000'), { key: 'inserted', schema: Schemas.INT64_SCHEMA, value: 5_000_000_000n })
    assert.deepEqual(inserted('true'), { key: 'inserted', schema: Schemas.BOOLEAN_SCHEMA, value: true })
    assert.deepEqual(inserted('1.5'), { key: 'inserted', schema: Schemas.FLOAT32_SCHEMA, value: 1.5 })
    assert.deepEqual(inserted('2024-01-31'), { key: 'inserted', schema: ConnectDate.SCHEMA, value: new Date(Date.UTC(2024, 0, 31)) })
    assert.deepEqual(inserted('2024-01-31T12:00:00.000Z'), { key: 'inserted', schema: Timestamp.SCHEMA, value: new Date(Date.UTC(2024, 0, 31, 12)) })
    assert.deepEqual(inserted('hello world'), { key: 'inserted', schema: Schemas.STRING_SCHEMA, value: 'hello world' })
    assert.deepEqual(inserted(''), { key: 'inserted', schema: Schemas.STRING_SCHEMA, value: '' })
  })

  // Kafka's InsertHeader types the literal with Values.parseString; these expectations are ValuesTest's.
  it('types an array or map literal as Kafka parses it, with the inferred schema', () => {
    assert.deepEqual(inserted('[1,2,3]'), { key: 'inserted', schema: SchemaBuilder.array(Schemas.INT8_SCHEMA).build(), value: [1, 2, 3] })
    assert.deepEqual(inserted('{"a":1}'), { key: 'inserted', schema: SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT8_SCHEMA).build(), value: new Map([['a', 1]]) })
    assert.deepEqual(inserted(' { "foo" :  12345 , "bar" : 0,  "baz" : -4321 }  '), {
      key: 'inserted',
      schema: SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT16_SCHEMA).build(),
      value: new Map([['foo', 12345], ['bar', 0], ['baz', -4321]]),
    })
    const mixed = inserted('[1, 2, 300, "four"]')
    assert.equal(mixed.schema?.type, 'array')
    assert.equal(mixed.schema?.valueSchema, undefined)
    assert.deepEqual(mixed.value, [1, 2, 300, 'four'])
  })

  it('keeps malformed arrays, null elements and literals in other cases as strings, as Kafka does', () => {
    assert.deepEqual(inserted('[1, 2, 3,,,]'), { key: 'inserted', schema: Schemas.STRING_SCHEMA, value: '[1, 2, 3,,,]' })
    assert.deepEqual(inserted('[null, 1]'), { key: 'inserted', schema: Schemas.STRING_SCHEMA, value: '[null, 1]' })
    assert.deepEqual(inserted('TRUE'), { key: 'inserted', schema: Schemas.STRING_SCHEMA, value: 'TRUE' })
    assert.deepEqual(inserted('null'), { key: 'inserted', schema: null, value: null })
  })

  it('requires both the header name and the literal', () => {
    assertRejects(insertHeader, { 'value.literal': 'x' }, 'header', 'Missing required configuration')
    assertRejects(insertHeader, { header: 'x' }, 'value.literal', 'Missing required configuration')
  })
})
