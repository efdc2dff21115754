import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { headerFromKey, headerFromValue } from '../../../transforms/header-from.ts'
import { applied, assertRejects, assertValueEquals, configure, sourceRecord } from './records.ts'

const existing = { key: 'header1', schema: Schemas.STRING_SCHEMA, value: 'existing-value' }
const nested = SchemaBuilder.struct().field('foo', Schemas.STRING_SCHEMA).build()
const nestedValue = new Struct(nested).put('foo', 'foo-value')

const structOf = (fields: readonly (readonly [string, Schema, unknown])[]): Struct => {
  const builder = SchemaBuilder.struct()
  for (const [name, schema] of fields) builder.field(name, schema)
  const struct = new Struct(builder.build())
  for (const [name, , value] of fields) struct.put(name, value)
  return struct
}

describe('HeaderFrom', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(headerFromKey.className, 'org.apache.kafka.connect.transforms.HeaderFrom$Key')
    assert.equal(headerFromValue.className, 'org.apache.kafka.connect.transforms.HeaderFrom$Value')
  })

  for (const [variant, plugin, part] of [
    ['value', headerFromValue, 'value'],
    ['key', headerFromKey, 'key'],
  ] as const) {
    describe(`on the ${variant}`, () => {
      const record = (schema: Schema | null, content: unknown) =>
        part === 'key' ? sourceRecord({ keySchema: schema, key: content, value: 'value', headers: [existing] }) : sourceRecord({ valueSchema: schema, value: content, key: 'key', headers: [existing] })
      const content = (r: ReturnType<typeof record>) => (part === 'key' ? r.key : r.value)

      it('copies schemaless fields to headers without schemas, after the existing headers', () => {
        const xform = configure(plugin, { fields: 'field1', headers: 'inserted1', operation: 'copy' })
        const result = applied(xform, record(null, { field1: 'field1-value', field2: 'field2-value' }))
        assert.deepEqual(content(result), { field1: 'field1-value', field2: 'field2-value' })
        assert.deepEqual(result.headers, [existing, { key: 'inserted1', schema: null, value: 'field1-value' }])
      })

      it('moves schemaless fields, even two to the same header', () => {
        const xform = configure(plugin, { fields: 'field1,field2', headers: 'inserted1,inserted1', operation: 'move' })
        const result = applied(xform, record(null, { field1: 'field1-value', field2: 'field2-value', field3: 'x' }))
        assert.deepEqual(content(result), { field3: 'x' })
        assert.deepEqual(
          result.headers.map((h) => [h.key, h.value]),
          [
            ['header1', 'existing-value'],
            ['inserted1', 'field1-value'],
            ['inserted1', 'field2-value'],
          ],
        )
      })

      it('copies struct fields with their schemas, struct-valued ones included', () => {
        const xform = configure(plugin, { fields: 'field1,field2', headers: 'inserted1,inserted2', operation: 'copy' })
        const struct = structOf([
          ['field1', nested, nestedValue],
          ['field2', Schemas.STRING_SCHEMA, 'field2-value'],
        ])
        const result = applied(xform, record(struct.schema, struct))
        assert.equal(content(result), struct)
        assert.deepEqual(result.headers.slice(1), [
          { key: 'inserted1', schema: nested, value: nestedValue },
          { key: 'inserted2', schema: Schemas.STRING_SCHEMA, value: 'field2-value' },
        ])
      })

      it('moves struct fields, one field to two headers', () => {
        const xform = configure(plugin, { fields: 'field1,field1', headers: 'inserted1,inserted2', operation: 'move' })
        const struct = structOf([
          ['field1', Schemas.STRING_SCHEMA, 'field1-value'],
          ['field2', Schemas.STRING_SCHEMA, 'field2-value'],
        ])
        const result = applied(xform, record(struct.schema, struct))
        assertValueEquals(content(result), structOf([['field2', Schemas.STRING_SCHEMA, 'field2-value']]))
        assert.deepEqual(
          result.headers.map((h) => [h.key, h.value]),
          [
            ['header1', 'existing-value'],
            ['inserted1', 'field1-value'],
            ['inserted2', 'field1-value'],
          ],
        )
      })
    })
  }

  it('fails on a tombstone, as Kafka does', () => {
    const xform = configure(headerFromValue, { fields: 'a', headers: 'b', operation: 'copy' })
    assert.throws(() => xform.apply(sourceRecord({ value: null })), /Only Map objects supported in absence of schema for \[header copy\], found: null/)
  })

  it('fails on a field the schema does not have', () => {
    const xform = configure(headerFromValue, { fields: 'missing', headers: 'b', operation: 'copy' })
    const struct = structOf([['a', Schemas.STRING_SCHEMA, 'x']])
    assert.throws(() => xform.apply(sourceRecord({ valueSchema: struct.schema, value: struct })), /Field does not exist: missing/)
  })

  it('rejects mismatched lists, empty lists and an unknown operation', () => {
    assertRejects(headerFromValue, { fields: 'foo,bar', headers: 'foo', operation: 'copy' }, 'headers', "'fields' config must have the same number of elements as 'headers' config.")
    assertRejects(headerFromValue, { fields: '', headers: 'foo', operation: 'copy' }, 'fields', 'Empty list')
    assertRejects(headerFromValue, { fields: 'foo', headers: 'foo', operation: 'transmogrify' }, 'operation', 'String must be one of: move, copy')
    assertRejects(headerFromValue, { fields: 'foo', headers: 'foo' }, 'operation', 'Missing required configuration')
  })
})
