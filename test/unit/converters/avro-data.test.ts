import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Date as ConnectDate, Decimal, SchemaBuilder, Schemas, Struct, Time, Timestamp, decimalValue, schemasEqual, valuesEqual } from '../../../src/data/index.ts'
import type { Schema } from '../../../src/data/index.ts'
import { AvroEncoder, avroBinaryType, decodeAvro } from '../../../src/converters/avro-binary.ts'
import { ANYTHING_SCHEMA, fromConnectData, fromConnectSchema, toConnectData, toConnectSchema } from '../../../src/converters/avro-data.ts'
import { parseAvroSchema, writeAvroSchema } from '../../../src/converters/avro-schema.ts'
import { DataError } from '../../../src/plugin/errors.ts'

/** The Avro schema text a Connect schema registers as. */
const avroText = (schema: Schema | null): string => writeAvroSchema(fromConnectSchema(schema))

/** The Avro schema as plain JSON, for structural assertions. */
const avroJson = (schema: Schema | null): unknown => JSON.parse(avroText(schema))

/** The Connect schema a registry's Avro text reads back as. */
const connectSchemaOf = (text: string, version?: number): Schema | null => toConnectSchema(parseAvroSchema(text), version)

/** Connect value → Avro binary (with the schema's own text) → Connect value, as a writer and a reader would. */
const roundTrip = (schema: Schema | null, value: unknown): { schema: Schema | null; value: unknown } => {
  const avro = fromConnectSchema(schema)
  const text = writeAvroSchema(avro)
  const bytes = new AvroEncoder().encode(avroBinaryType(text), fromConnectData(schema, avro, value), 0)
  const readerAvro = parseAvroSchema(text)
  const readerSchema = toConnectSchema(readerAvro)
  return { schema: readerSchema, value: toConnectData(readerSchema, readerAvro, decodeAvro(avroBinaryType(text), bytes)) }
}

const assertRoundTrip = (schema: Schema, value: unknown, expected: unknown = value): void => {
  const back = roundTrip(schema, value)
  assert.ok(schemasEqual(back.schema, schema), `schema came back as ${JSON.stringify(back.schema, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`)
  assert.ok(valuesEqual(back.value, expected), `value came back as ${String(back.value)}`)
}

