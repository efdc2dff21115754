import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Date as ConnectDate, Time, Timestamp } from '../../../src/data/logical-types.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { SimpleDateFormat } from '../../../transforms/simple-date-format.ts'
import { timestampConverterKey, timestampConverterValue } from '../../../transforms/timestamp-converter.ts'
import { applied, assertRejects, assertSchemaEquals, configure, sourceRecord } from './records.ts'

const DATE = new Date(Date.UTC(1970, 0, 2))
const DATE_PLUS_TIME = new Date(Date.UTC(1970, 0, 2, 0, 0, 1))
const DATE_PLUS_TIME_UNIX = 86_401_000n
const TIME = new Date(1000)
const STRING_DATE_FMT = 'yyyy MM dd HH:mm:ss.SSS z'
const DATE_PLUS_TIME_STRING = '1970 01 02 00:00:01.000 UTC'

const schemaless = (config: Record<string, string>, value: unknown) => applied(configure(timestampConverterValue, config), sourceRecord({ value })).value

const withSchema = (config: Record<string, string>, valueSchema: ReturnType<SchemaBuilder['build']>, value: unknown) =>
  applied(configure(timestampConverterValue, config), sourceRecord({ valueSchema, value }))

describe('TimestampConverter', () => {
  it('is registered under Kafka class names for key and value', () => {
    assert.equal(timestampConverterKey.className, 'org.apache.kafka.connect.transforms.TimestampConverter$Key')
    assert.equal(timestampConverterValue.className, 'org.apache.kafka.connect.transforms.TimestampConverter$Value')
  })

  describe('config', () => {
    it('requires a valid target.type', () => {
      assertRejects(timestampConverterValue, {}, 'target.type', 'Missing required configuration')
      assertRejects(timestampConverterValue, { 'target.type': 'invalid' }, 'target.type', 'String must be one of: string, unix, Date, Time, Timestamp')
    })

    it('requires a format for string timestamps, and a valid one', () => {
      assertRejects(timestampConverterValue, { 'target.type': 'string' }, 'format', 'requires format option')
      assertRejects(timestampConverterValue, { 'target.type': 'string', format: 'bad-format' }, 'format', 'SimpleDateFormat-compatible pattern')
    })

    it('accepts only the known unix precisions', () => {
      assertRejects(timestampConverterValue, { 'target.type': 'unix', 'unix.precision': 'century' }, 'unix.precision')
      for (const precision of ['seconds', 'milliseconds', 'microseconds', 'nanoseconds']) {
        configure(timestampConverterValue, { 'target.type': 'unix', 'unix.precision': precision })
      }
    })
  })

  describe('without a schema', () => {
    it('converts a timestamp to every type', () => {
      assert.deepEqual(schemaless({ 'target.type': 'Timestamp' }, DATE_PLUS_TIME), DATE_PLUS_TIME)
      assert.deepEqual(schemaless({ 'target.type': 'Date' }, DATE_PLUS_TIME), DATE)
      assert.deepEqual(schemaless({ 'target.type': 'Time' }, DATE_PLUS_TIME), TIME)
      assert.equal(schemaless({ 'target.type': 'unix' }, DATE_PLUS_TIME), DATE_PLUS_TIME_UNIX)
      assert.equal(schemaless({ 'target.type': 'string', format: STRING_DATE_FMT }, DATE_PLUS_TIME), DATE_PLUS_TIME_STRING)
    })

    it('reads unix times and formatted strings', () => {
      assert.deepEqual(schemaless({ 'target.type': 'Timestamp' }, 86_401_000), DATE_PLUS_TIME)
      assert.deepEqual(schemaless({ 'target.type': 'Timestamp' }, DATE_PLUS_TIME_UNIX), DATE_PLUS_TIME)
      assert.deepEqual(schemaless({ 'target.type': 'Timestamp', format: STRING_DATE_FMT }, DATE_PLUS_TIME_STRING), DATE_PLUS_TIME)
    })

    it('honours unix.precision both ways, truncating sub-millisecond parts', () => {
      assert.equal(schemaless({ 'target.type': 'unix', 'unix.precision': 'seconds' }, DATE_PLUS_TIME), 86_401n)
      assert.equal(schemaless({ 'target.type': 'unix', 'unix.precision': 'microseconds' }, DATE_PLUS_TIME), 86_401_000_000n)
      assert.equal(schemaless({ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }, DATE_PLUS_TIME), 86_401_000_000_000n)
      assert.deepEqual(schemaless({ 'target.type': 'Timestamp', 'unix.precision': 'microseconds' }, 86_401_000_999n), DATE_PLUS_TIME)
      assert.deepEqual(schemaless({ 'target.type': 'Timestamp', 'unix.precision': 'seconds' }, 86_401n), DATE_PLUS_TIME)
    })

    it('converts one field of a map', () => {
      const result = schemaless({ 'target.type': 'Date', field: 'ts' }, { ts: DATE_PLUS_TIME, other: 'x' })
      assert.deepEqual(result, { ts: DATE, other: 'x' })
    })

    it('keeps nulls null', () => {
      assert.equal(schemaless({ 'target.type': 'Date' }, null), null)
      assert.deepEqual(schemaless({ 'target.type': 'Date', field: 'ts' }, { ts: null }), { ts: null })
    })

    it('fails on text the format does not describe, and on values that are not timestamps', () => {
      assert.throws(
        () => schemaless({ 'target.type': 'Timestamp', format: 'yyyy-MM-dd' }, 'not a date'),
        /Could not parse timestamp: value \(not a date\) does not match pattern \(yyyy-MM-dd\)/,
      )
      assert.throws(() => schemaless({ 'target.type': 'Date' }, true), /does not support boolean objects as timestamps/)
    })
  })

  describe('with a schema', () => {
    it('converts a timestamp to every type, with the target schema', () => {
      const toDate = withSchema({ 'target.type': 'Date' }, Timestamp.SCHEMA, DATE_PLUS_TIME)
      assertSchemaEquals(toDate.valueSchema, ConnectDate.SCHEMA)
      assert.deepEqual(toDate.value, DATE)
      const toTime = withSchema({ 'target.type': 'Time' }, Timestamp.SCHEMA, DATE_PLUS_TIME)
      assertSchemaEquals(toTime.valueSchema, Time.SCHEMA)
      assert.deepEqual(toTime.value, TIME)
      const toUnix = withSchema({ 'target.type': 'unix' }, Timestamp.SCHEMA, DATE_PLUS_TIME)
      assertSchemaEquals(toUnix.valueSchema, Schemas.INT64_SCHEMA)
      assert.equal(toUnix.value, DATE_PLUS_TIME_UNIX)
      const toString = withSchema({ 'target.type': 'string', format: STRING_DATE_FMT }, Timestamp.SCHEMA, DATE_PLUS_TIME)
      assertSchemaEquals(toString.valueSchema, Schemas.STRING_SCHEMA)
      assert.equal(toString.value, DATE_PLUS_TIME_STRING)
    })

    it('reads an int64 as unix time and a string as formatted text', () => {
      assert.deepEqual(withSchema({ 'target.type': 'Timestamp' }, Schemas.INT64_SCHEMA, DATE_PLUS_TIME_UNIX).value, DATE_PLUS_TIME)
      const fromString = withSchema({ 'target.type': 'Timestamp', format: STRING_DATE_FMT }, Schemas.STRING_SCHEMA, DATE_PLUS_TIME_STRING)
      assertSchemaEquals(fromString.valueSchema, Timestamp.SCHEMA)
      assert.deepEqual(fromString.value, DATE_PLUS_TIME)
    })

    it('keeps a null value null with an optional target schema', () => {
      const result = withSchema({ 'target.type': 'Timestamp' }, Schemas.OPTIONAL_INT64_SCHEMA, null)
      assert.equal(result.value, null)
      assertSchemaEquals(result.valueSchema, Timestamp.builder().optional().build())
    })

    it('converts one field of a struct, keeping the others', () => {
      const schema = SchemaBuilder.struct().field('ts', Timestamp.SCHEMA).field('other', Schemas.STRING_SCHEMA).build()
      const result = withSchema({ 'target.type': 'unix', field: 'ts' }, schema, new Struct(schema).put('ts', DATE_PLUS_TIME).put('other', 'test'))
      const expected = SchemaBuilder.struct().field('ts', Schemas.INT64_SCHEMA).field('other', Schemas.STRING_SCHEMA).build()
      assertSchemaEquals(result.valueSchema, expected)
      assert.equal((result.value as Struct).get('ts'), DATE_PLUS_TIME_UNIX)
      assert.equal((result.value as Struct).get('other'), 'test')
    })

    it('converts a null field, and a null struct, to null', () => {
      const schema = SchemaBuilder.struct().optional().field('ts', Timestamp.builder().optional().build()).build()
      const nullField = withSchema({ 'target.type': 'unix', field: 'ts' }, schema, new Struct(schema))
      assert.equal((nullField.value as Struct).get('ts'), null)
      const nullStruct = withSchema({ 'target.type': 'unix', field: 'ts' }, schema, null)
      assert.equal(nullStruct.value, null)
      assert.equal(nullStruct.valueSchema?.fields?.[0]?.schema.type, 'int64')
    })

    it('reads a null field with a default as the default unless replace.null.with.default is false', () => {
      const schema = SchemaBuilder.struct().field('ts', SchemaBuilder.int64().optional().defaultValue(86_401_000n).build()).build()
      const value = new Struct(schema)
      assert.deepEqual((withSchema({ 'target.type': 'Timestamp', field: 'ts' }, schema, value).value as Struct).get('ts'), DATE_PLUS_TIME)
      const keepNull = withSchema({ 'target.type': 'Timestamp', field: 'ts', 'replace.null.with.default': 'false' }, schema, value)
      assert.equal((keepNull.value as Struct).get('ts'), null)
    })

    it('fails on a schema that is no timestamp', () => {
      assert.throws(() => withSchema({ 'target.type': 'Date' }, Schemas.BOOLEAN_SCHEMA, true), DataError)
    })
  })

  it('converts the key', () => {
    const result = applied(configure(timestampConverterKey, { 'target.type': 'unix' }), sourceRecord({ key: DATE_PLUS_TIME, value: 'v' }))
    assert.equal(result.key, DATE_PLUS_TIME_UNIX)
    assert.equal(result.value, 'v')
  })
})

