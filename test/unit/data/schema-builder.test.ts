import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Decimal, SchemaBuilder, SchemaBuilderError, Schemas, Struct, copySchemaBasics, decimalValue, schemasEqual } from '../../../src/data/index.ts'
import { DataError } from '../../../src/plugin/errors.ts'

void describe('SchemaBuilder', () => {
  void it('builds a required primitive schema with no metadata by default', () => {
    assert.deepEqual(SchemaBuilder.int32().build(), { type: 'int32', optional: false })
  })

  void it('builds every primitive type', () => {
    const types = [
      [SchemaBuilder.int8(), 'int8'],
      [SchemaBuilder.int16(), 'int16'],
      [SchemaBuilder.int32(), 'int32'],
      [SchemaBuilder.int64(), 'int64'],
      [SchemaBuilder.float32(), 'float32'],
      [SchemaBuilder.float64(), 'float64'],
      [SchemaBuilder.bool(), 'boolean'],
      [SchemaBuilder.string(), 'string'],
      [SchemaBuilder.bytes(), 'bytes'],
    ] as const
    for (const [builder, type] of types) assert.equal(builder.build().type, type)
  })

  void it('records optionality, default, name, version, doc and parameters', () => {
    const schema = SchemaBuilder.string().optional().defaultValue('x').withName('n').version(2).doc('d').parameter('a', '1').parameters({ b: '2' }).build()
    assert.deepEqual(schema, { type: 'string', optional: true, defaultValue: 'x', name: 'n', version: 2, doc: 'd', parameters: { a: '1', b: '2' } })
  })

  void it('builds frozen schemas that later builder calls do not change', () => {
    const builder = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA)
    const first = builder.build()
    builder.field('b', Schemas.INT8_SCHEMA)
    assert.equal(first.fields?.length, 1)
    assert.ok(Object.isFrozen(first))
    assert.ok(Object.isFrozen(first.fields))
  })

  void it('numbers struct fields in declaration order', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).field('b', Schemas.STRING_SCHEMA).build()
    assert.deepEqual(schema.fields?.map((f) => [f.name, f.index]), [['a', 0], ['b', 1]])
  })

  void it('rejects fields on a non-struct type', () => {
    assert.throws(() => SchemaBuilder.int8().field('a', Schemas.INT8_SCHEMA), { message: 'Cannot create fields on type INT8' })
  })

  void it('rejects an empty field name and a duplicate field name', () => {
    assert.throws(() => SchemaBuilder.struct().field('', Schemas.INT8_SCHEMA), SchemaBuilderError)
    assert.throws(() => SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).field('a', Schemas.INT8_SCHEMA), {
      message: 'Cannot create field because of field name duplication a',
    })
  })

  void it('builds arrays and maps around their element schemas', () => {
    const array = SchemaBuilder.array(Schemas.INT32_SCHEMA).build()
    const map = SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT64_SCHEMA).optional().build()
    assert.deepEqual(array, { type: 'array', optional: false, valueSchema: Schemas.INT32_SCHEMA })
    assert.deepEqual(map, { type: 'map', optional: true, keySchema: Schemas.STRING_SCHEMA, valueSchema: Schemas.INT64_SCHEMA })
  })

  void it('refuses to build arrays and maps through type()', () => {
    assert.throws(() => SchemaBuilder.type('array'), SchemaBuilderError)
    assert.equal(SchemaBuilder.type('float64').build().type, 'float64')
  })

  void it('rejects a default that does not validate, as a DataError', () => {
    assert.throws(() => SchemaBuilder.int8().defaultValue(300), SchemaBuilderError)
    assert.throws(() => SchemaBuilder.string().defaultValue(5), DataError)
    assert.throws(() => SchemaBuilder.int32().defaultValue(null), { message: /Invalid default value/ })
  })

  void it('treats a null default on an optional schema as no default', () => {
    assert.equal('defaultValue' in SchemaBuilder.string().optional().defaultValue(null).build(), false)
  })

  void it('validates a logical default against the logical name set before it', () => {
    const schema = Decimal.builder(2).defaultValue(decimalValue(156n, 2)).build()
    assert.deepEqual(schema.defaultValue, { unscaled: 156n, scale: 2 })
    assert.throws(() => Decimal.builder(2).defaultValue(new Uint8Array([1])), SchemaBuilderError)
  })

  void it('accepts a struct default whose schema equals the one being built', () => {
    const inner = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build()
    const schema = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).defaultValue(new Struct(inner).put('a', 1)).build()
    assert.ok(schema.defaultValue instanceof Struct)
  })

  void it('lets name, version and doc be set twice only to the same value', () => {
    assert.doesNotThrow(() => SchemaBuilder.int8().withName('a').withName('a'))
    assert.throws(() => SchemaBuilder.int8().withName('a').withName('b'), { message: 'Invalid SchemaBuilder call: name has already been set.' })
    assert.throws(() => SchemaBuilder.int8().version(1).version(2), SchemaBuilderError)
    assert.throws(() => SchemaBuilder.int8().doc('a').doc('b'), SchemaBuilderError)
  })

  void it('exposes the type and the fields added so far', () => {
    const builder = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA)
    assert.equal(builder.schemaType, 'struct')
    assert.deepEqual(builder.fieldList.map((f) => f.name), ['a'])
  })

  void it('copies name, version, doc and parameters with copySchemaBasics', () => {
    const source = SchemaBuilder.struct().withName('n').version(3).doc('d').parameter('p', 'v').build()
    const copy = copySchemaBasics(source, SchemaBuilder.struct()).build()
    assert.ok(schemasEqual(copy, source))
  })
})
