import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { flattenKey, flattenValue } from '../../../transforms/flatten.ts'
import { applied, assertSchemaEquals, assertValueEquals, configure, sourceRecord } from './records.ts'

describe('Flatten', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(flattenKey.className, 'org.apache.kafka.connect.transforms.Flatten$Key')
    assert.equal(flattenValue.className, 'org.apache.kafka.connect.transforms.Flatten$Value')
  })

  it('requires a struct with a schema and a map without', () => {
    const xform = configure(flattenValue)
    assert.throws(() => xform.apply(sourceRecord({ valueSchema: Schemas.INT32_SCHEMA, value: 42 })), DataError)
    assert.throws(() => xform.apply(sourceRecord({ value: 42 })), DataError)
  })

  it('flattens nested structs, joining names with dots', () => {
    const supported = SchemaBuilder.struct()
      .field('int8', Schemas.INT8_SCHEMA)
      .field('int64', Schemas.INT64_SCHEMA)
      .field('float64', Schemas.FLOAT64_SCHEMA)
      .field('boolean', Schemas.BOOLEAN_SCHEMA)
      .field('string', Schemas.STRING_SCHEMA)
      .field('bytes', Schemas.BYTES_SCHEMA)
      .build()
    const oneLevel = SchemaBuilder.struct().field('B', supported).build()
    const twoLevels = SchemaBuilder.struct().field('A', oneLevel).build()
    const bytes = new TextEncoder().encode('bytes')
    const value = new Struct(twoLevels).put(
      'A',
      new Struct(oneLevel).put(
        'B',
        new Struct(supported).put('int8', 8).put('int64', 64n).put('float64', 64).put('boolean', true).put('string', 'stringy').put('bytes', bytes),
      ),
    )

    const result = applied(configure(flattenValue), sourceRecord({ valueSchema: twoLevels, value }))
    const flat = result.value as Struct
    assert.equal(flat.schema.fields?.length, 6)
    assert.equal(flat.getInt8('A.B.int8'), 8)
    assert.equal(flat.getInt64('A.B.int64'), 64n)
    assert.equal(flat.getFloat64('A.B.float64'), 64)
    assert.equal(flat.getBoolean('A.B.boolean'), true)
    assert.equal(flat.getString('A.B.string'), 'stringy')
    assert.deepEqual(flat.getBytes('A.B.bytes'), bytes)
  })

  it('flattens nested maps with a custom delimiter', () => {
    const xform = configure(flattenValue, { delimiter: '#' })
    const result = applied(xform, sourceRecord({ value: { A: { B: { int8: 8, string: 'stringy', bytes: new Uint8Array([1]) } }, top: 1 } }))
    assert.equal(result.valueSchema, null)
    assert.deepEqual(result.value, { 'A#B#int8': 8, 'A#B#string': 'stringy', 'A#B#bytes': new Uint8Array([1]), top: 1 })
  })

  it('keeps null map entries, in order', () => {
    const value = { firstNull: null, firstNonNull: 'nonNull', secondNull: null, secondNonNull: 'alsoNonNull', thirdNonNull: null }
    const result = applied(configure(flattenValue), sourceRecord({ value }))
    assert.deepEqual(result.value, value)
    assert.deepEqual(Object.keys(result.value as object), Object.keys(value))
  })

  it('keeps arrays as they are, with or without a schema', () => {
    const value = { foo: ['bar', { baz: { lfg: 'lfg' } }] }
    assert.deepEqual(applied(configure(flattenValue), sourceRecord({ value })).value, value)

    const nested = SchemaBuilder.struct().field('lfg', Schemas.STRING_SCHEMA).build()
    const inner = SchemaBuilder.struct().field('baz', nested).build()
    const schema = SchemaBuilder.struct().field('foo', SchemaBuilder.array(inner).doc('durk').build()).build()
    const struct = new Struct(schema).put('foo', [new Struct(inner).put('baz', new Struct(nested).put('lfg', 'lfg'))])
    const result = applied(configure(flattenValue), sourceRecord({ valueSchema: schema, value: struct }))
    assertSchemaEquals(result.valueSchema, schema)
    assertValueEquals(result.value, struct)
  })

  it('makes fields under an optional struct optional, inheriting the struct default', () => {
    const builder = SchemaBuilder.struct()
      .optional()
      .field('req_field', Schemas.STRING_SCHEMA)
      .field('opt_field', SchemaBuilder.string().optional().defaultValue('child_default').build())
    const childDefault = new Struct(builder.build()).put('req_field', 'req_default')
    const schema = builder.defaultValue(childDefault).build()

    const result = applied(configure(flattenValue), sourceRecord({ valueSchema: schema, value: new Struct(schema) }))
    const fields = result.valueSchema?.fields ?? []
    assert.equal(fields.length, 2)
    assertSchemaEquals(fields[0]?.schema ?? null, SchemaBuilder.string().optional().defaultValue('req_default').build())
    assertSchemaEquals(fields[1]?.schema ?? null, SchemaBuilder.string().optional().defaultValue('child_default').build())
  })

  it('leaves the fields of a null optional nested struct null', () => {
    const inner = SchemaBuilder.struct().optional().field('opt_int32', Schemas.OPTIONAL_INT32_SCHEMA).build()
    const schema = SchemaBuilder.struct().field('B', inner).build()
    const result = applied(configure(flattenValue), sourceRecord({ valueSchema: schema, value: new Struct(schema).put('B', null) }))
    assert.equal((result.value as Struct).get('B.opt_int32'), null)
  })

  it('passes a tombstone through unchanged, with or without a schema', () => {
    const xform = configure(flattenValue)
    const schemaless = sourceRecord({ value: null })
    assert.equal(xform.apply(schemaless), schemaless)
    const schema = SchemaBuilder.struct().withName('name').version(1).field('magic', Schemas.OPTIONAL_INT64_SCHEMA).build()
    const withSchema = sourceRecord({ valueSchema: schema, value: null })
    assert.equal(xform.apply(withSchema), withSchema)
  })

  it('flattens a key', () => {
    const result = applied(configure(flattenKey), sourceRecord({ key: { A: { B: 12 } } }))
    assert.deepEqual(result.key, { 'A.B': 12 })
  })

  it('refuses maps with a schema', () => {
    const schema = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.STRING_SCHEMA).build()).build()
    assert.throws(
      () => configure(flattenValue).apply(sourceRecord({ valueSchema: schema, value: new Struct(schema).put('m', new Map()) })),
      /does not support MAP for record with schemas \(for field m\)/,
    )
  })
})
