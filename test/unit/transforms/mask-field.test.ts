import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Date as ConnectDate, Decimal, Time, Timestamp, decimalValue } from '../../../src/data/logical-types.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { maskFieldKey, maskFieldValue } from '../../../transforms/mask-field.ts'
import { applied, assertRejects, assertValueEquals, configure, sourceRecord } from './records.ts'

const schema = SchemaBuilder.struct()
  .field('magic', Schemas.INT32_SCHEMA)
  .field('bool', Schemas.BOOLEAN_SCHEMA)
  .field('byte', Schemas.INT8_SCHEMA)
  .field('short', Schemas.INT16_SCHEMA)
  .field('int', Schemas.INT32_SCHEMA)
  .field('long', Schemas.INT64_SCHEMA)
  .field('float', Schemas.FLOAT32_SCHEMA)
  .field('double', Schemas.FLOAT64_SCHEMA)
  .field('string', Schemas.STRING_SCHEMA)
  .field('date', ConnectDate.SCHEMA)
  .field('time', Time.SCHEMA)
  .field('timestamp', Timestamp.SCHEMA)
  .field('decimal', Decimal.schema(0))
  .field('array', SchemaBuilder.array(Schemas.INT32_SCHEMA).build())
  .field('map', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.STRING_SCHEMA).build())
  .field('withDefault', SchemaBuilder.string().optional().defaultValue('default').build())
  .build()

const struct = () =>
  new Struct(schema)
    .put('magic', 42)
    .put('bool', true)
    .put('byte', 42)
    .put('short', 42)
    .put('int', 42)
    .put('long', 42n)
    .put('float', 42)
    .put('double', 42)
    .put('string', 'hmm')
    .put('date', new Date(86_400_000))
    .put('time', new Date(3_600_000))
    .put('timestamp', new Date(1_234_567))
    .put('decimal', decimalValue(42n, 0))
    .put('array', [1, 2, 3])
    .put('map', new Map([['what', 'what']]))
    .put('withDefault', null)

const schemaless = () => ({
  magic: 42,
  bool: true,
  int: 42,
  long: 42n,
  double: 4.2,
  string: 'hmm',
  date: new Date(86_400_000),
  array: [1, 2, 3],
  map: { what: 'what' },
})

