import { Date as ConnectDate, Decimal, Time, Timestamp, decimalFromString, type DecimalValue } from '../src/data/logical-types.ts'
import type { SchemaAndValue } from '../src/data/schema.ts'
import { Schemas } from '../src/data/schemas.ts'
import { INT64_MAX, INT64_MIN } from '../src/data/values.ts'

/**
 * The parts of Kafka's `org.apache.kafka.connect.data.Values` (and of Java's number formatting) that the
 * transformations rely on: how values print, and how literal text becomes a typed value.
 */

const MILLIS_PER_DAY = 86_400_000

const pad = (value: number, width: number): string => String(value).padStart(width, '0')

const isoDate = (date: Date): string => `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`

const isoTime = (date: Date): string =>
  `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`

/**
 * `Values.dateFormatFor(date).format(date)`: a time before the first day's end prints as a time, a whole day as a
 * date, anything else as an ISO-8601 timestamp (all in UTC).
 */
export const formatDateValue = (date: Date): string => {
  const millis = date.getTime()
  if (millis < MILLIS_PER_DAY) return isoTime(date)
  if (millis % MILLIS_PER_DAY === 0) return isoDate(date)
  return `${isoDate(date)}T${isoTime(date)}`
}

/** Java's `Double.toString`: `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`. */
export const javaDoubleText = (n: number): string => {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return 'Infinity'
  if (n === -Infinity) return '-Infinity'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(n)
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(n)
    return text.includes('.') ? text : `${text}.0`
  }
  const [mantissa = '', exponent = ''] = n.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`
}

/** Java's `Float.toString` for a float32 value: the fewest digits that identify the float. */
export const javaFloatText = (n: number): string => {
  if (!Number.isFinite(n) || n === 0) return javaDoubleText(n)
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(n.toPrecision(precision))
    if (Math.fround(candidate) === n) return javaDoubleText(candidate)
  }
  return javaDoubleText(n)
}

/** Standard base64 with padding, as `Base64.getEncoder()`. */
export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

const INTEGER_TEXT = /^[+-]?\d+$/
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const ISO_TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/

/** Java's `Long.parseLong` (and `Integer.parseInt`, ... given their range): `undefined` when Java would throw. */
export const parseJavaInteger = (text: string, min: bigint, max: bigint): bigint | undefined => {
  if (!INTEGER_TEXT.test(text)) return undefined
  const value = BigInt(text)
  return value < min || value > max ? undefined : value
}

/** Java's `Double.parseDouble`: trims, accepts `NaN`, `Infinity` and a trailing `f`/`d`; `undefined` when Java throws. */
export const parseJavaDouble = (text: string): number | undefined => {
  const trimmed = text.trim()
  const unsigned = trimmed.replace(/^[+-]/, '')
  if (unsigned === 'NaN' || unsigned === 'Infinity') return Number(trimmed)
  const body = trimmed.replace(/[fFdD]$/, '')
  return DECIMAL_TEXT.test(body) ? Number(body) : undefined
}

const utc = (year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0, millis = 0): Date => {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hours, minutes, seconds, millis)
  return date
}

/**
 * Kafka's `Values.parseString` for the literals configs carry: `null`, booleans, numbers (the narrowest of int8,
 * int16, int32, int64; otherwise float32, float64 or a Decimal), ISO-8601 dates, times and timestamps; anything
 * else is the string itself. Kafka also parses `[...]` arrays and `{...}` maps: here those stay strings.
 */
export const parseLiteral = (text: string): SchemaAndValue => {
  if (text === '') return { schema: Schemas.STRING_SCHEMA, value: text }
  const trimmed = text.trim()
  if (trimmed === 'null') return { schema: null, value: null }
  const lower = trimmed.toLowerCase()
  if (lower === 'true' || lower === 'false') return { schema: Schemas.BOOLEAN_SCHEMA, value: lower === 'true' }
  if (DECIMAL_TEXT.test(trimmed)) return parseNumber(trimmed)
  let match = ISO_TIMESTAMP.exec(trimmed)
  if (match !== null) {
    const [y, mo, d, h, mi, s, ms] = numbers(match)
    return { schema: Timestamp.SCHEMA, value: utc(y, mo, d, h, mi, s, ms) }
  }
  match = ISO_DATE.exec(trimmed)
  if (match !== null) {
    const [y, mo, d] = numbers(match)
    return { schema: ConnectDate.SCHEMA, value: utc(y, mo, d) }
  }
  match = ISO_TIME.exec(trimmed)
  if (match !== null) {
    const [h, mi, s, ms] = numbers(match)
    return { schema: Time.SCHEMA, value: utc(1970, 1, 1, h, mi, s, ms) }
  }
  return { schema: Schemas.STRING_SCHEMA, value: text }
}

/** The captured groups of a date pattern, as numbers (missing groups read as 0). */
const numbers = (match: RegExpExecArray): [number, number, number, number, number, number, number] => {
  const n = (i: number): number => Number(match[i] ?? 0)
  return [n(1), n(2), n(3), n(4), n(5), n(6), n(7)]
}

const parseNumber = (text: string): SchemaAndValue => {
  const decimal: DecimalValue = decimalFromString(text)
  const integral = exactInteger(decimal)
  if (integral !== undefined && integral >= INT64_MIN && integral <= INT64_MAX) {
    if (integral >= -128n && integral <= 127n) return { schema: Schemas.INT8_SCHEMA, value: Number(integral) }
    if (integral >= -32768n && integral <= 32767n) return { schema: Schemas.INT16_SCHEMA, value: Number(integral) }
    if (integral >= -2147483648n && integral <= 2147483647n) return { schema: Schemas.INT32_SCHEMA, value: Number(integral) }
    return { schema: Schemas.INT64_SCHEMA, value: integral }
  }
  const double = Number(text)
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(double))) return { schema: Schemas.FLOAT32_SCHEMA, value: Math.fround(double) }
  if (decimal.scale !== 0 && Number.isFinite(double)) return { schema: Schemas.FLOAT64_SCHEMA, value: double }
  return { schema: Decimal.schema(decimal.scale), value: decimal }
}

/** The decimal's value when it is a whole number (`1.0`, `1E+3`), else `undefined`. */
const exactInteger = ({ unscaled, scale }: DecimalValue): bigint | undefined => {
  if (scale <= 0) return unscaled * 10n ** BigInt(-scale)
  const divisor = 10n ** BigInt(scale)
  return unscaled % divisor === 0n ? unscaled / divisor : undefined
}
