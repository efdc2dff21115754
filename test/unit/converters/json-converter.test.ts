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
  valuesEqual,
} from '../../../src/data/index.ts'
import type { Schema, SchemaAndValue } from '../../../src/data/index.ts'
import { asConnectSchema, asJsonSchema, createJsonConverter, jsonConverterPlugin } from '../../../src/converters/json-converter.ts'
import { ConfigError, DataError } from '../../../src/plugin/errors.ts'
import { describeConverterContract } from './converter-contract.ts'

// Cases ported from Kafka's JsonConverterTest: the same inputs, and the same expected JSON (compared parsed, or as
// exact text where Kafka's output order is fixed).

const TOPIC = 'topic'
const converter = createJsonConverter()
const schemaless = createJsonConverter({ 'schemas.enable': 'false' })

const toConnect = (json: string, c = converter): SchemaAndValue => c.toConnectData(TOPIC, Buffer.from(json))
const toText = (schema: Schema | null, value: unknown, c = converter): string => {
  const bytes = c.fromConnectData(TOPIC, schema, value)
  assert.ok(bytes !== null)
  return Buffer.from(bytes).toString('utf8')
}
const toJson = (schema: Schema | null, value: unknown, c = converter): unknown => JSON.parse(toText(schema, value, c))

const assertSchemaAndValue = (actual: SchemaAndValue, schema: Schema | null, value: unknown): void => {
  assert.deepEqual(actual.schema, schema)
  assert.ok(valuesEqual(actual.value, value), `expected ${String(value)}, got ${String(actual.value)}`)
}

const structSchema = SchemaBuilder.struct().field('field1', Schemas.BOOLEAN_SCHEMA).field('field2', Schemas.STRING_SCHEMA).build()

describeConverterContract({
  name: 'JsonConverter with schemas',
  plugin: jsonConverterPlugin,
  roundTrips: [
    { schema: Schemas.INT32_SCHEMA, value: 12 },
    { schema: Schemas.INT64_SCHEMA, value: 9223372036854775807n },
    { schema: Schemas.FLOAT64_SCHEMA, value: 12.34 },
    { schema: Schemas.STRING_SCHEMA, value: 'quote " backslash \\ newline \n' },
    { schema: Schemas.BYTES_SCHEMA, value: new Uint8Array([0, 255]) },
    { schema: structSchema, value: new Struct(structSchema).put('field1', true).put('field2', 'x') },
    { schema: SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.STRING_SCHEMA).build(), value: new Map([[1, 'a']]) },
    { schema: Decimal.schema(2), value: decimalValue(-156n, 2) },
    { schema: Timestamp.SCHEMA, value: new Date(4000000000) },
    { schema: null, value: [1n, 'two', true] },
  ],
  // Kafka's JsonConverter writes a tombstone only for a null value without a schema; with one it writes an envelope.
  nullableSchemas: [null],
  malformed: [Buffer.from('{"schema":'), Buffer.from('not json'), Buffer.from('{"payload":1}'), new Uint8Array([0xff, 0xfe])],
})

describeConverterContract({
  name: 'JsonConverter without schemas',
  plugin: jsonConverterPlugin,
  options: { 'schemas.enable': 'false' },
  roundTrips: [
    { schema: null, value: 12, expected: 12n },
    { schema: null, value: 12.5 },
    { schema: null, value: 'text' },
    { schema: null, value: new Map<string, unknown>([['a', 1n], ['b', [true, null]]]) },
    { schema: Schemas.INT64_SCHEMA, value: 9223372036854775807n },
  ],
  nullableSchemas: [null],
  malformed: [Buffer.from('[1,'), Buffer.from('{"a" 1}')],
})