describe('MaskField', () => {
  it('masks schemaless fields with the empty value of their type', () => {
    const xform = configure(maskFieldValue, { fields: 'bool,int,long,double,string,date,array,map' })
    const result = applied(xform, sourceRecord({ value: schemaless() }))
    assert.deepEqual(result.value, {
      magic: 42,
      bool: false,
      int: 0,
      long: 0n,
      double: 0,
      string: '',
      date: new Date(0),
      array: [],
      map: {},
    })
  })

  it('masks struct fields with the empty value of their schema type', () => {
    const fields = 'bool,byte,short,int,long,float,double,string,date,time,timestamp,decimal,array,map'
    const result = applied(configure(maskFieldValue, { fields }), sourceRecord({ valueSchema: schema, value: struct() }))
    const masked = result.value as Struct
    assert.equal(masked.get('magic'), 42)
    assert.equal(masked.get('bool'), false)
    assert.equal(masked.get('byte'), 0)
    assert.equal(masked.get('long'), 0n)
    assert.equal(masked.get('float'), 0)
    assert.equal(masked.get('string'), '')
    assert.deepEqual(masked.get('date'), new Date(0))
    assert.deepEqual(masked.get('time'), new Date(0))
    assert.deepEqual(masked.get('timestamp'), new Date(0))
    assertValueEquals(masked.get('decimal'), decimalValue(0n, 0))
    assert.deepEqual(masked.get('array'), [])
    assert.deepEqual(masked.get('map'), new Map())
    assert.equal(result.valueSchema, schema)
  })

  it('masks with a custom numeric or string replacement', () => {
    const xform = configure(maskFieldValue, { fields: 'int,long,double,string', replacement: '123' })
    assert.deepEqual(applied(xform, sourceRecord({ value: schemaless() })).value, {
      ...schemaless(),
      int: 123,
      long: 123n,
      double: 123,
      string: '123',
    })
    const withSchema = applied(configure(maskFieldValue, { fields: 'byte,long,decimal,string', replacement: '12' }), sourceRecord({ valueSchema: schema, value: struct() }))
    const masked = withSchema.value as Struct
    assert.equal(masked.get('byte'), 12)
    assert.equal(masked.get('long'), 12n)
    assertValueEquals(masked.get('decimal'), decimalValue(12n, 0))
    assert.equal(masked.get('string'), '12')
  })

  it('refuses a custom replacement for types it cannot hold', () => {
    for (const field of ['date', 'bool', 'array', 'map']) {
      const xform = configure(maskFieldValue, { fields: field, replacement: '123' })
      assert.throws(() => xform.apply(sourceRecord({ value: schemaless() })), /Cannot mask value of type/, field)
    }
    const notNumber = configure(maskFieldValue, { fields: 'int', replacement: 'foo' })
    assert.throws(() => notNumber.apply(sourceRecord({ value: schemaless() })), /Unable to convert foo/)
  })

  it('cannot mask structs or bytes', () => {
    const nested = SchemaBuilder.struct().field('inner', SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).build()).build()
    const inner = new Struct(nested.fields?.[0]?.schema ?? nested).put('a', 1)
    const xform = configure(maskFieldValue, { fields: 'inner' })
    assert.throws(() => xform.apply(sourceRecord({ valueSchema: nested, value: new Struct(nested).put('inner', inner) })), DataError)
    assert.throws(() => xform.apply(sourceRecord({ value: { inner: new Uint8Array([1]) } })), /Cannot mask value of type: Uint8Array/)
  })

  it('adds a listed field missing from a schemaless value as null, and keeps null fields null', () => {
    const xform = configure(maskFieldValue, { fields: 'missing,nothing' })
    assert.deepEqual(applied(xform, sourceRecord({ value: { nothing: null } })).value, { missing: null, nothing: null })
  })

  // Kafka's MaskField throws here (requireMap/requireStruct of null); we pass the tombstone on, as the README says.
  it('leaves a tombstone unchanged, with or without a schema, where Kafka would fail', () => {
    const xform = configure(maskFieldValue, { fields: 'magic' })
    const untyped = sourceRecord({ value: null })
    assert.equal(xform.apply(untyped), untyped)
    const withSchema = sourceRecord({ valueSchema: schema, value: null })
    assert.equal(xform.apply(withSchema), withSchema)
  })

  it('leaves a null key unchanged and works on the key', () => {
    const xform = configure(maskFieldKey, { fields: 'a' })
    const tombstone = sourceRecord({ key: null })
    assert.equal(xform.apply(tombstone), tombstone)
    assert.deepEqual(applied(xform, sourceRecord({ key: { a: 'secret', b: 'x' } })).key, { a: '', b: 'x' })
  })

  it('rejects an empty field list and an empty replacement', () => {
    assertRejects(maskFieldValue, {}, 'fields')
    assertRejects(maskFieldValue, { fields: '' }, 'fields', 'Empty list')
    assertRejects(maskFieldValue, { fields: 'a', replacement: '' }, 'replacement', 'non-empty')
  })

  it('reads a null field with a default as the default unless replace.null.with.default is false', () => {
    const withDefault = applied(configure(maskFieldValue, { fields: 'magic' }), sourceRecord({ valueSchema: schema, value: struct() }))
    assert.equal((withDefault.value as Struct).getWithoutDefault('withDefault'), 'default')
    const keepNull = applied(configure(maskFieldValue, { fields: 'magic', 'replace.null.with.default': 'false' }), sourceRecord({ valueSchema: schema, value: struct() }))
    assert.equal((keepNull.value as Struct).getWithoutDefault('withDefault'), null)
  })
})
