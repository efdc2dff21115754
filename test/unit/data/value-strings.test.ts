import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  Date as ConnectDate,
  SchemaBuilder,
  Schemas,
  Struct,
  Time,
  Timestamp,
  convertToString,
  decimalValue,
  parseString,
} from '../../../src/data/index.ts'

void describe('convertToString', () => {
  void it('writes strings as they are and null as null', () => {
    assert.equal(convertToString(Schemas.STRING_SCHEMA, 'a "b"'), 'a "b"')
    assert.equal(convertToString(null, null), null)
  })

  void it('writes numbers as Java prints them, guided by the schema', () => {
    assert.equal(convertToString(Schemas.INT32_SCHEMA, 42), '42')
    assert.equal(convertToString(Schemas.INT64_SCHEMA, 9223372036854775807n), '9223372036854775807')
    assert.equal(convertToString(Schemas.FLOAT64_SCHEMA, 1), '1.0')
    assert.equal(convertToString(Schemas.FLOAT32_SCHEMA, 12.34), '12.34')
    assert.equal(convertToString(null, 1.5), '1.5')
    assert.equal(convertToString(null, decimalValue(156n, 2)), '1.56')
  })

  void it('writes booleans, bytes as base64, arrays and maps in brackets with quoted strings', () => {
    assert.equal(convertToString(null, true), 'true')
    assert.equal(convertToString(null, new Uint8Array([0, 156])), 'AJw=')
    assert.equal(convertToString(null, [1, 'a', null]), '[1,"a",null]')
    assert.equal(convertToString(null, new Map<unknown, unknown>([['k', 'v'], [2, [true]]])), '{"k":"v",2:[true]}')
    assert.equal(convertToString(null, ['say "hi" \\o/']), '["say \\"hi\\" \\\\o/"]')
  })

  void it('writes structs with quoted field names, using defaults', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).field('b', SchemaBuilder.string().defaultValue('d').build()).build()
    assert.equal(convertToString(schema, new Struct(schema).put('a', 1)), '{"a":1,"b":"d"}')
  })

  void it('writes dates, times and timestamps in ISO-8601 UTC', () => {
    assert.equal(convertToString(ConnectDate.SCHEMA, new Date(Date.UTC(2024, 0, 31))), '2024-01-31')
    assert.equal(convertToString(Time.SCHEMA, new Date(3723004)), '01:02:03.004Z')
    assert.equal(convertToString(Timestamp.SCHEMA, new Date(Date.UTC(2024, 0, 31, 1, 2, 3, 4))), '2024-01-31T01:02:03.004Z')
  })
})