void describe('JsonConverter: envelope to Connect data', () => {
  void it('translates schema metadata', () => {
    assertSchemaAndValue(toConnect('{ "schema": { "type": "boolean" }, "payload": true }'), Schemas.BOOLEAN_SCHEMA, true)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "boolean", "optional": true }, "payload": null }'), Schemas.OPTIONAL_BOOLEAN_SCHEMA, null)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "boolean", "default": true }, "payload": null }'), SchemaBuilder.bool().defaultValue(true).build(), true)
    assertSchemaAndValue(
      toConnect('{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }'),
      SchemaBuilder.bool().required().withName('bool').version(2).doc('the documentation').parameter('foo', 'bar').build(),
      true,
    )
  })

  void it('reads each primitive type', () => {
    assertSchemaAndValue(toConnect('{ "schema": { "type": "boolean" }, "payload": false }'), Schemas.BOOLEAN_SCHEMA, false)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int8" }, "payload": 12 }'), Schemas.INT8_SCHEMA, 12)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int16" }, "payload": 12 }'), Schemas.INT16_SCHEMA, 12)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int32" }, "payload": 12 }'), Schemas.INT32_SCHEMA, 12)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int64" }, "payload": 12 }'), Schemas.INT64_SCHEMA, 12n)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int64" }, "payload": 4398046511104 }'), Schemas.INT64_SCHEMA, 4398046511104n)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "float" }, "payload": 12.34 }'), Schemas.FLOAT32_SCHEMA, 12.34)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "double" }, "payload": 12.34 }'), Schemas.FLOAT64_SCHEMA, 12.34)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }'), Schemas.STRING_SCHEMA, 'foo-bar-baz')
    assertSchemaAndValue(toConnect('{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }'), Schemas.BYTES_SCHEMA, Buffer.from('test-string'))
  })

  void it('keeps every digit of an int64, and bigint is what comes back', () => {
    const result = toConnect('{"schema":{"type":"int64"},"payload":9223372036854775807}')
    assert.equal(result.value, 9223372036854775807n)
    assert.equal(toConnect('{"schema":{"type":"int64"},"payload":-9007199254740993}').value, -9007199254740993n)
  })

  void it('reads arrays, maps with string keys, and maps with other keys as arrays of pairs', () => {
    assertSchemaAndValue(toConnect('{ "schema": { "type": "array", "items": { "type" : "int32" } }, "payload": [1, 2, 3] }'), SchemaBuilder.array(Schemas.INT32_SCHEMA).build(), [1, 2, 3])
    assertSchemaAndValue(
      toConnect('{ "schema": { "type": "map", "keys": { "type" : "string" }, "values": { "type" : "int32" } }, "payload": { "key1": 12, "key2": 15} }'),
      SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build(),
      new Map([['key1', 12], ['key2', 15]]),
    )
    assertSchemaAndValue(
      toConnect('{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }'),
      SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.INT32_SCHEMA).build(),
      new Map([[1, 12], [2, 15]]),
    )
  })

  void it('reads structs, leaving optional fields that are absent unset', () => {
    const converted = toConnect('{ "schema": { "type": "struct", "fields": [{ "field": "field1", "type": "boolean" }, { "field": "field2", "type": "string" }] }, "payload": { "field1": true, "field2": "string" } }')
    assertSchemaAndValue(converted, structSchema, new Struct(structSchema).put('field1', true).put('field2', 'string'))
    const optionalSchema = SchemaBuilder.struct().field('optional', Schemas.OPTIONAL_STRING_SCHEMA).field('required', Schemas.STRING_SCHEMA).build()
    assertSchemaAndValue(
      toConnect('{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "required": "required" } }'),
      optionalSchema,
      new Struct(optionalSchema).put('required', 'required'),
    )
  })

  void it('reads a null schema as schemaless data: integers as int64, others as float64, objects as maps', () => {
    assert.deepEqual(toConnect('{ "schema": null, "payload": null }'), { schema: null, value: null })
    assertSchemaAndValue(toConnect('{ "schema": null, "payload": true }'), null, true)
    assertSchemaAndValue(toConnect('{ "schema": null, "payload": 12 }'), null, 12n)
    assertSchemaAndValue(toConnect('{ "schema": null, "payload": 12.24 }'), null, 12.24)
    assertSchemaAndValue(toConnect('{ "schema": null, "payload": "a string" }'), null, 'a string')
    assertSchemaAndValue(toConnect('{ "schema": null, "payload": [1, "2", 3] }'), null, [1n, '2', 3n])
    assertSchemaAndValue(toConnect('{ "schema": null, "payload": { "field1": 1, "field2": 2} }'), null, new Map([['field1', 1n], ['field2', 2n]]))
  })

  void it('reads decimals from base64 bytes or from numbers, keeping the scale written', () => {
    const base64 = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": "AJw=" }')
    assertSchemaAndValue(base64, Decimal.schema(2), decimalValue(156n, 2))
    const numeric = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": 1.56 }')
    assertSchemaAndValue(numeric, Decimal.schema(2), decimalValue(156n, 2))
    const trailingZeros = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "4" } }, "payload": 1.5600 }')
    assertSchemaAndValue(trailingZeros, Decimal.schema(4), decimalValue(15600n, 4))
    const highPrecision = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "17" } }, "payload": 1.23456789123456789 }')
    assertSchemaAndValue(highPrecision, Decimal.schema(17), decimalValue(123456789123456789n, 17))
  })

  void it('reads optional decimals and decimal defaults', () => {
    const optional = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "optional": true, "parameters": { "scale": "2" } }, "payload": null }')
    assertSchemaAndValue(optional, Decimal.builder(2).optional().build(), null)
    const reference = decimalValue(156n, 2)
    const withDefault = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }')
    assertSchemaAndValue(withDefault, Decimal.builder(2).defaultValue(reference).build(), reference)
    const optionalWithDefault = toConnect('{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "optional": true, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }')
    assertSchemaAndValue(optionalWithDefault, Decimal.builder(2).optional().defaultValue(reference).build(), reference)
  })

  void it('reads dates, times and timestamps, with their optional and default forms', () => {
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }'), ConnectDate.SCHEMA, new Date(10000 * 86400000))
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1, "optional": true }, "payload": null }'), ConnectDate.builder().optional().build(), null)
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1, "default": 0 }, "payload": null }'), ConnectDate.builder().defaultValue(new Date(0)).build(), new Date(0))
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 14400000 }'), Time.SCHEMA, new Date(14400000))
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1, "optional": true, "default": 0 }, "payload": null }'), Time.builder().optional().defaultValue(new Date(0)).build(), new Date(0))
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1 }, "payload": 4000000000 }'), Timestamp.SCHEMA, new Date(4000000000))
    assertSchemaAndValue(toConnect('{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1,  "optional": true, "default": 42 }, "payload": null }'), Timestamp.builder().optional().defaultValue(new Date(42)).build(), new Date(42))
  })

  void it('requires the envelope when schemas are enabled, with Kafka\'s message', () => {
    assert.throws(() => toConnect('{"field":1}'), {
      name: 'DataError',
      message:
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
    })
    assert.throws(() => toConnect('{"schema":null,"payload":1,"extra":2}'), DataError)
    assert.throws(() => toConnect(''), DataError)
  })

  void it('reports malformed JSON as a serialization error', () => {
    assert.throws(() => toConnect('{"schema": nul'), {
      name: 'DataError',
      message: /^Converting byte\[\] to Kafka Connect data failed due to serialization error: /,
    })
  })

  void it('refuses a null payload for a required schema without a default', () => {
    assert.throws(() => toConnect('{"schema":{"type":"int32"},"payload":null}'), { message: 'Invalid null value for required INT32 field' })
  })

  void it('refuses JSON of the wrong kind for the schema (where Kafka would quietly read 0 or null)', () => {
    assert.throws(() => toConnect('{"schema":{"type":"int32"},"payload":"12"}'), DataError)
    assert.throws(() => toConnect('{"schema":{"type":"int8"},"payload":300}'), DataError)
    assert.throws(() => toConnect('{"schema":{"type":"string"},"payload":12}'), DataError)
    assert.throws(() => toConnect('{"schema":{"type":"struct","fields":[]},"payload":[]}'), { message: 'Structs should be encoded as JSON objects, but found ARRAY' })
    assert.throws(() => toConnect('{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":{}}'), {
      message: 'Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT',
    })
  })

  void it('refuses malformed schemas with Kafka\'s messages', () => {
    assert.throws(() => toConnect('{"schema":{},"payload":1}'), { message: "Schema must contain 'type' field" })
    assert.throws(() => toConnect('{"schema":{"type":"nope"},"payload":1}'), { message: 'Unknown schema type: nope' })
    assert.throws(() => toConnect('{"schema":{"type":"array"},"payload":[]}'), { message: 'Array schema did not specify the element type' })
    assert.throws(() => toConnect('{"schema":{"type":"struct","fields":[{"type":"int8"}]},"payload":{}}'), { message: "Struct schema's field name not specified properly" })
    assert.throws(() => toConnect('{"schema":{"type":"int8","parameters":{"a":1}},"payload":1}'), { message: 'Schema parameters must have string values.' })
  })

  void it('reads a header through the same envelope', () => {
    assertSchemaAndValue(converter.toConnectHeader(TOPIC, 'headerName', Buffer.from('{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }')), Schemas.STRING_SCHEMA, 'foo-bar-baz')
  })
})

