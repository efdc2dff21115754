import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Schemas } from '../../../src/data/index.ts'
import { ByteArrayConverter, byteArrayConverterPlugin } from '../../../src/converters/byte-array-converter.ts'
import { describeConverterContract } from './converter-contract.ts'

describeConverterContract({
  name: 'ByteArrayConverter',
  plugin: byteArrayConverterPlugin,
  roundTrips: [
    { schema: Schemas.BYTES_SCHEMA, value: new Uint8Array([0, 1, 255]) },
    { schema: null, value: new Uint8Array() },
  ],
  nullableSchemas: [null, Schemas.OPTIONAL_BYTES_SCHEMA],
})

void describe('ByteArrayConverter', () => {
  void it('is registered as org.apache.kafka.connect.converters.ByteArrayConverter', () => {
    assert.equal(byteArrayConverterPlugin.className, 'org.apache.kafka.connect.converters.ByteArrayConverter')
  })

  void it('passes bytes through untouched', () => {
    const bytes = new Uint8Array([1, 2, 3])
    assert.equal(new ByteArrayConverter().fromConnectData('t', Schemas.BYTES_SCHEMA, bytes), bytes)
    assert.deepEqual(new ByteArrayConverter().toConnectData('t', bytes), { schema: Schemas.OPTIONAL_BYTES_SCHEMA, value: bytes })
  })

  void it('refuses values that are not bytes, as Kafka does', () => {
    assert.throws(() => new ByteArrayConverter().fromConnectData('t', null, 'text'), {
      name: 'DataError',
      message: 'ByteArrayConverter is not compatible with objects of type string',
    })
  })

  void it('refuses a schema that is not bytes', () => {
    assert.throws(() => new ByteArrayConverter().fromConnectData('t', Schemas.STRING_SCHEMA, new Uint8Array()), {
      message: 'Invalid schema type for ByteArrayConverter: STRING',
    })
  })
})
