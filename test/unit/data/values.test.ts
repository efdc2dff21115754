import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  Date as ConnectDate,
  Decimal,
  SchemaBuilder,
  Schemas,
  Struct,
  Time,
  Timestamp,
  decimalValue,
  displayString,
  schemasEqual,
  validateValue,
  valuesEqual,
} from '../../../src/data/index.ts'

void describe('validateValue', () => {
  void it('accepts each primitive type in its JS representation', () => {
    validateValue(Schemas.INT8_SCHEMA, -128)
    validateValue(Schemas.INT16_SCHEMA, 32767)
    validateValue(Schemas.INT32_SCHEMA, -2147483648)
    validateValue(Schemas.INT64_SCHEMA, 9223372036854775807n)
    validateValue(Schemas.INT64_SCHEMA, Number.MAX_SAFE_INTEGER)
    validateValue(Schemas.FLOAT32_SCHEMA, 1.5)
    validateValue(Schemas.FLOAT64_SCHEMA, NaN)
    validateValue(Schemas.BOOLEAN_SCHEMA, false)
    validateValue(Schemas.STRING_SCHEMA, '')
    validateValue(Schemas.BYTES_SCHEMA, new Uint8Array())
    validateValue(Schemas.BYTES_SCHEMA, Buffer.from('x'))
  })

  void it('rejects null for a required schema and accepts it for an optional one', () => {
    assert.throws(() => validateValue(Schemas.STRING_SCHEMA, null), { message: 'Invalid value: null used for required value, schema type: STRING' })
    validateValue(Schemas.OPTIONAL_STRING_SCHEMA, null)
    validateValue(Schemas.OPTIONAL_STRING_SCHEMA, undefined)
  })

  void it('rejects a value of the wrong JS type, naming the schema and the location', () => {
    assert.throws(() => validateValue(Schemas.INT32_SCHEMA, '1', 'f'), { message: 'Invalid value for schema with type INT32: string for field: "f"' })
    assert.throws(() => validateValue(Schemas.BOOLEAN_SCHEMA, 1), { name: 'DataError' })
    assert.throws(() => validateValue(Schemas.BYTES_SCHEMA, [1, 2]), { name: 'DataError' })
  })

  void it('rejects integers outside the width of their type, and fractions', () => {
    assert.throws(() => validateValue(Schemas.INT8_SCHEMA, 128), { name: 'DataError' })
    assert.throws(() => validateValue(Schemas.INT16_SCHEMA, -32769), { name: 'DataError' })
    assert.throws(() => validateValue(Schemas.INT32_SCHEMA, 2 ** 31), { name: 'DataError' })
    assert.throws(() => validateValue(Schemas.INT32_SCHEMA, 1.5), { name: 'DataError' })
    assert.throws(() => validateValue(Schemas.INT64_SCHEMA, 2n ** 63n), { name: 'DataError' })
    assert.throws(() => validateValue(Schemas.INT64_SCHEMA, 2 ** 60), { name: 'DataError' })
  })

  void it('checks array elements and map keys and values, saying where', () => {
    const array = SchemaBuilder.array(Schemas.INT8_SCHEMA).build()
    validateValue(array, [1, 2])
    assert.throws(() => validateValue(array, [1, 'x']), { message: /for element of array value/ })
    const map = SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT8_SCHEMA).build()
    validateValue(map, new Map([['a', 1]]))
    validateValue(map, { a: 1 })
    assert.throws(() => validateValue(map, new Map([[1, 1]])), { message: /for key of map value/ })
    assert.throws(() => validateValue(map, { a: 'x' }), { message: /for value of map value/ })
  })

  void it('requires the logical representation for logical schemas', () => {
    validateValue(Decimal.schema(2), decimalValue(1n, 2))
    validateValue(ConnectDate.SCHEMA, new Date(0))
    validateValue(Time.SCHEMA, new Date(0))
    validateValue(Timestamp.SCHEMA, new Date(0))
    assert.throws(() => validateValue(Decimal.schema(2), new Uint8Array([1])), { message: /schema "org.apache.kafka.connect.data.Decimal" with type BYTES/ })
    assert.throws(() => validateValue(Timestamp.SCHEMA, 0n), { name: 'DataError' })
    assert.throws(() => validateValue(ConnectDate.SCHEMA, 1), { name: 'DataError' })
  })

  void it('requires structs to carry an equal schema and their required fields', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build()
    validateValue(schema, new Struct(schema).put('a', 1))
    assert.throws(() => validateValue(schema, { a: 1 }), { name: 'DataError' })
    assert.throws(() => validateValue(schema, new Struct(schema)), { name: 'DataError' })
  })
})

void describe('schemasEqual', () => {
  void it('compares every property, deeply', () => {
    const a = () => SchemaBuilder.struct().withName('n').version(1).doc('d').parameter('k', 'v').field('f', SchemaBuilder.string().defaultValue('x').build()).build()
    assert.ok(schemasEqual(a(), a()))
    assert.ok(!schemasEqual(a(), SchemaBuilder.struct().withName('n').build()))
    assert.ok(!schemasEqual(Schemas.STRING_SCHEMA, Schemas.OPTIONAL_STRING_SCHEMA))
    assert.ok(!schemasEqual(SchemaBuilder.int8().defaultValue(1).build(), SchemaBuilder.int8().defaultValue(2).build()))
    assert.ok(!schemasEqual(SchemaBuilder.array(Schemas.INT8_SCHEMA).build(), SchemaBuilder.array(Schemas.INT16_SCHEMA).build()))
    assert.ok(schemasEqual(null, null))
    assert.ok(!schemasEqual(null, Schemas.STRING_SCHEMA))
  })

  void it('treats absent parameters like empty ones', () => {
    assert.ok(schemasEqual({ type: 'int8', optional: false }, { type: 'int8', optional: false, parameters: {} }))
  })
})

void describe('valuesEqual', () => {
  void it('compares bytes by content, arrays and maps by entries, dates by instant', () => {
    assert.ok(valuesEqual(new Uint8Array([1]), Buffer.from([1])))
    assert.ok(valuesEqual([1, [2]], [1, [2]]))
    assert.ok(valuesEqual(new Map([[1, 'a']]), new Map([[1, 'a']])))
    assert.ok(valuesEqual(new Map([['a', 1]]), { a: 1 }))
    assert.ok(valuesEqual(new Map([[[1], 'a']]), new Map([[[1], 'a']])))
    assert.ok(valuesEqual(new Date(5), new Date(5)))
    assert.ok(!valuesEqual(new Map([['a', 1]]), new Map([['a', 2]])))
  })

  void it('compares decimals by unscaled value and scale, as BigDecimal.equals', () => {
    assert.ok(valuesEqual(decimalValue(10n, 1), decimalValue(10n, 1)))
    assert.ok(!valuesEqual(decimalValue(10n, 1), decimalValue(100n, 2)))
  })

  void it('lets an int64 number equal the same bigint, and NaN equal NaN', () => {
    assert.ok(valuesEqual(5, 5n))
    assert.ok(valuesEqual(NaN, NaN))
    assert.ok(!valuesEqual(1.5, 1n))
  })
})

void describe('displayString', () => {
  void it('prints values as Java toString would', () => {
    assert.equal(displayString([1, 'a']), '[1, a]')
    assert.equal(displayString(new Map([['k', 1]])), '{k=1}')
    assert.equal(displayString(decimalValue(-5n, 3)), '-0.005')
    assert.equal(displayString(null), 'null')
  })
})
