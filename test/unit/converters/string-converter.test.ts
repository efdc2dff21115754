import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SchemaBuilder, Schemas, Struct } from '../../../src/data/index.ts'
import { createStringConverter, stringConverterPlugin } from '../../../src/converters/string-converter.ts'
import { ConfigError } from '../../../src/plugin/errors.ts'
import { describeConverterContract } from './converter-contract.ts'

describeConverterContract({
  name: 'StringConverter',
  plugin: stringConverterPlugin,
  roundTrips: [
    { schema: Schemas.STRING_SCHEMA, value: 'hello' },
    { schema: null, value: 'ünïcödé ✓' },
    { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: '' },
  ],
  nullableSchemas: [null, Schemas.OPTIONAL_STRING_SCHEMA],
})

const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('latin1'))

void describe('StringConverter', () => {
  void it('is registered as org.apache.kafka.connect.storage.StringConverter', () => {
    assert.equal(stringConverterPlugin.className, 'org.apache.kafka.connect.storage.StringConverter')
    assert.deepEqual(stringConverterPlugin.aliases, ['StringConverter', 'string'])
  })

  void it('encodes strings as UTF-8 by default', () => {
    assert.deepEqual([...(createStringConverter().fromConnectData('t', null, 'é') ?? [])], [0xc3, 0xa9])
  })

  void it('reads bytes as an optional string', () => {
    assert.deepEqual(createStringConverter().toConnectData('t', Buffer.from('abc')), { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: 'abc' })
    assert.deepEqual(createStringConverter().toConnectData('t', null), { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: null })
  })

  void it('uses converter.encoding, with Java or Node names, in any case', () => {
    assert.deepEqual([...(createStringConverter({ 'converter.encoding': 'ISO-8859-1' }).fromConnectData('t', null, 'é') ?? [])], [0xe9])
    assert.equal(createStringConverter({ 'converter.encoding': 'latin1' }).toConnectData('t', new Uint8Array([0xe9])).value, 'é')
    assert.equal(createStringConverter({ 'converter.encoding': 'UTF8' }).toConnectData('t', Buffer.from('ok')).value, 'ok')
  })

  // Kafka's StringConverterTest.testToBytesNonUtf8Encoding / testBytesToStringNonUtf8Encoding: Java's UTF-16 writes a
  // big-endian byte-order mark, then big-endian units.
  void it('writes and reads UTF-16 as Java does, with a big-endian byte-order mark', () => {
    const converter = createStringConverter({ 'converter.encoding': 'UTF-16' })
    const sample = 'a string'
    const expected = [0xfe, 0xff, ...[...sample].flatMap((c) => [0, c.charCodeAt(0)])]
    assert.deepEqual([...(converter.fromConnectData('t', Schemas.STRING_SCHEMA, sample) ?? [])], expected)
    assert.equal(converter.toConnectData('t', Buffer.from(expected)).value, sample)
  })

  void it('accepts the Java charsets Node lacks, by Java name or alias, in any case', () => {
    const bytesOf = (encoding: string, value: string): number[] => [...(createStringConverter({ 'converter.encoding': encoding }).fromConnectData('t', null, value) ?? [])]
    assert.deepEqual(bytesOf('utf-16be', 'é'), [0x00, 0xe9])
    assert.deepEqual(bytesOf('UnicodeBigUnmarked', 'é'), [0x00, 0xe9])
    assert.deepEqual(bytesOf('UTF-16LE', 'é'), [0xe9, 0x00])
    assert.deepEqual(bytesOf('iso8859_1', 'é€'), [0xe9, 0x3f])
    assert.deepEqual(bytesOf('US-ASCII', 'é'), [0x3f])
    assert.deepEqual(bytesOf('ascii', 'ok'), [0x6f, 0x6b])
  })

  void it('rejects an unknown encoding with a ConfigError naming the key', () => {
    assert.throws(() => createStringConverter({ 'converter.encoding': 'EBCDIC' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.key, 'converter.encoding')
      return true
    })
  })

  void it('writes non-string values as their text', () => {
    const converter = createStringConverter()
    assert.equal(text(converter.fromConnectData('t', Schemas.INT32_SCHEMA, 42)), '42')
    assert.equal(text(converter.fromConnectData('t', Schemas.INT64_SCHEMA, 42n)), '42')
    assert.equal(text(converter.fromConnectData('t', Schemas.FLOAT64_SCHEMA, 1)), '1.0')
    assert.equal(text(converter.fromConnectData('t', Schemas.BOOLEAN_SCHEMA, true)), 'true')
    const schema = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build()
    assert.equal(text(converter.fromConnectData('t', schema, new Struct(schema).put('a', 1))), 'Struct{a=1}')
  })

  void it('decodes byte values as text rather than printing an array identity', () => {
    assert.equal(text(createStringConverter().fromConnectData('t', Schemas.BYTES_SCHEMA, Buffer.from('raw'))), 'raw')
  })
})
