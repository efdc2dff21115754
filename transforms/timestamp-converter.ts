import { z } from 'zod'
import { Date as ConnectDate, Time, Timestamp } from '../src/data/logical-types.ts'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { SchemaBuilder, copySchemaBasics } from '../src/data/schema-builder.ts'
import { Schemas } from '../src/data/schemas.ts'
import { Struct } from '../src/data/struct.ts'
import { describeType } from '../src/data/values.ts'
import { documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStructOrNull } from './requirements.ts'
import { copyMap, getEntry, requireMap, setEntry } from './schemaless-map.ts'
import { DateParseError, DatePatternError, SimpleDateFormat } from './simple-date-format.ts'

const TARGET_TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const
type TimestampType = (typeof TARGET_TYPES)[number]

const UNIX_PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'] as const
type UnixPrecision = (typeof UNIX_PRECISIONS)[number]

export const timestampConverterConfig = z
  .object({
    field: documented(z.string().trim().default(''), {
      description: 'The field containing the timestamp, or empty if the entire value is a timestamp',
      importance: 'high',
    }),
    'target.type': documented(
      z
        .string()
        .trim()
        .refine((type) => (TARGET_TYPES as readonly string[]).includes(type), {
          message: `String must be one of: ${TARGET_TYPES.join(', ')}`,
        })
        .transform((type) => type as TimestampType),
      { description: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp', importance: 'high' },
    ),
    format: documented(
      z
        .string()
        .trim()
        .superRefine((pattern, ctx) => {
          if (pattern === '') return
          try {
            new SimpleDateFormat(pattern)
          } catch (error) {
            if (!(error instanceof DatePatternError)) throw error
            ctx.addIssue({
              code: 'custom',
              message: `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern} (${error.message})`,
            })
          }
        })
        .default(''),
      {
        description:
          'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
        importance: 'medium',
      },
    ),
    'unix.precision': documented(
      z
        .string()
        .trim()
        .refine((precision) => (UNIX_PRECISIONS as readonly string[]).includes(precision), {
          message: `String must be one of: ${UNIX_PRECISIONS.join(', ')}`,
        })
        .transform((precision) => precision as UnixPrecision)
        .default('milliseconds'),
      {
        description:
          'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
        importance: 'low',
      },
    ),
    'replace.null.with.default': replaceNullWithDefaultKey(),
  })
  .superRefine((config, ctx) => {
    if (config['target.type'] === 'string' && config.format === '') {
      ctx.addIssue({ code: 'custom', path: ['format'], message: 'TimestampConverter requires format option to be specified when using string timestamps' })
    }
  })

export type TimestampConverterConfig = z.output<typeof timestampConverterConfig>

const PURPOSE = 'converting timestamp formats'
const MILLIS_PER_DAY = 86_400_000

const OPTIONAL_DATE_SCHEMA = ConnectDate.builder().optional().build()
const OPTIONAL_TIME_SCHEMA = Time.builder().optional().build()
const OPTIONAL_TIMESTAMP_SCHEMA = Timestamp.builder().optional().build()

const typeSchema = (type: TimestampType, optional: boolean): Schema => {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING_SCHEMA : Schemas.STRING_SCHEMA
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64_SCHEMA : Schemas.INT64_SCHEMA
    case 'Date':
      return optional ? OPTIONAL_DATE_SCHEMA : ConnectDate.SCHEMA
    case 'Time':
      return optional ? OPTIONAL_TIME_SCHEMA : Time.SCHEMA
    case 'Timestamp':
      return optional ? OPTIONAL_TIMESTAMP_SCHEMA : Timestamp.SCHEMA
  }
}

/** The representation a schema's values have; Kafka treats any string as formatted text and any int64 as Unix time. */
const typeFromSchema = (schema: Schema): TimestampType => {
  switch (schema.name) {
    case Timestamp.LOGICAL_NAME:
      return 'Timestamp'
    case ConnectDate.LOGICAL_NAME:
      return 'Date'
    case Time.LOGICAL_NAME:
      return 'Time'
    default:
      break
  }
  if (schema.type === 'string') return 'string'
  if (schema.type === 'int64') return 'unix'
  throw new DataError(`Schema ${schema.type.toUpperCase()}${schema.name === undefined ? '' : ` ${schema.name}`} does not correspond to a known timestamp type format`)
}

/** Without a schema, a Date is a Timestamp, an integer is Unix time and a string is formatted text. */
const inferType = (value: unknown): TimestampType => {
  if (value instanceof Date) return 'Timestamp'
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'unix'
  if (typeof value === 'string') return 'string'
  throw new DataError(`TimestampConverter does not support ${describeType(value)} objects as timestamps`)
}