void describe('AvroData: Connect schema → Avro schema', () => {
  void it('maps every primitive type, int8 and int16 annotated with connect.type', () => {
    assert.equal(avroText(Schemas.INT32_SCHEMA), '"int"')
    assert.equal(avroText(Schemas.INT64_SCHEMA), '"long"')
    assert.equal(avroText(Schemas.FLOAT32_SCHEMA), '"float"')
    assert.equal(avroText(Schemas.FLOAT64_SCHEMA), '"double"')
    assert.equal(avroText(Schemas.BOOLEAN_SCHEMA), '"boolean"')
    assert.equal(avroText(Schemas.STRING_SCHEMA), '"string"')
    assert.equal(avroText(Schemas.BYTES_SCHEMA), '"bytes"')
    assert.equal(avroText(Schemas.INT8_SCHEMA), '{"type":"int","connect.type":"int8"}')
    assert.equal(avroText(Schemas.INT16_SCHEMA), '{"type":"int","connect.type":"int16"}')
  })

  void it('makes an optional schema a union with null first, and an optional schema with a default a union with the type first', () => {
    assert.equal(avroText(Schemas.OPTIONAL_STRING_SCHEMA), '["null","string"]')
    assert.equal(avroText(SchemaBuilder.int32().optional().defaultValue(3).build()), '[{"type":"int","connect.default":3},"null"]')
  })

  void it('makes a struct a record named after the schema, with connect.name, and optional fields defaulting to null', () => {
    const schema = SchemaBuilder.struct()
      .withName('com.example.Reading')
      .field('id', Schemas.STRING_SCHEMA)
      .field('note', Schemas.OPTIONAL_STRING_SCHEMA)
      .build()
    assert.equal(
      avroText(schema),
      '{"type":"record","name":"Reading","namespace":"com.example","fields":[{"name":"id","type":"string"},' +
        '{"name":"note","type":["null","string"],"default":null}],"connect.name":"com.example.Reading"}',
    )
  })

  void it('names unnamed structs io.confluent.connect.avro.ConnectDefault, ConnectDefault2, ...', () => {
    const schema = SchemaBuilder.struct()
      .field('a', SchemaBuilder.struct().field('x', Schemas.INT32_SCHEMA).build())
      .field('b', SchemaBuilder.struct().field('y', Schemas.INT32_SCHEMA).build())
      .build()
    const json = avroJson(schema) as { name: string; namespace: string; fields: { type: { name: string; namespace?: string } }[] }
    assert.equal(json.name, 'ConnectDefault')
    assert.equal(json.namespace, 'io.confluent.connect.avro')
    assert.deepEqual(
      json.fields.map((field) => field.type.name),
      ['ConnectDefault2', 'ConnectDefault3'],
    )
    assert.equal(json.fields[0]?.type.namespace, undefined, 'a nested record in the same namespace does not repeat it')
  })

  void it('defines a struct used twice once and refers to it by name the second time, optional or not', () => {
    const point = SchemaBuilder.struct().withName('geo.Point').field('lat', Schemas.FLOAT64_SCHEMA).build()
    const optionalPoint = SchemaBuilder.struct().withName('geo.Point').field('lat', Schemas.FLOAT64_SCHEMA).optional().build()
    const schema = SchemaBuilder.struct().withName('geo.Route').field('from', point).field('to', optionalPoint).build()
    assert.equal(
      avroText(schema),
      '{"type":"record","name":"Route","namespace":"geo","fields":[' +
        '{"name":"from","type":{"type":"record","name":"Point","fields":[{"name":"lat","type":"double"}],"connect.name":"geo.Point"}},' +
        '{"name":"to","type":["null","Point"],"default":null}],"connect.name":"geo.Route"}',
    )
  })

  void it('refuses two different structs under one name, as Avro does', () => {
    const a = SchemaBuilder.struct().withName('x.Same').field('a', Schemas.INT32_SCHEMA).build()
    const b = SchemaBuilder.struct().withName('x.Same').field('b', Schemas.INT32_SCHEMA).build()
    const schema = SchemaBuilder.struct().field('a', a).field('b', b).build()
    assert.throws(() => avroText(schema), (error: unknown) => error instanceof DataError && /Can't redefine: x\.Same/.test(error.message))
  })

  void it('maps arrays to arrays and maps with required string keys to maps', () => {
    assert.equal(avroText(SchemaBuilder.array(Schemas.INT64_SCHEMA).build()), '{"type":"array","items":"long"}')
    assert.equal(avroText(SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.OPTIONAL_FLOAT32_SCHEMA).build()), '{"type":"map","values":["null","float"]}')
  })

  void it('maps other maps to arrays of io.confluent.connect.avro.MapEntry key/value records', () => {
    assert.equal(
      avroText(SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.STRING_SCHEMA).build()),
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[' +
        '{"name":"key","type":"int"},{"name":"value","type":"string"}]}}',
    )
    const optionalKeys = avroJson(SchemaBuilder.map(Schemas.OPTIONAL_STRING_SCHEMA, Schemas.STRING_SCHEMA).build()) as { type: string }
    assert.equal(optionalKeys.type, 'array', 'optional string keys cannot be Avro map keys')
    const named = avroJson(SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.STRING_SCHEMA).withName('x.Lookup').build()) as {
      items: { name: string; namespace: string; 'connect.internal.type': string }
      'connect.name': string
    }
    assert.deepEqual([named.items.namespace, named.items.name, named.items['connect.internal.type']], ['x', 'Lookup', 'MapEntry'])
    assert.equal(named['connect.name'], 'x.Lookup')
  })

  void it('maps the logical types to Avro logical types, keeping the Connect name and version', () => {
    assert.equal(
      avroText(Decimal.schema(2)),
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},' +
        '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    )
    assert.equal(avroText(ConnectDate.SCHEMA), '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}')
    assert.equal(avroText(Time.SCHEMA), '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}')
    assert.equal(
      avroText(Timestamp.SCHEMA),
      '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}',
    )
    const precise = avroJson(Decimal.builder(3).parameter('connect.decimal.precision', '10').build()) as { precision: number }
    assert.equal(precise.precision, 10)
  })

  void it('carries doc, version, parameters and default as connect.* attributes', () => {
    const schema = SchemaBuilder.string().doc('the unit').version(4).parameter('k', 'v').defaultValue('celsius').build()
    assert.equal(
      avroText(schema),
      '{"type":"string","connect.doc":"the unit","connect.version":4,"connect.parameters":{"k":"v"},"connect.default":"celsius"}',
    )
  })

  void it('writes field defaults as Avro JSON: bytes as ISO-8859-1 text, int64 with every digit, structs as objects', () => {
    const inner = SchemaBuilder.struct().withName('x.Inner').field('n', Schemas.INT32_SCHEMA).build()
    const schema = SchemaBuilder.struct()
      .withName('x.Defaults')
      .field('big', SchemaBuilder.int64().defaultValue(9007199254740993n).build())
      .field('raw', SchemaBuilder.bytes().defaultValue(new Uint8Array([0, 255])).build())
      .field('ratio', SchemaBuilder.float64().defaultValue(1).build())
      .field('inner', SchemaBuilder.struct().withName('x.Inner').field('n', Schemas.INT32_SCHEMA).defaultValue(new Struct(inner).put('n', 7)).build())
      .build()
    const text = avroText(schema)
    assert.match(text, /\{"name":"big","type":\{"type":"long","connect.default":9007199254740993\},"default":9007199254740993\}/)
    assert.match(text, /\{"name":"raw","type":\{"type":"bytes","connect.default":"\\u0000ÿ"\},"default":"\\u0000ÿ"\}/)
    assert.match(text, /\{"name":"ratio","type":\{"type":"double","connect.default":1\.0\},"default":1\.0\}/)
    assert.match(text, /"default":\{"n":7\}/)
  })

  void it('drops a field default that Avro would refuse (an optional struct defaults to null first)', () => {
    const point = SchemaBuilder.struct().withName('x.P').field('a', Schemas.INT32_SCHEMA).optional().build()
    const optionalWithDefault = SchemaBuilder.struct().withName('x.P').field('a', Schemas.INT32_SCHEMA).optional().defaultValue(new Struct(point).put('a', 1)).build()
    const json = avroJson(SchemaBuilder.struct().withName('x.R').field('p', optionalWithDefault).build()) as { fields: { default?: unknown; type: unknown[] }[] }
    assert.equal(json.fields[0]?.default, undefined)
    assert.equal(json.fields[0]?.type[0], 'null')
  })

  void it('writes values without a schema with Confluent\'s recursive Anything record', () => {
    const json = avroJson(null) as { name: string; namespace: string; fields: { name: string }[] }
    assert.equal(`${json.namespace}.${json.name}`, 'io.confluent.connect.avro.Anything')
    assert.deepEqual(
      json.fields.map((field) => field.name),
      ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string', 'array', 'map'],
    )
    assert.match(avroText(null), /\{"name":"array","type":\["null",\{"type":"array","items":"Anything"\}\],"default":null\}/)
  })
})

