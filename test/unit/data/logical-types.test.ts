import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  Date as ConnectDate,
  Decimal,
  Schemas,
  Time,
  Timestamp,
  bigintFromBytes,
  bigintToBytes,
  decimalFromString,
  decimalToPlainString,
  decimalToString,
  decimalValue,
} from '../../../src/data/index.ts'

void describe('Decimal', () => {
  void it('is bytes named org.apache.kafka.connect.data.Decimal, version 1, with a scale parameter', () => {
    assert.deepEqual(Decimal.schema(2), {
      type: 'bytes',
      optional: false,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2' },
    })
  })

  void it('stores the unscaled value as big-endian two\'s complement, as BigInteger.toByteArray', () => {
    assert.deepEqual([...Decimal.fromLogical(Decimal.schema(2), decimalValue(156n, 2))], [0, 156])
    const cases: Array<[bigint, number[]]> = [
      [0n, [0]],
      [1n, [1]],
      [127n, [127]],
      [128n, [0, 128]],
      [-1n, [255]],
      [-128n, [128]],
      [-129n, [255, 127]],
      [65535n, [0, 255, 255]],
    ]
    for (const [value, bytes] of cases) {
      assert.deepEqual([...bigintToBytes(value)], bytes, `${value}`)
      assert.equal(bigintFromBytes(new Uint8Array(bytes)), value)
    }
  })

  void it('reads the scale from the schema when converting bytes back', () => {
    assert.deepEqual(Decimal.toLogical(Decimal.schema(2), new Uint8Array([0, 156])), { unscaled: 156n, scale: 2 })
  })

  void it('refuses a value whose scale differs from the schema', () => {
    assert.throws(() => Decimal.fromLogical(Decimal.schema(2), decimalValue(1n, 3)), { message: 'BigDecimal has mismatching scale value for given Decimal schema' })
  })

  void it('refuses a schema without a usable scale parameter', () => {
    assert.throws(() => Decimal.scale(Schemas.BYTES_SCHEMA), { message: 'Invalid Decimal schema: scale parameter not found.' })
    assert.throws(() => Decimal.scale({ ...Schemas.BYTES_SCHEMA, parameters: { scale: 'x' } }), { name: 'DataError' })
  })

  void it('parses and prints decimal text as Java BigDecimal does', () => {
    assert.deepEqual(decimalFromString('1.5600'), { unscaled: 15600n, scale: 4 })
    assert.deepEqual(decimalFromString('-12'), { unscaled: -12n, scale: 0 })
    assert.deepEqual(decimalFromString('1E+3'), { unscaled: 1n, scale: -3 })
    assert.deepEqual(decimalFromString('1.23e-2'), { unscaled: 123n, scale: 4 })
    assert.throws(() => decimalFromString('abc'), { name: 'DataError' })
    assert.equal(decimalToString(decimalValue(156n, 2)), '1.56')
    assert.equal(decimalToString(decimalValue(15600n, 4)), '1.5600')
    assert.equal(decimalToString(decimalValue(-5n, 3)), '-0.005')
    assert.equal(decimalToString(decimalValue(1n, -3)), '1E+3')
    assert.equal(decimalToString(decimalValue(1n, 8)), '1E-8')
    assert.equal(decimalToString(decimalValue(123n, 10)), '1.23E-8')
    assert.equal(decimalToPlainString(decimalValue(1n, -3)), '1000')
    assert.equal(decimalToPlainString(decimalValue(1n, 8)), '0.00000001')
  })
})

void describe('Date', () => {
  void it('is int32 days since the epoch, read as a JS Date at midnight UTC', () => {
    assert.deepEqual(ConnectDate.SCHEMA, { type: 'int32', optional: false, name: 'org.apache.kafka.connect.data.Date', version: 1 })
    assert.equal(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(Date.UTC(1997, 4, 18))), 9999)
    assert.equal(ConnectDate.toLogical(ConnectDate.SCHEMA, 10000).toISOString(), '1997-05-19T00:00:00.000Z')
  })

  void it('rejects a time of day and a schema of another type', () => {
    assert.throws(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(1)), {
      message: 'Kafka Connect Date type should not have any time fields set to non-zero values.',
    })
    assert.throws(() => ConnectDate.fromLogical(Schemas.INT32_SCHEMA, new Date(0)), { message: 'Requested conversion of Date object but the schema does not match.' })
  })
})

void describe('Time', () => {
  void it('is int32 milliseconds since midnight', () => {
    assert.equal(Time.fromLogical(Time.SCHEMA, new Date(14400000)), 14400000)
    assert.equal(Time.toLogical(Time.SCHEMA, 14400000).getTime(), 14400000)
  })

  void it('rejects dates other than the epoch day and out-of-range milliseconds', () => {
    assert.throws(() => Time.fromLogical(Time.SCHEMA, new Date(86400000)), { message: 'Kafka Connect Time type should not have any date fields set to non-zero values.' })
    assert.throws(() => Time.toLogical(Time.SCHEMA, -1), { name: 'DataError' })
  })
})

void describe('Timestamp', () => {
  void it('is int64 milliseconds since the epoch, held as bigint', () => {
    assert.equal(Timestamp.fromLogical(Timestamp.SCHEMA, new Date(4000000000)), 4000000000n)
    assert.equal(Timestamp.toLogical(Timestamp.SCHEMA, 4000000000n).getTime(), 4000000000)
    assert.equal(Timestamp.toLogical(Timestamp.SCHEMA, 42).getTime(), 42)
    assert.throws(() => Timestamp.toLogical(Schemas.INT64_SCHEMA, 1n), { message: 'Requested conversion of Timestamp object but the schema does not match.' })
  })
})
