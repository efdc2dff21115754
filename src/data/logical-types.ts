import { DataError } from '../plugin/errors.ts'
import type { Schema } from './schema.ts'
import { SchemaBuilder } from './schema-builder.ts'

/**
 * Kafka Connect's logical types: a schema name (and parameters) on a primitive schema that says how to read it.
 * Values of a logical schema are the logical representation (a {@link DecimalValue}, a JS `Date`); `fromLogical`
 * and `toLogical` convert to and from the primitive stored underneath, with Kafka's checks and messages.
 */

/** An arbitrary-precision decimal, `unscaled × 10^-scale`, as Java's BigDecimal (so `1.0` and `1.00` differ). */
export interface DecimalValue {
  readonly unscaled: bigint
  readonly scale: number
}

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000

export const decimalValue = (unscaled: bigint, scale: number): DecimalValue => {
  if (!Number.isInteger(scale)) throw new DataError(`Decimal scale must be an integer, got ${scale}`)
  return Object.freeze({ unscaled, scale })
}

export const isDecimalValue = (value: unknown): value is DecimalValue =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DecimalValue).unscaled === 'bigint' &&
  Number.isInteger((value as DecimalValue).scale)

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** Parses decimal text as Java's `new BigDecimal(String)`: `"1.50"` has scale 2, `"1E+3"` has scale -3. */
export const decimalFromString = (text: string): DecimalValue => {
  const match = DECIMAL_TEXT.exec(text.trim())
  const intPart = match?.[2] ?? ''
  const fracPart = match?.[3] ?? ''
  if (match === null || intPart.length + fracPart.length === 0) throw new DataError(`Not a decimal number: ${JSON.stringify(text)}`)
  const digits = BigInt(intPart + fracPart)
  const exponent = match[4] === undefined ? 0 : Number(match[4])
  return decimalValue(match[1] === '-' ? -digits : digits, fracPart.length - exponent)
}

/** Java's `BigDecimal.toString()`: plain notation unless the scale is negative or the number is tiny. */
export const decimalToString = ({ unscaled, scale }: DecimalValue): string => {
  const sign = unscaled < 0n ? '-' : ''
  const coefficient = (unscaled < 0n ? -unscaled : unscaled).toString()
  const adjusted = -scale + (coefficient.length - 1)
  if (scale >= 0 && adjusted >= -6) return sign + placePoint(coefficient, scale)
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient
  const exponent = adjusted === 0 ? '' : `E${adjusted > 0 ? '+' : ''}${adjusted}`
  return sign + mantissa + exponent
}

/** Java's `BigDecimal.toPlainString()`: never an exponent. */
export const decimalToPlainString = ({ unscaled, scale }: DecimalValue): string => {
  const sign = unscaled < 0n ? '-' : ''
  const coefficient = (unscaled < 0n ? -unscaled : unscaled).toString()
  if (scale <= 0) return sign + coefficient + (unscaled === 0n ? '' : '0'.repeat(-scale))
  return sign + placePoint(coefficient, scale)
}

const placePoint = (coefficient: string, scale: number): string => {
  if (scale === 0) return coefficient
  if (coefficient.length > scale) return `${coefficient.slice(0, -scale)}.${coefficient.slice(-scale)}`
  return `0.${'0'.repeat(scale - coefficient.length)}${coefficient}`
}

/** Big-endian two's complement in the fewest bytes (at least one), as Java's `BigInteger.toByteArray()`. */
export const bigintToBytes = (value: bigint): Uint8Array => {
  let length = 1
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length++
  let rest = value < 0n ? (1n << BigInt(8 * length)) + value : value
  const bytes = new Uint8Array(length)
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn)
    rest >>= 8n
  }
  return bytes
}

/** Reads big-endian two's complement, as Java's `new BigInteger(byte[])`. */
export const bigintFromBytes = (bytes: Uint8Array): bigint => {
  if (bytes.length === 0) throw new DataError('Zero length BigInteger')
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return (bytes[0] ?? 0) >= 0x80 ? value - (1n << BigInt(8 * bytes.length)) : value
}

const requireLogicalName = (schema: Schema, logicalName: string, what: string): void => {
  if (schema.name !== logicalName) throw new DataError(`Requested conversion of ${what} object but the schema does not match.`)
}

const toDate = (millis: number): globalThis.Date => {
  const date = new globalThis.Date(millis)
  if (Number.isNaN(date.getTime())) throw new DataError(`${millis} ms since the epoch is outside the range of a Date`)
  return date
}

// Plain frozen objects rather than SchemaBuilder calls: values.ts imports this module, and SchemaBuilder imports
// values.ts, so nothing here may use SchemaBuilder while modules are still loading.
const logicalSchema = (type: 'int32' | 'int64', name: string): Schema => Object.freeze({ type, optional: false, name, version: 1 })