void describe('AvroData: Avro schema → Connect schema', () => {
  void it('reads back every schema it writes, names, versions, docs, parameters and defaults included', () => {
    const inner = SchemaBuilder.struct().withName('com.example.Inner').field('x', Schemas.INT16_SCHEMA).build()
    const schema = SchemaBuilder.struct()
      .withName('com.example.Everything')
      .version(3)
      .doc('all of it')
      .parameter('owner', 'team-a')
      .field('i8', Schemas.INT8_SCHEMA)
      .field('i16', Schemas.INT16_SCHEMA)
      .field('i32', Schemas.INT32_SCHEMA)
      .field('i64', Schemas.INT64_SCHEMA)
      .field('f32', Schemas.FLOAT32_SCHEMA)
      .field('f64', Schemas.FLOAT64_SCHEMA)
      .field('flag', Schemas.BOOLEAN_SCHEMA)
      .field('text', Schemas.STRING_SCHEMA)
      .field('raw', Schemas.BYTES_SCHEMA)
      .field('maybe', Schemas.OPTIONAL_INT64_SCHEMA)
      .field('withDefault', SchemaBuilder.string().defaultValue('x').build())
      .field('optionalWithDefault', SchemaBuilder.int32().optional().defaultValue(42).build())
      .field('price', Decimal.schema(2))
      .field('day', ConnectDate.SCHEMA)
      .field('time', Time.SCHEMA)
      .field('at', Timestamp.SCHEMA)
      .field('inner', inner)
      .field('maybeInner', SchemaBuilder.struct().withName('com.example.Inner').field('x', Schemas.INT16_SCHEMA).optional().build())
      .field('list', SchemaBuilder.array(Schemas.OPTIONAL_STRING_SCHEMA).build())
      .field('byName', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT64_SCHEMA).build())
      .field('byId', SchemaBuilder.map(Schemas.INT32_SCHEMA, inner).build())
      .build()
    assert.ok(schemasEqual(connectSchemaOf(avroText(schema)), schema))
  })

  void it('gives the registry\'s version to a schema without connect.version, and keeps connect.version over it', () => {
    assert.equal(connectSchemaOf('"string"', 5)?.version, 5)
    assert.equal(connectSchemaOf(avroText(SchemaBuilder.string().version(2).build()), 5)?.version, 2)
    assert.equal(connectSchemaOf('"string"')?.version, undefined)
  })

  void it('reads a plain Avro record: its full name, its field defaults (flagged as Avro defaults) and docs as parameters', () => {
    const schema = connectSchemaOf(
      '{"type":"record","name":"Sensor","namespace":"iot","doc":"a sensor","fields":[' +
        '{"name":"id","type":"string","doc":"the id"},{"name":"count","type":"long","default":10},' +
        '{"name":"tags","type":{"type":"array","items":"string"},"default":[]}]}',
    )
    assert.equal(schema?.name, 'iot.Sensor')
    assert.equal(schema?.parameters?.['io.confluent.connect.avro.record.doc'], 'a sensor')
    assert.equal(schema?.parameters?.['io.confluent.connect.avro.field.doc.id'], 'the id')
    const count = schema?.fields?.[1]?.schema
    assert.equal(count?.defaultValue, 10n)
    assert.equal(count?.parameters?.['io.confluent.connect.avro.field.default'], 'true')
    assert.deepEqual(schema?.fields?.[2]?.schema.defaultValue, [])
  })

  void it('reads enums as strings with their symbols as parameters, and fixed as bytes with connect.fixed.size', () => {
    const color = connectSchemaOf('{"type":"enum","name":"Color","namespace":"x","symbols":["RED","GREEN"]}')
    assert.equal(color?.type, 'string')
    assert.equal(color?.name, 'x.Color')
    assert.deepEqual(color?.parameters, {
      'io.confluent.connect.avro.Enum': 'x.Color',
      'io.confluent.connect.avro.Enum.RED': 'RED',
      'io.confluent.connect.avro.Enum.GREEN': 'GREEN',
    })
    const hash = connectSchemaOf('{"type":"fixed","name":"Hash","size":4}')
    assert.equal(hash?.type, 'bytes')
    assert.equal(hash?.parameters?.['connect.fixed.size'], '4')
  })

  void it('reads a union of several types as an optional io.confluent.connect.avro.Union struct', () => {
    const schema = connectSchemaOf('["null","int","string",{"type":"record","name":"R","namespace":"x","fields":[]}]')
    assert.equal(schema?.name, 'io.confluent.connect.avro.Union')
    assert.equal(schema?.optional, true)
    assert.deepEqual(
      schema?.fields?.map((field) => [field.name, field.schema.type, field.schema.optional]),
      [
        ['int', 'int32', true],
        ['string', 'string', true],
        ['R', 'struct', true],
      ],
    )
  })

  void it('reads the Anything record as "no schema"', () => {
    assert.equal(toConnectSchema(ANYTHING_SCHEMA), null)
    assert.equal(connectSchemaOf(avroText(null)), null)
  })

  void it('refuses recursive records and standalone null with a DataError', () => {
    assert.throws(
      () => connectSchemaOf('{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}'),
      (error: unknown) => error instanceof DataError && /Recursive/.test(error.message),
    )
    assert.throws(() => connectSchemaOf('"null"'), DataError)
    assert.throws(() => connectSchemaOf('{"type":"record","name":"R"'), DataError)
  })
})

