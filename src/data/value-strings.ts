import { DataError } from '../plugin/errors.ts'
import { formatNumber } from './java-numbers.ts'
import { Date as DateType, Decimal, Time, Timestamp, decimalFromString, decimalToString, isDecimalValue } from './logical-types.ts'
import type { DecimalValue } from './logical-types.ts'
import type { Schema, SchemaAndValue, SchemaType } from './schema.ts'
import { SchemaBuilder } from './schema-builder.ts'
import { Schemas } from './schemas.ts'
import { Struct } from './struct.ts'
import { isMapValue, mapEntries } from './values.ts'

/**
 * Values as text, after Kafka Connect's `Values.convertToString` and `Values.parseString`: what SimpleHeaderConverter
 * stores in headers. Strings are written as they are, numbers and booleans as Java prints them, arrays as `[a,b]`,
 * maps as `{k:v}`, structs as `{"field":v}`, dates in ISO-8601 (UTC). Parsing infers the narrowest schema.
 */

const MILLIS_PER_DAY = 86_400_000

/** The text form of a value; `null` for a null value. The schema, when given, decides how numbers are printed. */
export const convertToString = (schema: Schema | null, value: unknown): string | null => {
  if (value === null || value === undefined) return null
  return append(schema, value, false)
}

const append = (schema: Schema | null | undefined, value: unknown, embedded: boolean): string => {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return embedded ? `"${escape(value)}"` : value
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return formatNumber(schema?.type, value)
  if (value instanceof Uint8Array) {
    const encoded = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    return embedded ? `"${encoded}"` : encoded
  }
  if (value instanceof Date) return formatDate(value)
  if (isDecimalValue(value)) return decimalToString(value)
  if (Array.isArray(value)) {
    return `[${(value as readonly unknown[]).map((element) => append(schema?.valueSchema, element, true)).join(',')}]`
  }
  if (value instanceof Struct) {
    const fields = (value.schema.fields ?? []).map((field) => `${append(null, field.name, true)}:${append(field.schema, value.get(field.name), true)}`)
    return `{${fields.join(',')}}`
  }
  if (isMapValue(value)) {
    const entries = [...mapEntries(value)].map(([k, v]) => `${append(schema?.keySchema, k, true)}:${append(schema?.valueSchema, v, true)}`)
    return `{${entries.join(',')}}`
  }
  throw new DataError(`Failed to serialize unexpected value type ${describe(value)}`)
}

const describe = (value: unknown): string => (typeof value === 'object' ? (value?.constructor?.name ?? 'Object') : typeof value)

