import { z } from 'zod'
import { formatNumber } from '../src/data/java-numbers.ts'
import { Date as ConnectDate, Decimal, Time, Timestamp, decimalToString, isDecimalValue, type DecimalValue } from '../src/data/logical-types.ts'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema, SchemaType } from '../src/data/schema.ts'
import { SchemaBuilder, copySchemaBasics } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { formatDate } from '../src/data/value-strings.ts'
import { INT64_MAX, INT64_MIN, describeType, isMapValue } from '../src/data/values.ts'
import { csvList, documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { javaSplit } from './java-split.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStruct } from './requirements.ts'
import { copyMap, requireMap, setEntry } from './schemaless-map.ts'
import { base64, parseJavaDouble, parseJavaInteger } from './values.ts'

type CastType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string'

const SUPPORTED_OUTPUT: readonly CastType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string']
const SUPPORTED_INPUT: ReadonlySet<SchemaType> = new Set<SchemaType>([...SUPPORTED_OUTPUT, 'bytes'])
const ALL_TYPES: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array', 'map', 'struct'])

const typeList = (types: Iterable<string>): string => `[${[...types].map((t) => t.toUpperCase()).join(', ')}]`

/** The parsed `spec`: per-field target types, or one type for the whole key or value. */
interface CastSpec {
  readonly fields: ReadonlyMap<string, CastType>
  readonly wholeValue: CastType | null
}

class CastSpecError extends Error {}

const parseSpec = (mappings: readonly string[]): CastSpec => {
  if (mappings.length === 0) throw new CastSpecError('Must specify at least one field to cast.')
  const fields = new Map<string, CastType>()
  let wholeValue: CastType | null = null
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':')
    if (parts.length > 2) throw new CastSpecError(`Invalid rename mapping: ${mapping}`)
    const typeName = (parts.length === 1 ? parts[0] : parts[1]) ?? ''
    const type = typeName.trim().toLowerCase()
    if (!ALL_TYPES.has(type)) throw new CastSpecError(`Invalid type found in casting spec: ${typeName.trim()}`)
    if (!(SUPPORTED_OUTPUT as readonly string[]).includes(type)) {
      throw new CastSpecError(`Cast transformation does not support casting to ${type.toUpperCase()}; supported types are ${typeList(SUPPORTED_OUTPUT)}`)
    }
    if (parts.length === 1) wholeValue = type as CastType
    else fields.set((parts[0] ?? '').trim(), type as CastType)
  }
  if (wholeValue !== null && mappings.length > 1) {
    throw new CastSpecError('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec')
  }
  return { fields, wholeValue }
}

export const castConfig = z.object({
  spec: documented(
    csvList().superRefine((mappings, ctx) => {
      try {
        parseSpec(mappings)
      } catch (error) {
        if (!(error instanceof CastSpecError)) throw error
        ctx.addIssue({ code: 'custom', message: error.message })
      }
    }),
    {
      description:
        'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
      importance: 'high',
    },
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
})

export type CastConfig = z.output<typeof castConfig>

const PURPOSE = 'cast types'

const outOfRange = (value: unknown): DataError => new DataError(`Value (${String(value)}) was out of range for requested data type`)
const unexpected = (value: unknown): DataError => new DataError(`Unexpected type in Cast transformation: ${describeType(value)}`)

const INT_BITS = { int8: 8, int16: 16, int32: 32 } as const
const INT_RANGE = { int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-2147483648n, 2147483647n], int64: [INT64_MIN, INT64_MAX] } as const

/** Java's double-to-integer conversion: NaN is 0, out-of-range values saturate. */
const saturate = (n: number, min: bigint, max: bigint): bigint => {
  if (Number.isNaN(n)) return 0n
  const truncated = Math.trunc(n)
  if (truncated <= Number(min)) return min
  if (truncated >= Number(max)) return max
  return BigInt(truncated)
}

/** Java's `Number.longValue()` for an integral value (wrapping to 64 bits) or a BigDecimal (dropping the fraction). */
const integralLong = (value: number | bigint | DecimalValue): bigint => {
  if (typeof value === 'bigint') return BigInt.asIntN(64, value)
  if (typeof value === 'number') return BigInt(value)
  const { unscaled, scale } = value
  const whole = scale >= 0 ? unscaled / 10n ** BigInt(scale) : unscaled * 10n ** BigInt(-scale)
  return BigInt.asIntN(64, whole)
}

