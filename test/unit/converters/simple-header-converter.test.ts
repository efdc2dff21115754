import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SchemaBuilder, Schemas, Struct, Timestamp, valuesEqual } from '../../../src/data/index.ts'
import type { Schema } from '../../../src/data/index.ts'
import { SimpleHeaderConverter, simpleHeaderConverterPlugin } from '../../../src/converters/simple-header-converter.ts'

const converter = new SimpleHeaderConverter()
const write = (schema: Schema | null, value: unknown): string | null => {
  const bytes = converter.fromConnectHeader('topic', 'h', schema, value)
  return bytes === null ? null : Buffer.from(bytes).toString('utf8')
}
const read = (text: string) => converter.toConnectHeader('topic', 'h', Buffer.from(text, 'utf8'))

void describe('SimpleHeaderConverter', () => {
  void it('is registered as org.apache.kafka.connect.storage.SimpleHeaderConverter', () => {
    assert.equal(simpleHeaderConverterPlugin.className, 'org.apache.kafka.connect.storage.SimpleHeaderConverter')
    assert.equal(simpleHeaderConverterPlugin.version, '0.1.0')
  })

  void it('writes strings as UTF-8, as they are', () => {
    assert.equal(write(Schemas.STRING_SCHEMA, 'héllo "x"'), 'héllo "x"')
  })

  void it('writes numbers and booleans as their text', () => {
    assert.equal(write(Schemas.INT32_SCHEMA, 42), '42')
    assert.equal(write(Schemas.INT64_SCHEMA, 9223372036854775807n), '9223372036854775807')
    assert.equal(write(Schemas.FLOAT64_SCHEMA, 2), '2.0')
    assert.equal(write(Schemas.BOOLEAN_SCHEMA, false), 'false')
  })

  void it('writes arrays, maps and structs as Kafka\'s Values.convertToString does', () => {
    assert.equal(write(SchemaBuilder.array(Schemas.STRING_SCHEMA).build(), ['a', 'b']), '["a","b"]')
    assert.equal(write(null, new Map([['k', 1]])), '{"k":1}')
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32_SCHEMA).field('name', Schemas.STRING_SCHEMA).build()
    assert.equal(write(schema, new Struct(schema).put('id', 1).put('name', 'x')), '{"id":1,"name":"x"}')
  })

  void it('writes a null value as null bytes and reads null bytes as a null value', () => {
    assert.equal(write(Schemas.OPTIONAL_STRING_SCHEMA, null), null)
    assert.deepEqual(converter.toConnectHeader('topic', 'h', null), { schema: null, value: null })
  })

  void it('reads text back with an inferred schema', () => {
    assert.deepEqual(read('hello'), { schema: Schemas.STRING_SCHEMA, value: 'hello' })
    assert.deepEqual(read(''), { schema: Schemas.STRING_SCHEMA, value: '' })
    assert.deepEqual(read('true'), { schema: Schemas.BOOLEAN_SCHEMA, value: true })
    assert.deepEqual(read('42'), { schema: Schemas.INT8_SCHEMA, value: 42 })
    assert.deepEqual(read('1000'), { schema: Schemas.INT16_SCHEMA, value: 1000 })
    assert.deepEqual(read('2.5'), { schema: Schemas.FLOAT32_SCHEMA, value: 2.5 })
    assert.deepEqual(read('null'), { schema: null, value: null })
  })

  void it('round-trips timestamps and arrays', () => {
    const at = new Date(Date.UTC(2024, 4, 1, 12, 30, 0, 250))
    assert.deepEqual(read(write(Timestamp.SCHEMA, at) ?? ''), { schema: Timestamp.SCHEMA, value: at })
    const back = read(write(SchemaBuilder.array(Schemas.INT8_SCHEMA).build(), [1, 2, 3]) ?? '')
    assert.ok(valuesEqual(back.value, [1, 2, 3]))
  })

  void it('reads bytes that are not UTF-8 as bytes', () => {
    const bytes = new Uint8Array([0xff, 0xfe])
    assert.deepEqual(converter.toConnectHeader('topic', 'h', bytes), { schema: Schemas.BYTES_SCHEMA, value: bytes })
  })
})