describe('SimpleDateFormat', () => {
  const at = new Date(Date.UTC(2017, 0, 3, 14, 5, 9, 42))

  it('formats the usual pattern letters in UTC', () => {
    assert.equal(new SimpleDateFormat('yyyyMMdd').format(at), '20170103')
    assert.equal(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").format(at), '2017-01-03T14:05:09.042Z')
    assert.equal(new SimpleDateFormat('EEE, d MMM yy hh:mm a Z').format(at), 'Tue, 3 Jan 17 02:05 PM +0000')
    assert.equal(new SimpleDateFormat("EEEE MMMM D 'o''clock' k").format(at), "Tuesday January 3 o'clock 14")
  })

  it('parses what it formats, ignoring trailing text', () => {
    const format = new SimpleDateFormat('yyyy-MM-dd HH:mm:ss.SSS')
    assert.deepEqual(format.parse('2017-01-03 14:05:09.042'), at)
    assert.deepEqual(new SimpleDateFormat('yyyyMMddHHmmss').parse('20170103140509 and more'), new Date(Date.UTC(2017, 0, 3, 14, 5, 9)))
    assert.deepEqual(new SimpleDateFormat('d MMM yyyy hh a').parse('3 jan 2017 02 PM'), new Date(Date.UTC(2017, 0, 3, 14)))
    assert.deepEqual(new SimpleDateFormat('yyyy-MM-dd HH:mm XXX').parse('2017-01-03 16:05 +02:00'), new Date(Date.UTC(2017, 0, 3, 14, 5)))
  })

  it('rejects unknown pattern letters and unterminated quotes', () => {
    assert.throws(() => new SimpleDateFormat('yyyyQ'), /Illegal pattern character 'Q'/)
    assert.throws(() => new SimpleDateFormat("yyyy'T"), /Unterminated quote/)
  })
})