void describe('parseString', () => {
  void it('reads the empty string, blanks and plain text as strings', () => {
    assert.deepEqual(parseString(''), { schema: Schemas.STRING_SCHEMA, value: '' })
    assert.deepEqual(parseString('   '), { schema: Schemas.STRING_SCHEMA, value: '   ' })
    assert.deepEqual(parseString('hello world'), { schema: Schemas.STRING_SCHEMA, value: 'hello world' })
    assert.deepEqual(parseString('true}'), { schema: Schemas.STRING_SCHEMA, value: 'true}' })
  })

  void it('reads null, true and false', () => {
    assert.deepEqual(parseString('null'), { schema: null, value: null })
    assert.deepEqual(parseString('true'), { schema: Schemas.BOOLEAN_SCHEMA, value: true })
    assert.deepEqual(parseString(' false '), { schema: Schemas.BOOLEAN_SCHEMA, value: false })
  })

  void it('reads integers into the narrowest integer type', () => {
    assert.deepEqual(parseString('42'), { schema: Schemas.INT8_SCHEMA, value: 42 })
    assert.deepEqual(parseString('-300'), { schema: Schemas.INT16_SCHEMA, value: -300 })
    assert.deepEqual(parseString('70000'), { schema: Schemas.INT32_SCHEMA, value: 70000 })
    assert.deepEqual(parseString('9223372036854775807'), { schema: Schemas.INT64_SCHEMA, value: 9223372036854775807n })
    assert.deepEqual(parseString('1.0'), { schema: Schemas.INT8_SCHEMA, value: 1 })
  })

  void it('reads fractions as float32, then float64, then a Decimal', () => {
    assert.deepEqual(parseString('12.5'), { schema: Schemas.FLOAT32_SCHEMA, value: 12.5 })
    assert.deepEqual(parseString('1.5E300'), { schema: Schemas.FLOAT64_SCHEMA, value: 1.5e300 })
    const huge = parseString('9223372036854775808')
    assert.equal(huge.schema?.name, 'org.apache.kafka.connect.data.Decimal')
    assert.deepEqual(huge.value, { unscaled: 9223372036854775808n, scale: 0 })
  })

  void it('reads ISO-8601 dates, times and timestamps', () => {
    assert.deepEqual(parseString('2024-01-31'), { schema: ConnectDate.SCHEMA, value: new Date(Date.UTC(2024, 0, 31)) })
    assert.deepEqual(parseString('01:02:03.004Z'), { schema: Time.SCHEMA, value: new Date(3723004) })
    assert.deepEqual(parseString('2024-01-31T01:02:03.004Z'), { schema: Timestamp.SCHEMA, value: new Date(Date.UTC(2024, 0, 31, 1, 2, 3, 4)) })
    assert.deepEqual(parseString('2024-02-30'), { schema: Schemas.STRING_SCHEMA, value: '2024-02-30' })
  })

  void it('reads arrays with a common, widened element schema', () => {
    assert.deepEqual(parseString('[1, 2, 3]'), { schema: SchemaBuilder.array(Schemas.INT8_SCHEMA).build(), value: [1, 2, 3] })
    assert.deepEqual(parseString('[1, 3000000000]'), { schema: SchemaBuilder.array(Schemas.INT64_SCHEMA).build(), value: [1n, 3000000000n] })
    assert.deepEqual(parseString('["a","b"]'), { schema: SchemaBuilder.array(Schemas.STRING_SCHEMA).build(), value: ['a', 'b'] })
    assert.deepEqual(parseString('[]').value, [])
  })

  void it('reads maps with common key and value schemas', () => {
    const parsed = parseString('{"a":1,"b":2}')
    assert.deepEqual(parsed.schema, SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT8_SCHEMA).build())
    assert.deepEqual(parsed.value, new Map([['a', 1], ['b', 2]]))
  })

  // Kafka's ValuesTest: shouldParseNullArrayElements, shouldParseNullMapValues, shouldParseStringListWith{NullFirst,NullLast}AsString.
  void it('reads nulls among typed elements as text, and arrays or maps of nulls only as values', () => {
    assert.deepEqual(parseString('[null, 1]'), { schema: Schemas.STRING_SCHEMA, value: '[null, 1]' })
    assert.deepEqual(parseString('[1, null]'), { schema: Schemas.STRING_SCHEMA, value: '[1, null]' })
    assert.deepEqual(parseString('{"a":null,"b":1}'), { schema: Schemas.STRING_SCHEMA, value: '{"a":null,"b":1}' })
    const nulls = parseString('[null]')
    assert.equal(nulls.schema?.type, 'array')
    assert.deepEqual(nulls.value, [null])
    const nullValues = parseString('{3: null}')
    assert.equal(nullValues.schema?.type, 'map')
    assert.equal(nullValues.schema?.keySchema?.type, 'int8')
    assert.deepEqual(nullValues.value, new Map([[3, null]]))
  })

  void it('falls back to the whole text when brackets do not parse', () => {
    assert.deepEqual(parseString('[1, 2'), { schema: Schemas.STRING_SCHEMA, value: '[1, 2' })
    assert.deepEqual(parseString('{a}'), { schema: Schemas.STRING_SCHEMA, value: '{a}' })
  })

  void it('reads back what convertToString wrote', () => {
    for (const value of [true, 42, -7, 12.5, 'text', [1, 2], ['x "y"', 'z']]) {
      const text = convertToString(null, value)
      assert.ok(text !== null)
      assert.deepEqual(parseString(text).value, value, text)
    }
  })
})