const isNumeric = (value: unknown): value is number | bigint | DecimalValue =>
  typeof value === 'number' || typeof value === 'bigint' || isDecimalValue(value)

/**
 * Narrowing as Java does it: integral sources wrap to the target width; a double (`fromFloat`) first saturates to
 * int (or long, for int64) and then wraps.
 */
const castToInteger = (value: unknown, type: 'int8' | 'int16' | 'int32', fromFloat: boolean): number => {
  if (isNumeric(value)) {
    if (fromFloat) return Number(BigInt.asIntN(INT_BITS[type], saturate(value as number, INT_RANGE.int32[0], INT_RANGE.int32[1])))
    return Number(BigInt.asIntN(INT_BITS[type], integralLong(value)))
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') {
    const [min, max] = INT_RANGE[type]
    const parsed = parseJavaInteger(value, min, max)
    if (parsed === undefined) throw outOfRange(value)
    return Number(parsed)
  }
  throw unexpected(value)
}

const castToInt64 = (value: unknown, fromFloat: boolean): bigint => {
  if (isNumeric(value)) return fromFloat ? saturate(value as number, INT64_MIN, INT64_MAX) : integralLong(value)
  if (typeof value === 'boolean') return value ? 1n : 0n
  if (typeof value === 'string') {
    const parsed = parseJavaInteger(value, INT64_MIN, INT64_MAX)
    if (parsed === undefined) throw outOfRange(value)
    return parsed
  }
  throw unexpected(value)
}

const decimalToNumber = (value: DecimalValue): number => Number(decimalToString(value))

const castToFloat = (value: unknown, type: 'float32' | 'float64'): number => {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'bigint') n = Number(value)
  else if (isDecimalValue(value)) n = decimalToNumber(value)
  else if (typeof value === 'boolean') n = value ? 1 : 0
  else if (typeof value === 'string') {
    const parsed = parseJavaDouble(value)
    if (parsed === undefined) throw outOfRange(value)
    n = parsed
  } else throw unexpected(value)
  return type === 'float32' ? Math.fround(n) : n
}

const castToBoolean = (value: unknown, fromFloat: boolean): boolean => {
  if (isNumeric(value)) return (fromFloat ? saturate(value as number, INT64_MIN, INT64_MAX) : integralLong(value)) !== 0n
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return value.toLowerCase() === 'true'
  throw unexpected(value)
}

/** `value.toString()` as Java prints the value's class; `sourceType` tells floats from integers. */
const castToString = (value: unknown, sourceType: SchemaType | null): string => {
  if (value instanceof Date) return formatDate(value)
  if (value instanceof Uint8Array) return base64(value)
  if (isDecimalValue(value)) return decimalToString(value)
  if (typeof value === 'number') return formatNumber(sourceType, value)
  return typeof value === 'string' ? value : String(value)
}

/** The Connect type a schemaless value has (Kafka's `ConnectSchema.schemaType`), or `null` for logical/unknown values. */
const inferType = (value: unknown): SchemaType | null => {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64'
    case 'bigint':
      return 'int64'
    case 'boolean':
      return 'boolean'
    case 'string':
      return 'string'
    default:
      break
  }
  if (value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'array'
  if (value instanceof Struct) return 'struct'
  if (isMapValue(value)) return 'map'
  return null
}

/** Logical values become their underlying numbers before a numeric cast (Kafka's `encodeLogicalType`). */
const encodeLogical = (schema: Schema, value: unknown): unknown => {
  switch (schema.name) {
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.fromLogical(schema, value as Date)
    case Time.LOGICAL_NAME:
      return Time.fromLogical(schema, value as Date)
    case Timestamp.LOGICAL_NAME:
      return Timestamp.fromLogical(schema, value as Date)
    default:
      return value
  }
}

const castOne = (schema: Schema | null, value: unknown, target: CastType): unknown => {
  if (value === null || value === undefined) return null
  const sourceType = schema === null ? inferType(value) : schema.type
  if (sourceType === null) {
    throw new DataError(`Cast transformation was passed a value of type ${describeType(value)} which is not supported by Connect's data API`)
  }
  if (!SUPPORTED_INPUT.has(sourceType)) {
    throw new DataError(`Cast transformation does not support casting from ${sourceType.toUpperCase()}; supported types are ${typeList(SUPPORTED_INPUT)}`)
  }
  const input = schema?.name !== undefined && target !== 'string' ? encodeLogical(schema, value) : value
  // JS numbers do not say whether they are doubles: the schema does, or (schemaless) a fraction or an unsafe size.
  const fromFloat = typeof input === 'number' && (sourceType === 'float32' || sourceType === 'float64' || !Number.isSafeInteger(input))
  switch (target) {
    case 'int8':
    case 'int16':
    case 'int32':
      return castToInteger(input, target, fromFloat)
    case 'int64':
      return castToInt64(input, fromFloat)
    case 'float32':
    case 'float64':
      return castToFloat(input, target)
    case 'boolean':
      return castToBoolean(input, fromFloat)
    case 'string':
      return castToString(input, sourceType === 'bytes' ? 'bytes' : schema === null ? null : sourceType)
  }
}