void describe('JsonConverter: Connect data to envelope', () => {
  void it('writes schema metadata in Kafka\'s member order', () => {
    assert.equal(toText(Schemas.BOOLEAN_SCHEMA, true), '{"schema":{"type":"boolean","optional":false},"payload":true}')
    assert.equal(toText(SchemaBuilder.bool().defaultValue(true).build(), true), '{"schema":{"type":"boolean","optional":false,"default":true},"payload":true}')
    assert.equal(
      toText(SchemaBuilder.bool().required().withName('bool').version(3).doc('the documentation').parameter('foo', 'bar').build(), true),
      '{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"}},"payload":true}',
    )
  })

  void it('writes each primitive type', () => {
    assert.equal(toText(Schemas.INT8_SCHEMA, 12), '{"schema":{"type":"int8","optional":false},"payload":12}')
    assert.equal(toText(Schemas.INT16_SCHEMA, 12), '{"schema":{"type":"int16","optional":false},"payload":12}')
    assert.equal(toText(Schemas.INT32_SCHEMA, 12), '{"schema":{"type":"int32","optional":false},"payload":12}')
    assert.equal(toText(Schemas.INT64_SCHEMA, 4398046511104n), '{"schema":{"type":"int64","optional":false},"payload":4398046511104}')
    assert.equal(toText(Schemas.FLOAT32_SCHEMA, 12.34), '{"schema":{"type":"float","optional":false},"payload":12.34}')
    assert.equal(toText(Schemas.FLOAT64_SCHEMA, 12.34), '{"schema":{"type":"double","optional":false},"payload":12.34}')
    assert.equal(toText(Schemas.FLOAT64_SCHEMA, 1), '{"schema":{"type":"double","optional":false},"payload":1.0}')
    assert.equal(toText(Schemas.BYTES_SCHEMA, Buffer.from('test-string')), '{"schema":{"type":"bytes","optional":false},"payload":"dGVzdC1zdHJpbmc="}')
    assert.equal(toText(Schemas.STRING_SCHEMA, 'test-string'), '{"schema":{"type":"string","optional":false},"payload":"test-string"}')
  })

  void it('writes an int64 beyond 2^53 without losing digits', () => {
    assert.equal(toText(Schemas.INT64_SCHEMA, 9223372036854775807n), '{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}')
  })

  void it('writes arrays, and maps as objects or arrays of pairs by key type', () => {
    assert.equal(toText(SchemaBuilder.array(Schemas.INT32_SCHEMA).build(), [1, 2, 3]), '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}')
    assert.deepEqual(toJson(SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build(), new Map([['key1', 12], ['key2', 15]])), {
      schema: { type: 'map', keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false }, optional: false },
      payload: { key1: 12, key2: 15 },
    })
    assert.deepEqual(toJson(SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.INT32_SCHEMA).build(), new Map([[1, 12], [2, 15]])), {
      schema: { type: 'map', keys: { type: 'int32', optional: false }, values: { type: 'int32', optional: false }, optional: false },
      payload: [[1, 12], [2, 15]],
    })
  })

  void it('writes structs with each field schema followed by its name', () => {
    const schema = SchemaBuilder.struct().field('field1', Schemas.BOOLEAN_SCHEMA).field('field2', Schemas.STRING_SCHEMA).field('field3', Schemas.STRING_SCHEMA).field('field4', Schemas.BOOLEAN_SCHEMA).build()
    const input = new Struct(schema).put('field1', true).put('field2', 'string2').put('field3', 'string3').put('field4', false)
    assert.equal(
      toText(schema, input),
      '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"},{"type":"string","optional":false,"field":"field3"},{"type":"boolean","optional":false,"field":"field4"}],"optional":false},"payload":{"field1":true,"field2":"string2","field3":"string3","field4":false}}',
    )
  })

  void it('accepts a struct whose schema is equal but not identical', () => {
    const build = () => SchemaBuilder.struct().field('field1', Schemas.BOOLEAN_SCHEMA).build()
    assert.doesNotThrow(() => toText(build(), new Struct(build()).put('field1', true)))
  })

  void it('writes decimals as base64 by default and as numbers with decimal.format=NUMERIC', () => {
    assert.equal(
      toText(Decimal.schema(2), decimalValue(156n, 2)),
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}',
    )
    const numeric = createJsonConverter({ 'decimal.format': 'NUMERIC' })
    assert.equal(
      toText(Decimal.schema(2), decimalValue(156n, 2), numeric),
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":1.56}',
    )
    assert.match(toText(Decimal.schema(4), decimalValue(15600n, 4), numeric), /"payload":1\.5600}$/)
  })

  void it('refuses a decimal without a schema', () => {
    assert.throws(() => toText(null, decimalValue(156n, 2)), DataError)
  })

  void it('writes dates, times and timestamps as their integers', () => {
    assert.equal(
      toText(ConnectDate.SCHEMA, new Date(10000 * 86400000)),
      '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":10000}',
    )
    assert.equal(toText(Time.SCHEMA, new Date(14400000)), '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1},"payload":14400000}')
    assert.equal(
      toText(Timestamp.SCHEMA, new Date(4000000000)),
      '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}',
    )
  })

  void it('writes schemaless data with a null schema in the envelope', () => {
    assert.equal(toText(null, true), '{"schema":null,"payload":true}')
    assert.equal(toText(null, [1, 'string', true]), '{"schema":null,"payload":[1,"string",true]}')
    assert.deepEqual(toJson(null, new Map<string, unknown>([['key1', 12], ['key2', 'string'], ['key3', true]])), {
      schema: null,
      payload: { key1: 12, key2: 'string', key3: true },
    })
  })

  void it('writes schemaless maps with non-string keys as arrays of pairs', () => {
    const input = new Map<unknown, unknown>([['string', 12], [52, 'string'], [false, true]])
    assert.deepEqual(toJson(null, input), { schema: null, payload: [['string', 12], [52, 'string'], [false, true]] })
  })

  void it('gives null bytes for a null schema and null value, with or without schemas (tombstones)', () => {
    assert.equal(converter.fromConnectData(TOPIC, null, null), null)
    assert.equal(schemaless.fromConnectData(TOPIC, null, null), null)
  })

  // Kafka's JsonConverterTest.testJsonSchemaMetadataTranslation, serializeNullToDefault and serializeNullToNull.
  void it('writes a null value with an optional schema as an envelope with a null payload, not as a tombstone', () => {
    assert.equal(toText(Schemas.OPTIONAL_BOOLEAN_SCHEMA, null), '{"schema":{"type":"boolean","optional":true},"payload":null}')
    assert.equal(toText(Schemas.OPTIONAL_STRING_SCHEMA, undefined), '{"schema":{"type":"string","optional":true},"payload":null}')
  })

  void it('writes a null value with a schema default as the default, unless replace.null.with.default is false', () => {
    const schema = SchemaBuilder.string().optional().defaultValue('default').build()
    assert.equal(toText(schema, null), '{"schema":{"type":"string","optional":true,"default":"default"},"payload":"default"}')
    const keepNulls = createJsonConverter({ 'replace.null.with.default': 'false' })
    assert.equal(toText(schema, null, keepNulls), '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}')
    assert.equal(toText(SchemaBuilder.int32().defaultValue(7).build(), null), '{"schema":{"type":"int32","optional":false,"default":7},"payload":7}')
  })

  void it('refuses a null value for a required schema without a default', () => {
    assert.throws(() => converter.fromConnectData(TOPIC, Schemas.INT32_SCHEMA, null), {
      name: 'DataError',
      message: 'Conversion error: null value for field that is required and has no default value',
    })
    assert.throws(() => schemaless.fromConnectData(TOPIC, Schemas.INT32_SCHEMA, null), DataError)
  })

  void it('writes a null value with a schema as the JSON text null when schemas are disabled', () => {
    assert.equal(toText(Schemas.OPTIONAL_STRING_SCHEMA, null, schemaless), 'null')
    assert.equal(toText(SchemaBuilder.string().optional().defaultValue('d').build(), null, schemaless), '"d"')
  })

  void it('writes a null header value with a schema through the envelope too', () => {
    const bytes = converter.fromConnectHeader(TOPIC, 'h', Schemas.OPTIONAL_STRING_SCHEMA, null)
    assert.equal(Buffer.from(bytes ?? []).toString(), '{"schema":{"type":"string","optional":true},"payload":null}')
  })

  void it('writes float32 values with float32 digits, as Jackson writes a Java float', () => {
    assert.equal(toText(Schemas.FLOAT32_SCHEMA, 4.85, schemaless), '4.85')
    assert.equal(toText(Schemas.FLOAT32_SCHEMA, Math.fround(4.85), schemaless), '4.85')
    assert.equal(toText(Schemas.FLOAT64_SCHEMA, 1, schemaless), '1.0')
    assert.equal(toText(Schemas.FLOAT32_SCHEMA, Number.NaN, schemaless), '"NaN"')
  })

  void it('refuses a value that does not match the schema', () => {
    assert.throws(() => toText(Schemas.FLOAT64_SCHEMA, true), DataError)
    assert.throws(() => toText(structSchema, new Struct(SchemaBuilder.struct().field('other', Schemas.INT8_SCHEMA).build()).put('other', 1)), {
      message: 'Mismatching schema.',
    })
  })

  void it('refuses a required field that is null and has no default', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build()
    const struct = new Struct(schema)
    assert.throws(() => toText(schema, struct), { message: 'Conversion error: null value for field that is required and has no default value' })
  })

  void it('writes a header through the same envelope', () => {
    const bytes = converter.fromConnectHeader(TOPIC, 'headerName', Schemas.STRING_SCHEMA, 'test-string')
    assert.equal(Buffer.from(bytes ?? []).toString(), '{"schema":{"type":"string","optional":false},"payload":"test-string"}')
  })
})