void describe('AvroData: values both ways, through Avro binary', () => {
  void it('round-trips every primitive', () => {
    assertRoundTrip(Schemas.INT8_SCHEMA, -128)
    assertRoundTrip(Schemas.INT16_SCHEMA, 32767)
    assertRoundTrip(Schemas.INT32_SCHEMA, -2147483648)
    assertRoundTrip(Schemas.INT64_SCHEMA, -9223372036854775808n)
    assertRoundTrip(Schemas.INT64_SCHEMA, 42, 42n)
    assertRoundTrip(Schemas.FLOAT32_SCHEMA, 1.5)
    assertRoundTrip(Schemas.FLOAT64_SCHEMA, Math.PI)
    assertRoundTrip(Schemas.BOOLEAN_SCHEMA, true)
    assertRoundTrip(Schemas.STRING_SCHEMA, 'grüße ✓')
    assertRoundTrip(Schemas.BYTES_SCHEMA, new Uint8Array([0, 1, 254, 255]))
  })

  void it('round-trips optional values, null or not', () => {
    assertRoundTrip(Schemas.OPTIONAL_STRING_SCHEMA, 'here')
    assertRoundTrip(Schemas.OPTIONAL_STRING_SCHEMA, null)
    assertRoundTrip(SchemaBuilder.int32().optional().defaultValue(3).build(), 9)
  })

  void it('round-trips structs, nested and optional, with arrays and both kinds of maps', () => {
    const inner = SchemaBuilder.struct().withName('x.Inner').field('n', Schemas.INT16_SCHEMA).field('note', Schemas.OPTIONAL_STRING_SCHEMA).build()
    const optionalInner = SchemaBuilder.struct().withName('x.Inner').field('n', Schemas.INT16_SCHEMA).field('note', Schemas.OPTIONAL_STRING_SCHEMA).optional().build()
    const schema = SchemaBuilder.struct()
      .withName('x.Outer')
      .field('inner', inner)
      .field('maybe', optionalInner)
      .field('absent', optionalInner)
      .field('list', SchemaBuilder.array(inner).build())
      .field('byName', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.OPTIONAL_INT64_SCHEMA).build())
      .field('byNumber', SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.STRING_SCHEMA).build())
      .build()
    const value = new Struct(schema)
      .put('inner', new Struct(inner).put('n', 1).put('note', 'first'))
      .put('maybe', new Struct(optionalInner).put('n', 2))
      .put('list', [new Struct(inner).put('n', 3), new Struct(inner).put('n', 4).put('note', 'last')])
      .put('byName', new Map([['a', 1n], ['b', null]]))
      .put('byNumber', new Map([[1, 'one'], [2, 'two']]))
    assertRoundTrip(schema, value)
  })

  void it('round-trips the logical types', () => {
    const schema = SchemaBuilder.struct()
      .field('price', Decimal.schema(2))
      .field('negative', Decimal.schema(4))
      .field('day', ConnectDate.SCHEMA)
      .field('time', Time.SCHEMA)
      .field('at', Timestamp.SCHEMA)
      .field('maybeAt', Timestamp.builder().optional().build())
      .build()
    const value = new Struct(schema)
      .put('price', decimalValue(12345n, 2))
      .put('negative', decimalValue(-1n, 4))
      .put('day', new globalThis.Date(Date.UTC(2024, 1, 29)))
      .put('time', new globalThis.Date(45_296_789))
      .put('at', new globalThis.Date(Date.UTC(2024, 1, 29, 12, 30, 0, 5)))
    assertRoundTrip(schema, value)
  })

  void it('writes a field left unset as its default', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.int32().defaultValue(7).build()).build()
    const back = roundTrip(schema, new Struct(schema))
    assert.equal((back.value as Struct).get('n'), 7)
  })

  void it('round-trips values without a schema through the Anything record', () => {
    const value = new Map<unknown, unknown>([
      ['list', [1, 'two', true, null, 2.5, 10_000_000_000n]],
      [3, new Uint8Array([9])],
    ])
    const back = roundTrip(null, value)
    assert.equal(back.schema, null)
    assert.ok(valuesEqual(back.value, value))
    assert.equal(roundTrip(null, 5_000_000_000).value, 5_000_000_000n, 'integers beyond int32 are longs')
  })

  void it('round-trips a union struct', () => {
    const union = connectSchemaOf('["int","string"]')!
    const avro = parseAvroSchema('["int","string"]')
    const value = new Struct(union).put('string', 'text')
    const bytes = new AvroEncoder().encode(avroBinaryType('["int","string"]'), fromConnectData(union, avro, value), 0)
    const back = toConnectData(union, avro, decodeAvro(avroBinaryType('["int","string"]'), bytes))
    assert.ok(valuesEqual(back, value))
  })

  void it('refuses values that do not fit the schema with a DataError', () => {
    const schema = SchemaBuilder.struct().field('n', Schemas.INT8_SCHEMA).build()
    const avro = fromConnectSchema(schema)
    assert.throws(() => fromConnectData(Schemas.INT8_SCHEMA, fromConnectSchema(Schemas.INT8_SCHEMA), 300), DataError)
    assert.throws(() => fromConnectData(Schemas.STRING_SCHEMA, fromConnectSchema(Schemas.STRING_SCHEMA), 1), DataError)
    assert.throws(() => fromConnectData(schema, avro, new Struct(schema)), (error: unknown) => error instanceof DataError && /non-optional/.test(error.message))
    assert.throws(() => fromConnectData(Decimal.schema(2), fromConnectSchema(Decimal.schema(2)), decimalValue(1n, 3)), DataError)
    const other = SchemaBuilder.struct().field('m', Schemas.INT8_SCHEMA).build()
    assert.throws(() => fromConnectData(schema, avro, new Struct(other).put('m', 1)), /Mismatching struct schema/)
  })
})