// Java's TimeUnit conversions divide with truncation toward zero, as bigint division does.
const UNITS_PER_MILLI: Readonly<Record<UnixPrecision, bigint>> = { nanoseconds: 1_000_000n, microseconds: 1000n, milliseconds: 1n, seconds: 1n }

const fromUnix = (unix: bigint, precision: UnixPrecision): Date => {
  const millis = precision === 'seconds' ? unix * 1000n : unix / UNITS_PER_MILLI[precision]
  return Timestamp.toLogical(Timestamp.SCHEMA, millis)
}

const toUnix = (date: Date, precision: UnixPrecision): bigint => {
  const millis = BigInt(date.getTime())
  return precision === 'seconds' ? millis / 1000n : millis * UNITS_PER_MILLI[precision]
}

/**
 * Kafka's TimestampConverter: converts a timestamp (the whole key or value, or one `field` of it) between formatted
 * text, Unix time (in `unix.precision` units), and Connect's Date, Time and Timestamp types, in UTC. Nulls stay null.
 */
const timestampConverter = (config: TimestampConverterConfig, part: RecordPart): Transformation => {
  const field = config.field
  const targetType = config['target.type']
  const precision = config['unix.precision']
  const replaceNullWithDefault = config['replace.null.with.default']
  const format = config.format === '' ? null : new SimpleDateFormat(config.format)
  const schemaUpdates = new WeakMap<Schema, Schema>()

  const toRaw = (value: unknown, type: TimestampType): Date => {
    switch (type) {
      case 'string': {
        if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found ${describeType(value)}`)
        if (format === null) throw new DataError('TimestampConverter requires format option to be specified when using string timestamps')
        try {
          return format.parse(value)
        } catch (error) {
          if (!(error instanceof DateParseError)) throw error
          throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${format.toPattern()})`, { cause: error })
        }
      }
      case 'unix':
        if (typeof value === 'bigint') return fromUnix(value, precision)
        if (typeof value === 'number' && Number.isSafeInteger(value)) return fromUnix(BigInt(value), precision)
        throw new DataError(`Expected Unix timestamp to be a Long, but found ${describeType(value)}`)
      default:
        if (!(value instanceof Date)) throw new DataError(`Expected ${type} to be a java.util.Date, but found ${describeType(value)}`)
        return value
    }
  }

  const toType = (date: Date): unknown => {
    switch (targetType) {
      case 'string':
        return (format as SimpleDateFormat).format(date)
      case 'unix':
        return toUnix(date, precision)
      case 'Date':
        return new Date(Math.floor(date.getTime() / MILLIS_PER_DAY) * MILLIS_PER_DAY)
      case 'Time': {
        const millisOfDay = ((date.getTime() % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY
        return new Date(millisOfDay)
      }
      case 'Timestamp':
        return date
    }
  }

  const convert = (value: unknown, type: TimestampType | null): unknown => {
    if (value === null || value === undefined) return null
    return toType(toRaw(value, type ?? inferType(value)))
  }

  const convertStruct = (struct: Struct | null, updatedSchema: Schema): Struct | null => {
    if (struct === null) return null
    const updated = new Struct(updatedSchema)
    for (const f of struct.schema.fields ?? []) {
      const original = fieldValue(struct, f.name, replaceNullWithDefault)
      updated.put(f.name, f.name === field ? convert(original, typeFromSchema(f.schema)) : original)
    }
    return updated
  }

  const updatedSchemaFor = (schema: Schema): Schema => {
    let updated = schemaUpdates.get(schema)
    if (updated !== undefined) return updated
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const f of schema.fields ?? []) builder.field(f.name, f.name === field ? typeSchema(targetType, f.schema.optional) : f.schema)
    if (schema.optional) builder.optional()
    if (schema.defaultValue !== undefined) builder.defaultValue(convertStruct(schema.defaultValue as Struct, builder.build()))
    updated = builder.build()
    schemaUpdates.set(schema, updated)
    return updated
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const schema = operatingSchema(record, part)
      const value = operatingValue(record, part) ?? null
      if (schema === null) {
        if (value === null || field === '') return withOperating(record, part, null, convert(value, null))
        const map = requireMap(value, PURPOSE)
        const updated = copyMap(map)
        setEntry(updated, field, convert(getEntry(map, field), null))
        return withOperating(record, part, null, updated)
      }
      if (field === '') return withOperating(record, part, typeSchema(targetType, schema.optional), convert(value, typeFromSchema(schema)))
      const struct = requireStructOrNull(value, PURPOSE)
      const updatedSchema = updatedSchemaFor(schema)
      return withOperating(record, part, updatedSchema, convertStruct(struct, updatedSchema))
    },
  }
}

export const [timestampConverterKey, timestampConverterValue] = keyAndValuePlugins('TimestampConverter', timestampConverterConfig, timestampConverter)