void describe('JsonConverter: replace.null.with.default', () => {
  const optionalWithDefault = SchemaBuilder.string().optional().defaultValue('default').build()
  const structWithDefault = SchemaBuilder.struct().field('field1', optionalWithDefault).build()

  void it('writes a null field as its default by default', () => {
    assert.equal(
      toText(structWithDefault, new Struct(structWithDefault)),
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":"default"}}',
    )
  })

  void it('writes a null field as null when set to false', () => {
    const keepNulls = createJsonConverter({ 'replace.null.with.default': 'false' })
    assert.match(toText(structWithDefault, new Struct(structWithDefault), keepNulls), /"payload":{"field1":null}}$/)
  })

  void it('reads a null payload as the default by default, and as null when set to false', () => {
    const json = '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}'
    assert.equal(toConnect(json).value, 'default')
    assert.equal(toConnect(json, createJsonConverter({ 'replace.null.with.default': 'false' })).value, null)
  })

  void it('reads a null struct field as the default by default, and as null when set to false', () => {
    const json = '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":null}}'
    assert.equal((toConnect(json).value as Struct).getWithoutDefault('field1'), 'default')
    assert.equal((toConnect(json, createJsonConverter({ 'replace.null.with.default': 'false' })).value as Struct).getWithoutDefault('field1'), null)
  })
})