const builderFor = (type: CastType): SchemaBuilder => {
  switch (type) {
    case 'boolean':
      return SchemaBuilder.bool()
    default:
      return SchemaBuilder.type(type)
  }
}

const isLogical = (schema: Schema): boolean =>
  schema.name === Decimal.LOGICAL_NAME || schema.name === ConnectDate.LOGICAL_NAME || schema.name === Time.LOGICAL_NAME || schema.name === Timestamp.LOGICAL_NAME

/**
 * Kafka's Cast: casts fields of a struct or map (`field:type,...`), or the whole key or value (`type`), to a primitive
 * type; logical values (Decimal, Date, Time, Timestamp) cast to their number or to their ISO text, bytes only to
 * base64 text. A null key or value passes through unchanged.
 */
const cast = (config: CastConfig, part: RecordPart): Transformation => {
  const spec = parseSpec(config.spec)
  const replaceNullWithDefault = config['replace.null.with.default']
  const schemaUpdates = new WeakMap<Schema, Schema>()

  const castField = (field: string, value: unknown, schema: Schema | null): unknown => {
    const target = spec.fields.get(field)
    return target === undefined ? value : castOne(schema, value, target)
  }

  const updatedSchemaFor = (schema: Schema): Schema => {
    let updated = schemaUpdates.get(schema)
    if (updated !== undefined) return updated
    let builder: SchemaBuilder
    if (spec.wholeValue !== null) {
      // Kafka copies the name even from a logical schema; a cast value no longer has the logical representation.
      builder = builderFor(spec.wholeValue)
      if (!isLogical(schema)) copySchemaBasics(schema, builder)
      else if (schema.doc !== undefined) builder.doc(schema.doc)
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct())
      for (const field of schema.fields ?? []) {
        const target = spec.fields.get(field.name)
        if (target === undefined) {
          builder.field(field.name, field.schema)
          continue
        }
        const fieldBuilder = builderFor(target)
        if (field.schema.optional) fieldBuilder.optional()
        if (field.schema.defaultValue !== undefined) fieldBuilder.defaultValue(castOne(field.schema, field.schema.defaultValue, target))
        builder.field(field.name, fieldBuilder.build())
      }
    }
    if (schema.optional) builder.optional()
    if (schema.defaultValue !== undefined) {
      builder.defaultValue(
        spec.wholeValue !== null ? castOne(schema, schema.defaultValue, spec.wholeValue) : castStruct(requireStruct(schema.defaultValue, PURPOSE), builder.build()),
      )
    }
    updated = builder.build()
    schemaUpdates.set(schema, updated)
    return updated
  }

  const castStruct = (struct: Struct, schema: Schema): Struct => {
    const updated = new Struct(schema)
    for (const field of struct.schema.fields ?? []) {
      updated.put(field.name, castField(field.name, fieldValue(struct, field.name, replaceNullWithDefault), field.schema))
    }
    return updated
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const value = operatingValue(record, part)
      if (value === null || value === undefined) return record
      const schema = operatingSchema(record, part)
      if (schema === null) {
        if (spec.wholeValue !== null) return withOperating(record, part, null, castOne(null, value, spec.wholeValue))
        const map = requireMap(value, PURPOSE)
        const updated = copyMap(map)
        for (const [field, target] of spec.fields) {
          setEntry(updated, field, castOne(null, Object.hasOwn(map, field) ? map[field] : null, target))
        }
        return withOperating(record, part, null, updated)
      }
      const updatedSchema = updatedSchemaFor(schema)
      if (spec.wholeValue !== null) return withOperating(record, part, updatedSchema, castOne(schema, value, spec.wholeValue))
      return withOperating(record, part, updatedSchema, castStruct(requireStruct(value, PURPOSE), updatedSchema))
    },
  }
}

export const [castKey, castValue] = keyAndValuePlugins('Cast', castConfig, cast)