const DECIMAL_NAME = 'org.apache.kafka.connect.data.Decimal'
const SCALE_FIELD = 'scale'

/** Bytes holding the unscaled value; the scale is the schema's `scale` parameter. */
export const Decimal = Object.freeze({
  LOGICAL_NAME: DECIMAL_NAME,
  SCALE_FIELD,
  builder: (scale: number): SchemaBuilder =>
    SchemaBuilder.bytes().withName(DECIMAL_NAME).parameter(SCALE_FIELD, String(scale)).version(1),
  schema: (scale: number): Schema => Decimal.builder(scale).build(),
  scale: (schema: Schema): number => {
    const raw = schema.parameters?.[SCALE_FIELD]
    if (raw === undefined) throw new DataError('Invalid Decimal schema: scale parameter not found.')
    if (!/^[+-]?\d+$/.test(raw.trim())) throw new DataError(`Invalid scale parameter found in Decimal schema: ${raw}`)
    return Number(raw)
  },
  fromLogical: (schema: Schema, value: DecimalValue): Uint8Array => {
    if (value.scale !== Decimal.scale(schema)) {
      throw new DataError('BigDecimal has mismatching scale value for given Decimal schema')
    }
    return bigintToBytes(value.unscaled)
  },
  toLogical: (schema: Schema, bytes: Uint8Array): DecimalValue => decimalValue(bigintFromBytes(bytes), Decimal.scale(schema)),
})

const DATE_NAME = 'org.apache.kafka.connect.data.Date'

/** int32 days since the epoch; the value is a JS Date at midnight UTC. */
export const Date = Object.freeze({
  LOGICAL_NAME: DATE_NAME,
  builder: (): SchemaBuilder => SchemaBuilder.int32().withName(DATE_NAME).version(1),
  SCHEMA: logicalSchema('int32', DATE_NAME),
  fromLogical: (schema: Schema, value: globalThis.Date): number => {
    requireLogicalName(schema, DATE_NAME, 'Date')
    const millis = value.getTime()
    if (millis % MILLIS_PER_DAY !== 0) {
      throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.')
    }
    return millis / MILLIS_PER_DAY
  },
  toLogical: (schema: Schema, days: number): globalThis.Date => {
    requireLogicalName(schema, DATE_NAME, 'Date')
    return toDate(days * MILLIS_PER_DAY)
  },
})

const TIME_NAME = 'org.apache.kafka.connect.data.Time'

/** int32 milliseconds since midnight; the value is a JS Date on 1970-01-01 UTC. */
export const Time = Object.freeze({
  LOGICAL_NAME: TIME_NAME,
  builder: (): SchemaBuilder => SchemaBuilder.int32().withName(TIME_NAME).version(1),
  SCHEMA: logicalSchema('int32', TIME_NAME),
  fromLogical: (schema: Schema, value: globalThis.Date): number => {
    requireLogicalName(schema, TIME_NAME, 'Time')
    const millis = value.getTime()
    // Java's integer division truncates toward zero, so Kafka lets the last day's millisecond before the epoch pass.
    if (Math.trunc(millis / MILLIS_PER_DAY) !== 0) {
      throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.')
    }
    return millis
  },
  toLogical: (schema: Schema, millis: number): globalThis.Date => {
    requireLogicalName(schema, TIME_NAME, 'Time')
    if (millis < 0 || millis > MILLIS_PER_DAY) {
      throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000')
    }
    return toDate(millis)
  },
})

const TIMESTAMP_NAME = 'org.apache.kafka.connect.data.Timestamp'

/** int64 milliseconds since the epoch; the value is a JS Date. */
export const Timestamp = Object.freeze({
  LOGICAL_NAME: TIMESTAMP_NAME,
  builder: (): SchemaBuilder => SchemaBuilder.int64().withName(TIMESTAMP_NAME).version(1),
  SCHEMA: logicalSchema('int64', TIMESTAMP_NAME),
  fromLogical: (schema: Schema, value: globalThis.Date): bigint => {
    requireLogicalName(schema, TIMESTAMP_NAME, 'Timestamp')
    return BigInt(value.getTime())
  },
  toLogical: (schema: Schema, millis: bigint | number): globalThis.Date => {
    requireLogicalName(schema, TIMESTAMP_NAME, 'Timestamp')
    return toDate(Number(millis))
  },
})

/** The logical type names Kafka Connect defines, for code that must treat logical schemas specially. */
export const LOGICAL_TYPE_NAMES: ReadonlySet<string> = new Set([DECIMAL_NAME, DATE_NAME, TIME_NAME, TIMESTAMP_NAME])