void describe('JsonConverter without schemas', () => {
  void it('reads plain JSON with an inferred value and no schema', () => {
    assert.deepEqual(toConnect('true', schemaless), { schema: null, value: true })
    assertSchemaAndValue(toConnect('{ "a": "", "b": null}', schemaless), null, new Map([['a', ''], ['b', null]]))
  })

  void it('reads empty bytes as a null value', () => {
    assert.deepEqual(schemaless.toConnectData(TOPIC, new Uint8Array()), { schema: null, value: null })
  })

  void it('writes plain JSON without an envelope', () => {
    assert.equal(toText(null, true, schemaless), 'true')
    assert.equal(toText(Schemas.INT32_SCHEMA, 5, schemaless), '5')
  })

  void it('keeps large integers exact and reads integers beyond int64 as doubles', () => {
    assert.equal(toConnect('12345678901234567890', schemaless).value, Number('12345678901234567890'))
    assert.equal(toConnect('-9223372036854775808', schemaless).value, -9223372036854775808n)
  })

  void it('accepts leading zeros in numbers, as Kafka enables them', () => {
    assert.equal(toConnect('007', schemaless).value, 7n)
  })
})

void describe('JsonConverter: options and schema caches', () => {
  void it('rejects bad options with a ConfigError naming the key', () => {
    for (const [key, raw] of [['schemas.enable', 'maybe'], ['decimal.format', 'HEX'], ['schemas.cache.size', 'many'], ['replace.null.with.default', '1']]) {
      assert.throws(
        () => createJsonConverter({ [key as string]: raw as string }),
        (error: unknown) => error instanceof ConfigError && error.key === key,
      )
    }
  })

  void it('accepts decimal.format in any case', () => {
    assert.doesNotThrow(() => createJsonConverter({ 'decimal.format': 'numeric' }))
  })

  void it('reuses the schema read for the same schema text', () => {
    const c = createJsonConverter()
    const a = c.toConnectData(TOPIC, Buffer.from('{"schema":{"type":"boolean"},"payload":true}'))
    const b = c.toConnectData(TOPIC, Buffer.from('{"schema":{"type":"boolean"},"payload":false}'))
    assert.equal(a.schema, b.schema)
  })

  void it('still works with a cache size of zero', () => {
    const c = createJsonConverter({ 'schemas.cache.size': '0' })
    assert.equal(c.toConnectData(TOPIC, Buffer.from('{"schema":{"type":"boolean"},"payload":true}')).value, true)
    assert.ok(c.fromConnectData(TOPIC, Schemas.BOOLEAN_SCHEMA, true) !== null)
  })
})

