import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mqttPayload } from '../../../connectors/mqtt/sink-payload.ts'
import { createJsonConverter } from '../../../src/converters/json-converter.ts'
import { Timestamp, decimalValue } from '../../../src/data/logical-types.ts'
import type { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'

const text = (schema: Parameters<typeof mqttPayload>[0], value: unknown): string => mqttPayload(schema, value).toString('utf8')

describe('MQTT sink payload', () => {
  it('passes bytes through untouched', () => {
    const bytes = Buffer.from([0, 1, 254, 255])
    assert.equal(mqttPayload(null, bytes), bytes)
    assert.deepEqual(mqttPayload(null, new Uint8Array([7, 8])), Buffer.from([7, 8]))
  })

  it('writes strings as UTF-8 without JSON quotes', () => {
    assert.equal(text(null, 'seq=1 ✓'), 'seq=1 ✓')
  })

  it('writes a null value (a tombstone) as an empty payload', () => {
    assert.equal(mqttPayload(null, null).length, 0)
  })

  it('writes numbers and booleans as their text', () => {
    assert.equal(text(null, 21.5), '21.5')
    assert.equal(text(null, 9007199254740993n), '9007199254740993')
    assert.equal(text(null, true), 'true')
  })

  it('writes a struct as a JSON object in field order, nested structs and arrays included', () => {
    const point = SchemaBuilder.struct().field('x', SchemaBuilder.int32().build()).field('y', SchemaBuilder.int32().build()).build()
    const schema = SchemaBuilder.struct()
      .field('id', SchemaBuilder.int64().build())
      .field('name', SchemaBuilder.string().optional().build())
      .field('at', Timestamp.SCHEMA)
      .field('where', point)
      .field('tags', SchemaBuilder.array(SchemaBuilder.string().build()).build())
      .field('raw', SchemaBuilder.bytes().build())
      .build()
    const value = new Struct(schema)
      .put('id', 12345678901234567n)
      .put('name', null)
      .put('at', new Date(1_700_000_000_000))
      .put('where', new Struct(point).put('x', 1).put('y', -2))
      .put('tags', ['a', 'b"c'])
      .put('raw', Buffer.from('hi'))
    assert.equal(
      text(schema, value),
      '{"id":12345678901234567,"name":null,"at":1700000000000,"where":{"x":1,"y":-2},"tags":["a","b\\"c"],"raw":"aGk="}',
    )
  })

  it('writes maps with string keys as objects and other maps as [key, value] pairs', () => {
    assert.equal(text(null, new Map([['a', 1], ['b', 2]])), '{"a":1,"b":2}')
    assert.equal(text(null, { a: [1, 2] }), '{"a":[1,2]}')
    assert.equal(text(null, new Map([[1, 'one']])), '[[1,"one"]]')
  })

  it('writes decimals as JSON numbers and non-finite doubles as strings, as Jackson does', () => {
    assert.equal(text(null, { price: decimalValue(12345n, 2) }), '{"price":123.45}')
    assert.equal(text(null, [Number.NaN, Number.POSITIVE_INFINITY]), '["NaN","Infinity"]')
  })

  it('writes float32 values with float32 digits and float64 values as Java doubles', () => {
    const schema = SchemaBuilder.struct()
      .field('temperature', Schemas.FLOAT32_SCHEMA)
      .field('humidity', Schemas.FLOAT64_SCHEMA)
      .field('samples', SchemaBuilder.array(Schemas.FLOAT32_SCHEMA).build())
      .field('limits', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT32_SCHEMA).build())
      .build()
    const value = new Struct(schema)
      .put('temperature', Math.fround(4.85))
      .put('humidity', 1)
      .put('samples', [Math.fround(0.1), Math.fround(12.34)])
      .put('limits', new Map([['max', Math.fround(99.9)]]))
    assert.equal(text(schema, value), '{"temperature":4.85,"humidity":1.0,"samples":[0.1,12.34],"limits":{"max":99.9}}')
    assert.equal(text(Schemas.FLOAT32_SCHEMA, Math.fround(4.85)), '4.85')
    assert.equal(text(Schemas.FLOAT64_SCHEMA, 1e21), '1.0E21')
  })

  it('writes structs, maps and arrays exactly as JsonConverter does with schemas.enable=false', () => {
    const json = createJsonConverter({ 'schemas.enable': 'false' })
    const inner = SchemaBuilder.struct().field('f', Schemas.FLOAT32_SCHEMA).field('n', Schemas.OPTIONAL_FLOAT64_SCHEMA).build()
    const schema = SchemaBuilder.struct()
      .field('a', Schemas.INT8_SCHEMA)
      .field('b', Schemas.FLOAT32_SCHEMA)
      .field('c', Schemas.FLOAT64_SCHEMA)
      .field('d', inner)
      .field('e', SchemaBuilder.array(Schemas.FLOAT32_SCHEMA).build())
      .build()
    const value = new Struct(schema)
      .put('a', -3)
      .put('b', Math.fround(3.4028234663852886e38))
      .put('c', 0.0001)
      .put('d', new Struct(inner).put('f', Number.NEGATIVE_INFINITY).put('n', null))
      .put('e', [Math.fround(1e-5), 0])
    const cases: ReadonlyArray<readonly [Schema | null, unknown]> = [
      [schema, value],
      [null, new Map<string, unknown>([['x', 1.5], ['y', 1e-7], ['z', 7]])],
      [SchemaBuilder.array(Schemas.FLOAT32_SCHEMA).build(), [Math.fround(4.85), Math.fround(-0.3)]],
    ]
    for (const [caseSchema, caseValue] of cases) {
      assert.equal(text(caseSchema, caseValue), Buffer.from(json.fromConnectData('t', caseSchema, caseValue) ?? []).toString('utf8'))
    }
  })
})
