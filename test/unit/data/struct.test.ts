import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SchemaBuilder, Schemas, Struct } from '../../../src/data/index.ts'
import { DataError } from '../../../src/plugin/errors.ts'

const schema = SchemaBuilder.struct()
  .field('id', Schemas.INT64_SCHEMA)
  .field('name', Schemas.OPTIONAL_STRING_SCHEMA)
  .field('level', SchemaBuilder.int32().defaultValue(7).build())
  .build()

void describe('Struct', () => {
  void it('can only be created from a struct schema', () => {
    assert.throws(() => new Struct(Schemas.STRING_SCHEMA), { message: 'Not a struct schema: Schema{STRING}' })
  })

  void it('returns put values and null for unset fields', () => {
    const struct = new Struct(schema).put('id', 1n).put('name', 'a')
    assert.equal(struct.get('id'), 1n)
    assert.equal(struct.get('name'), 'a')
    assert.equal(new Struct(schema).get('name'), null)
  })

  void it('returns the field default when the field is unset, but not from getWithoutDefault', () => {
    const struct = new Struct(schema)
    assert.equal(struct.get('level'), 7)
    assert.equal(struct.getWithoutDefault('level'), null)
  })

  void it('throws a DataError for an unknown field name', () => {
    assert.throws(() => new Struct(schema).get('nope'), { name: 'DataError', message: 'nope is not a valid field name' })
    assert.throws(() => new Struct(schema).put('nope', 1), DataError)
  })

  void it('validates put values against the field schema', () => {
    assert.throws(() => new Struct(schema).put('id', 'x'), { message: /Invalid value for schema with type INT64: string for field: "id"/ })
    assert.throws(() => new Struct(schema).put('id', null), { message: 'Invalid value: null used for required field: "id", schema type: INT64' })
  })

  void it('accepts a safe-integer number for an int64 field', () => {
    assert.equal(new Struct(schema).put('id', 5).get('id'), 5)
  })

  void it('validate() requires every required field without a default', () => {
    assert.throws(() => new Struct(schema).validate(), { message: /null used for required field: "id"/ })
    assert.doesNotThrow(() => new Struct(schema).put('id', 1n).validate())
  })

  void it('checks the field type in typed getters', () => {
    const struct = new Struct(schema).put('id', 1n).put('name', 'n')
    assert.equal(struct.getString('name'), 'n')
    assert.equal(struct.getInt64('id'), 1n)
    assert.equal(struct.getInt32('level'), 7)
    assert.throws(() => struct.getString('id'), { message: "Field 'id' is not of type STRING" })
  })

  void it('equals another struct with an equal schema and equal values', () => {
    const other = SchemaBuilder.struct()
      .field('id', Schemas.INT64_SCHEMA)
      .field('name', Schemas.OPTIONAL_STRING_SCHEMA)
      .field('level', SchemaBuilder.int32().defaultValue(7).build())
      .build()
    assert.ok(new Struct(schema).put('id', 1n).equals(new Struct(other).put('id', 1n)))
    assert.ok(new Struct(schema).put('id', 1n).equals(new Struct(other).put('id', 1)))
    assert.ok(!new Struct(schema).put('id', 1n).equals(new Struct(other).put('id', 2n)))
    assert.ok(!new Struct(schema).equals('Struct{}'))
  })

  void it('compares nested values deeply', () => {
    const nested = SchemaBuilder.struct().field('bytes', Schemas.BYTES_SCHEMA).field('list', SchemaBuilder.array(Schemas.INT8_SCHEMA).build()).build()
    const a = new Struct(nested).put('bytes', new Uint8Array([1, 2])).put('list', [1, 2])
    const b = new Struct(nested).put('bytes', Buffer.from([1, 2])).put('list', [1, 2])
    assert.ok(a.equals(b))
  })

  void it('prints the set fields as Kafka does', () => {
    assert.equal(new Struct(schema).put('id', 1n).put('name', 'x').toString(), 'Struct{id=1,name=x}')
  })

  void it('accepts a nested struct only when its schema equals the field schema', () => {
    const inner = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build()
    const outer = SchemaBuilder.struct().field('inner', inner).build()
    const otherInner = SchemaBuilder.struct().field('a', Schemas.INT16_SCHEMA).build()
    assert.doesNotThrow(() => new Struct(outer).put('inner', new Struct(inner).put('a', 1)))
    assert.throws(() => new Struct(outer).put('inner', new Struct(otherInner).put('a', 1)), { message: 'Struct schemas do not match.' })
    assert.throws(() => new Struct(outer).put('inner', new Struct(inner)), { message: /null used for required field: "a"/ })
  })
})
