import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Date as ConnectDate, Decimal, Time, Timestamp, decimalValue } from '../../../src/data/logical-types.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { castKey, castValue } from '../../../transforms/cast.ts'
import { applied, assertRejects, assertSchemaEquals, configure, sourceRecord } from './records.ts'

const MILLIS_PER_DAY = 86_400_000
const wholeValue = (spec: string, valueSchema: ReturnType<SchemaBuilder['build']> | null, value: unknown) =>
  applied(configure(castValue, { spec }), sourceRecord({ valueSchema, value }))

describe('Cast', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(castKey.className, 'org.apache.kafka.connect.transforms.Cast$Key')
    assert.equal(castValue.className, 'org.apache.kafka.connect.transforms.Cast$Value')
  })

  describe('config', () => {
    it('requires at least one cast', () => {
      assertRejects(castValue, {}, 'spec', 'Missing required configuration')
      assertRejects(castValue, { spec: '' }, 'spec', 'Must specify at least one field to cast.')
    })

    it('rejects unknown and unsupported target types', () => {
      assertRejects(castValue, { spec: 'foo:faketype' }, 'spec', 'Invalid type found in casting spec: faketype')
      assertRejects(castValue, { spec: 'foo:array' }, 'spec', 'Cast transformation does not support casting to ARRAY')
      assertRejects(castValue, { spec: 'array' }, 'spec', 'does not support casting to ARRAY')
      assertRejects(castValue, { spec: 'foo:bytes' }, 'spec', 'does not support casting to BYTES')
    })

    it('rejects malformed mappings and a whole-value cast mixed with field casts', () => {
      assertRejects(castValue, { spec: 'foo:int8:extra' }, 'spec', 'Invalid rename mapping: foo:int8:extra')
      assertRejects(castValue, { spec: 'foo:int8,int32' }, 'spec', 'may only specify a single cast')
    })
  })

  it('leaves a tombstone unchanged, with or without a schema', () => {
    const xform = configure(castValue, { spec: 'int8' })
    const schemaless = sourceRecord({ value: null })
    assert.equal(xform.apply(schemaless), schemaless)
    const withSchema = sourceRecord({ valueSchema: Schemas.OPTIONAL_INT32_SCHEMA, value: null })
    assert.equal(xform.apply(withSchema), withSchema)
  })

  describe('the whole key or value, with a schema', () => {
    it('narrows and widens integers and floats', () => {
      const key = applied(configure(castKey, { spec: 'int8' }), sourceRecord({ keySchema: Schemas.INT32_SCHEMA, key: 42 }))
      assertSchemaEquals(key.keySchema, Schemas.INT8_SCHEMA)
      assert.equal(key.key, 42)
      assert.equal(wholeValue('int16', Schemas.INT32_SCHEMA, 42).value, 42)
      assert.equal(wholeValue('int64', Schemas.INT32_SCHEMA, 42).value, 42n)
      assert.equal(wholeValue('float32', Schemas.INT32_SCHEMA, 42).value, 42)
      assert.equal(wholeValue('float64', Schemas.INT32_SCHEMA, 42).value, 42)
      assert.equal(wholeValue('int32', Schemas.FLOAT64_SCHEMA, 42.9).value, 42)
    })

    it('wraps and saturates as Java narrowing does', () => {
      assert.equal(wholeValue('int8', Schemas.INT32_SCHEMA, 300).value, 44)
      assert.equal(wholeValue('int32', Schemas.INT64_SCHEMA, 4_294_967_297n).value, 1)
      assert.equal(wholeValue('int32', Schemas.FLOAT64_SCHEMA, 1e20).value, 2147483647)
      assert.equal(wholeValue('int64', Schemas.FLOAT64_SCHEMA, Number.NaN).value, 0n)
    })

    it('casts numbers to booleans as non-zero, and booleans to 1 and 0', () => {
      assert.equal(wholeValue('boolean', Schemas.INT32_SCHEMA, 42).value, true)
      assert.equal(wholeValue('boolean', Schemas.INT32_SCHEMA, 0).value, false)
      assert.equal(wholeValue('int32', Schemas.BOOLEAN_SCHEMA, true).value, 1)
    })

    it('prints values as Java does', () => {
      assert.equal(wholeValue('string', Schemas.INT32_SCHEMA, 42).value, '42')
      assert.equal(wholeValue('string', Schemas.FLOAT64_SCHEMA, 42).value, '42.0')
      assert.equal(wholeValue('string', Schemas.FLOAT32_SCHEMA, Math.fround(1.1)).value, '1.1')
      assert.equal(wholeValue('string', Schemas.FLOAT64_SCHEMA, 1e7).value, '1.0E7')
      assert.equal(wholeValue('string', Schemas.INT64_SCHEMA, 42n).value, '42')
      assert.equal(wholeValue('string', Schemas.BOOLEAN_SCHEMA, true).value, 'true')
    })

    it('prints decimals, dates and bytes', () => {
      assert.equal(wholeValue('string', Decimal.schema(0), decimalValue(42n, 0)).value, '42')
      assert.equal(wholeValue('string', Decimal.schema(2), decimalValue(4200n, 2)).value, '42.00')
      assert.equal(wholeValue('string', Timestamp.SCHEMA, new Date(MILLIS_PER_DAY + 1)).value, '1970-01-02T00:00:00.001Z')
      assert.equal(wholeValue('string', ConnectDate.SCHEMA, new Date(MILLIS_PER_DAY)).value, '1970-01-02')
      assert.equal(wholeValue('string', Time.SCHEMA, new Date(1000)).value, '00:00:01.000Z')
      assert.equal(wholeValue('string', Schemas.BYTES_SCHEMA, new TextEncoder().encode('hello')).value, 'aGVsbG8=')
    })

    it('casts logical values through their underlying numbers', () => {
      assert.equal(wholeValue('int32', ConnectDate.SCHEMA, new Date(2 * MILLIS_PER_DAY)).value, 2)
      assert.equal(wholeValue('int64', Timestamp.SCHEMA, new Date(1234)).value, 1234n)
      assert.equal(wholeValue('float64', Decimal.schema(2), decimalValue(4250n, 2)).value, 42.5)
      assert.equal(wholeValue('int32', Decimal.schema(2), decimalValue(4250n, 2)).value, 42)
    })

    it('parses strings as Java parses numbers, and fails on what Java rejects', () => {
      assert.equal(wholeValue('int32', Schemas.STRING_SCHEMA, '42').value, 42)
      assert.equal(wholeValue('float64', Schemas.STRING_SCHEMA, '4.2').value, 4.2)
      assert.equal(wholeValue('boolean', Schemas.STRING_SCHEMA, 'TRUE').value, true)
      assert.equal(wholeValue('boolean', Schemas.STRING_SCHEMA, 'yes').value, false)
      assert.throws(() => wholeValue('int8', Schemas.STRING_SCHEMA, '300'), /Value \(300\) was out of range for requested data type/)
      assert.throws(() => wholeValue('int32', Schemas.STRING_SCHEMA, '4.2'), DataError)
    })

    it('casts the default value and keeps optionality', () => {
      const schema = SchemaBuilder.int32().optional().defaultValue(42).build()
      const result = wholeValue('int8', schema, 42)
      assert.equal(result.valueSchema?.type, 'int8')
      assert.equal(result.valueSchema?.optional, true)
      assert.equal(result.valueSchema?.defaultValue, 42)
    })

    it('refuses to cast bytes to anything but a string', () => {
      assert.throws(() => wholeValue('int32', Schemas.BYTES_SCHEMA, new Uint8Array([1])), /Unexpected type in Cast transformation/)
    })
  })

  describe('the whole value, without a schema', () => {
    it('infers the type from the value', () => {
      assert.equal(wholeValue('int8', null, 42).value, 42)
      assert.equal(wholeValue('int64', null, 42).value, 42n)
      assert.equal(wholeValue('float32', null, 42).value, 42)
      assert.equal(wholeValue('boolean', null, 42).value, true)
      assert.equal(wholeValue('string', null, 42).value, '42')
      assert.equal(wholeValue('string', null, 4.5).value, '4.5')
    })

    it('fails on values outside the Connect data model', () => {
      assert.throws(() => wholeValue('int8', null, new Date()), /not supported by Connect's data API/)
      assert.throws(() => wholeValue('string', null, [1]), /does not support casting from ARRAY/)
    })
  })

  it('casts fields of a struct, keeping the others and the schema basics', () => {
    const schema = SchemaBuilder.struct()
      .withName('row')
      .field('int8', Schemas.INT8_SCHEMA)
      .field('int16', Schemas.OPTIONAL_INT16_SCHEMA)
      .field('int32', Schemas.INT32_SCHEMA)
      .field('int64', Schemas.INT64_SCHEMA)
      .field('float32', Schemas.FLOAT32_SCHEMA)
      .field('float64', Schemas.FLOAT64_SCHEMA)
      .field('boolean', Schemas.BOOLEAN_SCHEMA)
      .field('string', Schemas.STRING_SCHEMA)
      .field('bigdecimal', Decimal.schema(0))
      .field('date', ConnectDate.SCHEMA)
      .field('optional', Schemas.OPTIONAL_FLOAT32_SCHEMA)
      .field('withDefault', SchemaBuilder.int32().defaultValue(7).build())
      .field('untouched', Schemas.STRING_SCHEMA)
      .build()
    const value = new Struct(schema)
      .put('int8', 8)
      .put('int16', 16)
      .put('int32', 32)
      .put('int64', 64n)
      .put('float32', 32.5)
      .put('float64', 0)
      .put('boolean', true)
      .put('string', '42')
      .put('bigdecimal', decimalValue(42n, 0))
      .put('date', new Date(MILLIS_PER_DAY))
      .put('withDefault', 9)
      .put('untouched', 'as is')
    const spec =
      'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,bigdecimal:string,date:string,optional:int32,withDefault:string'
    const result = applied(configure(castValue, { spec }), sourceRecord({ valueSchema: schema, value }))
    const cast = result.value as Struct
    assert.equal(cast.schema.name, 'row')
    assert.equal(cast.get('int8'), 8)
    assert.equal(cast.schema.fields?.find((f) => f.name === 'int8')?.schema.type, 'int16')
    assert.equal(cast.get('int16'), 16)
    assert.equal(cast.schema.fields?.find((f) => f.name === 'int16')?.schema.optional, true)
    assert.equal(cast.get('int32'), 32n)
    assert.equal(cast.get('int64'), true)
    assert.equal(cast.get('float32'), 32.5)
    assert.equal(cast.get('float64'), false)
    assert.equal(cast.get('boolean'), 1)
    assert.equal(cast.get('string'), 42)
    assert.equal(cast.get('bigdecimal'), '42')
    assert.equal(cast.get('date'), '1970-01-02')
    assert.equal(cast.get('optional'), null)
    assert.equal(cast.get('withDefault'), '9')
    assert.equal(cast.schema.fields?.find((f) => f.name === 'withDefault')?.schema.defaultValue, '7')
    assert.equal(cast.get('untouched'), 'as is')
  })

  it('casts fields of a schemaless map, adding listed fields that are missing as null', () => {
    const xform = configure(castValue, { spec: 'int8:int16,int32:int64,int64:boolean,float64:boolean,boolean:int8,string:int32,missing:string' })
    const result = applied(xform, sourceRecord({ value: { int8: 8, int32: 32, int64: 64n, float64: 0.5, boolean: true, string: '42', other: 'x' } }))
    assert.deepEqual(result.value, { int8: 8, int32: 32n, int64: true, float64: false, boolean: 1, string: 42, other: 'x', missing: null })
  })

  it('requires a struct for field casts with a schema', () => {
    const xform = configure(castValue, { spec: 'a:int8' })
    assert.throws(() => xform.apply(sourceRecord({ valueSchema: Schemas.INT32_SCHEMA, value: 42 })), /Only Struct objects supported for \[cast types\]/)
  })
})