void describe('asJsonSchema and asConnectSchema', () => {
  void it('turn a Connect schema into the envelope\'s schema JSON and back', () => {
    const schema = SchemaBuilder.struct()
      .withName('com.example.Reading')
      .version(2)
      .field('id', SchemaBuilder.int64().defaultValue(9007199254740993n).build())
      .field('tags', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.OPTIONAL_FLOAT64_SCHEMA).optional().build())
      .field('at', Timestamp.SCHEMA)
      .build()
    const json = asJsonSchema(schema)
    assert.deepEqual(json, {
      type: 'struct',
      fields: [
        { type: 'int64', optional: false, default: 9007199254740993n, field: 'id' },
        { type: 'map', keys: { type: 'string', optional: false }, values: { type: 'double', optional: true }, optional: true, field: 'tags' },
        { type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'at' },
      ],
      optional: false,
      name: 'com.example.Reading',
      version: 2,
    })
    assert.deepEqual(asConnectSchema(json), schema)
  })

  void it('accept JSON text and null', () => {
    assert.deepEqual(asConnectSchema('{"type":"float","optional":true}'), Schemas.OPTIONAL_FLOAT32_SCHEMA)
    assert.equal(asConnectSchema(null), null)
    assert.equal(asJsonSchema(null), null)
  })
})

void describe('JsonConverter: numbers that do not fit', () => {
  void it('refuses integers outside their schema type when writing', () => {
    assert.throws(() => toText(Schemas.INT8_SCHEMA, 300), DataError)
    assert.throws(() => toText(Schemas.INT32_SCHEMA, 1.5), DataError)
    assert.throws(() => toText(Schemas.INT64_SCHEMA, 2n ** 63n), DataError)
    assert.throws(() => toText(Schemas.INT64_SCHEMA, 2 ** 60), DataError)
  })

  void it('writes schemaless numbers beyond the safe integers as doubles', () => {
    assert.equal(toText(null, 1e20, schemaless), '1.0E20')
    assert.equal(toText(null, 0.5, schemaless), '0.5')
  })

  void it('writes non-finite doubles as Jackson does, and reads them back', () => {
    assert.equal(toText(Schemas.FLOAT64_SCHEMA, NaN, schemaless), '"NaN"')
    assert.equal(toConnect('{"schema":{"type":"double"},"payload":"-Infinity"}').value, -Infinity)
  })
})