const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** Kafka's `Values.dateFormatFor`: a time of day before the first day ends, a date at midnight, else a timestamp. */
export const formatDate = (date: Date): string => {
  const millis = date.getTime()
  const time = `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`
  if (millis < MILLIS_PER_DAY) return time
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`
  if (millis % MILLIS_PER_DAY === 0) return day
  return `${day}T${time}`
}

const NULL: SchemaAndValue = Object.freeze({ schema: null, value: null })

/**
 * Parses text as Kafka's `Values.parseString` does: `true`/`false` → boolean; integers → the narrowest of
 * int8…int64 (int64 as bigint); other numbers → float32 when finite as a float, else float64, else Decimal;
 * ISO-8601 dates, times and timestamps → Date/Time/Timestamp; `[...]` → array and `{...}` → map with a common
 * element schema; `null` → null; anything else → the string itself.
 */
export const parseString = (text: string): SchemaAndValue => {
  if (text === '') return { schema: Schemas.STRING_SCHEMA, value: text }
  return parseTokens(new Tokens(text), false) ?? NULL
}

/** Splits on the delimiters `: , { } [ ] "` (a backslash escapes one); runs between them are single tokens. */
class Tokens {
  readonly tokens: string[] = []
  index = 0

  constructor(readonly original: string) {
    let start = 0
    let escaped = false
    for (let i = 0; i < original.length; i++) {
      const c = original[i]
      if (c === '\\') {
        escaped = !escaped
        continue
      }
      if (!escaped && c !== undefined && ':,{}[]"'.includes(c)) {
        if (start < i) this.tokens.push(original.slice(start, i))
        this.tokens.push(c)
        start = i + 1
      }
      escaped = false
    }
    if (start < original.length) this.tokens.push(original.slice(start))
  }

  hasNext(): boolean {
    return this.index < this.tokens.length
  }

  next(): string {
    const token = this.tokens[this.index++]
    if (token === undefined) throw new DataError(`Unexpected end of ${JSON.stringify(this.original)}`)
    return token
  }

  previous(): string | undefined {
    return this.tokens[this.index - 1]
  }

  /** Consumes the next non-blank token if, trimmed, it equals `expected`. Blank tokens before it are skipped. */
  canConsume(expected: string): boolean {
    let i = this.index
    while (i < this.tokens.length - 1 && this.tokens[i]?.trim() === '') i++
    if (this.tokens[i]?.trim() !== expected) return false
    this.index = i + 1
    return true
  }
}

const TEMPORAL_NAMES: ReadonlySet<string | undefined> = new Set([DateType.LOGICAL_NAME, Time.LOGICAL_NAME, Timestamp.LOGICAL_NAME])

const parseTokens = (tokens: Tokens, embedded: boolean): SchemaAndValue | null => {
  if (!tokens.hasNext()) return null
  if (embedded && tokens.canConsume('"')) return parseQuoted(tokens)
  for (const [literal, result] of LITERALS) {
    const mark = tokens.index
    if (tokens.canConsume(literal) && (embedded || !tokens.hasNext())) return result
    tokens.index = mark
  }

  const mark = tokens.index
  try {
    if (tokens.canConsume('[')) return parseArray(tokens)
    if (tokens.canConsume('{')) return parseMap(tokens)
  } catch (error) {
    if (!(error instanceof DataError)) throw error
    // Not a well-formed array or map: read it as text instead.
    tokens.index = mark
  }

  const raw = tokens.next()
  if (raw.trim() === '') return { schema: Schemas.STRING_SCHEMA, value: raw }
  const token = raw.trim()
  const first = token[0] ?? ''
  const startsWithDigit = first >= '0' && first <= '9'
  if (startsWithDigit) {
    // Unescaped colons split times and timestamps into five tokens; try those before the token on its own.
    const afterToken = tokens.index
    if (tokens.index + 4 <= tokens.tokens.length) {
      const joined = token + tokens.tokens.slice(tokens.index, tokens.index + 4).join('')
      const temporal = parseTemporal(joined)
      if (temporal !== null) {
        tokens.index += 4
        return temporal
      }
    }
    tokens.index = afterToken
    const temporal = parseTemporal(token)
    if (temporal !== null) return temporal
  }
  if (startsWithDigit || first === '+' || first === '-') {
    const number = parseNumber(token)
    if (number !== null) return number
  }
  if (embedded) throw new DataError('Failed to parse embedded value')
  return { schema: Schemas.STRING_SCHEMA, value: tokens.original }
}

const LITERALS: ReadonlyArray<readonly [string, SchemaAndValue | null]> = [
  ['null', null],
  ['true', Object.freeze({ schema: Schemas.BOOLEAN_SCHEMA, value: true })],
  ['false', Object.freeze({ schema: Schemas.BOOLEAN_SCHEMA, value: false })],
]

// Kafka keeps the escaping backslashes in quoted text; unescaping them makes convertToString/parseString round-trip.
const parseQuoted = (tokens: Tokens): SchemaAndValue => {
  let content = ''
  while (tokens.hasNext()) {
    const token = tokens.next()
    if (token === '"') break
    content += token
  }
  content = content.replace(/\\(.)/g, '$1')
  const parsed = parseString(content)
  if (TEMPORAL_NAMES.has(parsed.schema?.name)) return parsed
  return { schema: Schemas.STRING_SCHEMA, value: content }
}

const parseArray = (tokens: Tokens): SchemaAndValue => {
  const values: unknown[] = []
  let elementSchema: Schema | null | undefined
  while (tokens.hasNext()) {
    if (tokens.canConsume(']')) {
      // As Kafka's arrayOfNull(): no element schema when every element is null or they share none.
      if (elementSchema === undefined || elementSchema === null) return { schema: ARRAY_OF_UNKNOWN, value: values }
      const common = elementSchema
      return { schema: SchemaBuilder.array(common).build(), value: values.map((v) => alignTo(common, v)) }
    }
    if (tokens.canConsume(',')) throw new DataError(`Unable to parse an empty array element: ${tokens.original}`)
    const element = parseTokens(tokens, true)
    elementSchema = commonSchema(elementSchema, element)
    values.push(element?.value ?? null)
    const mark = tokens.index
    if (tokens.canConsume(']')) tokens.index = mark
    else if (!tokens.canConsume(',')) throw new DataError("Array elements missing ',' delimiter")
  }
  if (tokens.previous() === ',') throw new DataError(`Array is missing element after ',': ${tokens.original}`)
  throw new DataError(`Array is missing terminating ']': ${tokens.original}`)
}

const parseMap = (tokens: Tokens): SchemaAndValue => {
  const entries = new Map<unknown, unknown>()
  let keySchema: Schema | null | undefined
  let valueSchema: Schema | null | undefined
  while (tokens.hasNext()) {
    if (tokens.canConsume('}')) {
      if (keySchema === undefined || keySchema === null) return { schema: MAP_OF_UNKNOWN, value: entries }
      const commonKey = keySchema
      const commonValue = valueSchema ?? undefined
      const aligned = new Map<unknown, unknown>()
      for (const [k, v] of entries) aligned.set(alignTo(commonKey, k), commonValue === undefined ? v : alignTo(commonValue, v))
      // As Kafka's mapWithNullValues(): no value schema when the values are all null or share none.
      const schema = commonValue === undefined ? Object.freeze({ type: 'map' as const, optional: false, keySchema: commonKey }) : SchemaBuilder.map(commonKey, commonValue).build()
      return { schema, value: aligned }
    }
    if (tokens.canConsume(',')) throw new DataError(`Unable to parse a map entry with no key or value: ${tokens.original}`)
    const key = parseTokens(tokens, true)
    if (key === null || key.value === null) throw new DataError(`Map entry may not have a null key: ${tokens.original}`)
    if (!tokens.canConsume(':')) throw new DataError(`Map entry is missing ':' in ${tokens.original}`)
    const value = parseTokens(tokens, true)
    entries.set(key.value, value?.value ?? null)
    tokens.canConsume(',')
    keySchema = commonSchema(keySchema, key)
    valueSchema = commonSchema(valueSchema, value)
  }
  if (tokens.previous() === ',') throw new DataError(`Map is missing element after ',': ${tokens.original}`)
  throw new DataError(`Map is missing terminating '}': ${tokens.original}`)
}

const ARRAY_OF_UNKNOWN: Schema = Object.freeze({ type: 'array', optional: false })
const MAP_OF_UNKNOWN: Schema = Object.freeze({ type: 'map', optional: false })

const NUMERIC_ORDER: readonly SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64']

/**
 * The schema all elements share: numbers widen (int8 → … → float64); otherwise types must agree. `undefined` means
 * no element seen yet, `null` that the elements have no common schema (they are then kept as parsed).
 */
const commonSchema = (previous: Schema | null | undefined, latest: SchemaAndValue | null): Schema | null | undefined => {
  if (latest === null || latest.schema === null) return previous
  if (previous === undefined) return latest.schema
  if (previous === null) return null
  const next = latest.schema
  if (previous.type !== next.type) {
    const a = NUMERIC_ORDER.indexOf(previous.type)
    const b = NUMERIC_ORDER.indexOf(next.type)
    if (a < 0 || b < 0 || previous.name !== undefined || next.name !== undefined) return null
    return a > b ? previous : next
  }
  return previous.optional === next.optional ? next : null
}

/**
 * Kafka's `Values.convertTo` of an element to the common schema. That schema is never optional, so a null among
 * typed elements (`[null, 1]`, `{"a":null,"b":1}`) fails, and the whole text is then read as a string, as in Kafka.
 */
const alignTo = (schema: Schema, value: unknown): unknown => {
  if (value === null || value === undefined) {
    if (schema.optional) return null
    throw new DataError('Unable to convert a null value to a schema that requires a value')
  }
  if (typeof value !== 'number' && typeof value !== 'bigint') return value
  switch (schema.type) {
    case 'int64':
      return BigInt(value)
    case 'float32':
    case 'float64':
      return Number(value)
    default:
      return value
  }
}

const parseNumber = (token: string): SchemaAndValue | null => {
  let decimal: DecimalValue
  try {
    decimal = decimalFromString(token)
  } catch {
    return null
  }
  const integral = integralValue(decimal)
  if (integral !== null) {
    if (integral >= -128n && integral <= 127n) return { schema: Schemas.INT8_SCHEMA, value: Number(integral) }
    if (integral >= -32768n && integral <= 32767n) return { schema: Schemas.INT16_SCHEMA, value: Number(integral) }
    if (integral >= -2147483648n && integral <= 2147483647n) return { schema: Schemas.INT32_SCHEMA, value: Number(integral) }
    if (integral >= -(1n << 63n) && integral < 1n << 63n) return { schema: Schemas.INT64_SCHEMA, value: integral }
  }
  const asNumber = Number(token)
  if (decimal.scale !== 0) {
    if (Number.isFinite(Math.fround(asNumber))) return { schema: Schemas.FLOAT32_SCHEMA, value: asNumber }
    if (Number.isFinite(asNumber)) return { schema: Schemas.FLOAT64_SCHEMA, value: asNumber }
  }
  return { schema: Decimal.schema(decimal.scale), value: decimal }
}

// Java's xxxValueExact(): integral when no non-zero digit follows the decimal point.
const integralValue = ({ unscaled, scale }: DecimalValue): bigint | null => {
  if (scale <= 0) return unscaled * 10n ** BigInt(-scale)
  const divisor = 10n ** BigInt(scale)
  return unscaled % divisor === 0n ? unscaled / divisor : null
}

const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/

// Kafka parses with lenient SimpleDateFormat; here fields must be in range, and all times are UTC.
const parseTemporal = (text: string): SchemaAndValue | null => {
  const token = text.replace(/\\:/g, ':')
  let match = TIME.exec(token)
  if (match !== null) {
    const millis = utcMillis(1970, 1, 1, match.slice(1, 5))
    return millis === null ? null : { schema: Time.SCHEMA, value: new Date(millis) }
  }
  match = DATE.exec(token)
  if (match !== null) {
    const millis = utcMillis(Number(match[1]), Number(match[2]), Number(match[3]), ['0', '0', '0', '0'])
    return millis === null ? null : { schema: DateType.SCHEMA, value: new Date(millis) }
  }
  match = TIMESTAMP.exec(token)
  if (match !== null) {
    const millis = utcMillis(Number(match[1]), Number(match[2]), Number(match[3]), match.slice(4, 8))
    return millis === null ? null : { schema: Timestamp.SCHEMA, value: new Date(millis) }
  }
  return null
}

const utcMillis = (year: number, month: number, day: number, time: readonly (string | undefined)[]): number | null => {
  const [h, m, s, ms] = time.map(Number)
  if (h === undefined || m === undefined || s === undefined || ms === undefined || h > 23 || m > 59 || s > 59) return null
  const millis = Date.UTC(year, month - 1, day, h, m, s, ms)
  const date = new Date(millis)
  // Date.UTC rolls 2021-02-30 over into March; a real calendar date reads back unchanged.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return millis
}
