import { DataError } from '../plugin/errors.ts'
import { LOGICAL_TYPE_NAMES, decimalToString, isDecimalValue } from './logical-types.ts'
import type { Schema } from './schema.ts'
import { Struct } from './struct.ts'

/** The range of Kafka's int64 (Java `long`). */
export const INT64_MIN = -(1n << 63n)
export const INT64_MAX = (1n << 63n) - 1n

const INT_RANGES = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
} as const

/** A plain `{}` (or `Object.create(null)`) object: accepted wherever a map value is, keys being strings. */
export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Whether a value is acceptable as a map: a `Map`, or a plain object with string keys. */
export const isMapValue = (value: unknown): value is ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>> =>
  value instanceof Map || isPlainObject(value)

/** The entries of a map value, whichever of the two accepted shapes it has. */
export const mapEntries = (value: ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>): Iterable<readonly [unknown, unknown]> =>
  value instanceof Map ? value.entries() : Object.entries(value)

/** A short description of a value's JS type for error messages: `string`, `number`, `Uint8Array`, `Struct`, ... */
export const describeType = (value: unknown): string => {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto === null) return 'Object'
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'
}

/**
 * Checks a value against a schema with Kafka's `ConnectSchema.validateValue` rules, throwing a `DataError` that
 * says where (`field: "x"`, `element of array ...`) the first problem is. Logical schemas (recognised by name, as
 * in Kafka) need their logical representation: a `DecimalValue`, or a JS `Date`.
 * Beyond Kafka, integers must fit their width, since JS numbers do not carry one.
 */
export const validateValue = (schema: Schema, value: unknown, fieldName?: string): void => {
  validateAt(schema, value, fieldName === undefined ? 'value' : `field: "${fieldName}"`)
}

const validateAt = (schema: Schema, value: unknown, location: string): void => {
  if (value === null || value === undefined) {
    if (!schema.optional) {
      throw new DataError(`Invalid value: null used for required ${location}, schema type: ${schema.type.toUpperCase()}`)
    }
    return
  }
  if (!hasExpectedType(schema, value)) {
    const named = schema.name === undefined ? '' : ` "${schema.name}"`
    throw new DataError(`Invalid value for schema${named} with type ${schema.type.toUpperCase()}: ${describeType(value)} for ${location}`)
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      if (schema.name !== undefined && LOGICAL_TYPE_NAMES.has(schema.name)) return
      const [min, max] = INT_RANGES[schema.type]
      const n = value as number
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new DataError(`Invalid value for schema with type ${schema.type.toUpperCase()}: ${n} is not an integer in [${min}, ${max}] for ${location}`)
      }
      return
    }
    case 'int64': {
      if (schema.name !== undefined && LOGICAL_TYPE_NAMES.has(schema.name)) return
      const fits = typeof value === 'bigint' ? value >= INT64_MIN && value <= INT64_MAX : Number.isSafeInteger(value)
      if (!fits) {
        throw new DataError(`Invalid value for schema with type INT64: ${displayString(value)} is not a 64-bit integer (bigint, or a safe integer number) for ${location}`)
      }
      return
    }
    case 'struct': {
      const struct = value as Struct
      if (!schemasEqual(struct.schema, schema)) throw new DataError('Struct schemas do not match.')
      struct.validate()
      return
    }
    case 'array': {
      const elementLocation = `element of array ${location}`
      const elementSchema = requireChildSchema(schema.valueSchema, elementLocation)
      for (const element of value as readonly unknown[]) validateAt(elementSchema, element, elementLocation)
      return
    }
    case 'map': {
      const keyLocation = `key of map ${location}`
      const valueLocation = `value of map ${location}`
      const keySchema = requireChildSchema(schema.keySchema, keyLocation)
      const valueSchema = requireChildSchema(schema.valueSchema, valueLocation)
      for (const [k, v] of mapEntries(value as ReadonlyMap<unknown, unknown>)) {
        validateAt(keySchema, k, keyLocation)
        validateAt(valueSchema, v, valueLocation)
      }
      return
    }
    default:
      return
  }
}

const requireChildSchema = (schema: Schema | undefined, location: string): Schema => {
  if (schema === undefined) throw new DataError(`No schema defined for ${location}`)
  return schema
}

const hasExpectedType = (schema: Schema, value: unknown): boolean => {
  // As in Kafka, a logical name decides the expected representation whatever the underlying type.
  switch (schema.name) {
    case 'org.apache.kafka.connect.data.Decimal':
      return isDecimalValue(value)
    case 'org.apache.kafka.connect.data.Date':
    case 'org.apache.kafka.connect.data.Time':
    case 'org.apache.kafka.connect.data.Timestamp':
      return value instanceof Date
    default:
      break
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      return typeof value === 'number'
    case 'int64':
      return typeof value === 'bigint' || typeof value === 'number'
    case 'boolean':
      return typeof value === 'boolean'
    case 'string':
      return typeof value === 'string'
    case 'bytes':
      return value instanceof Uint8Array
    case 'array':
      return Array.isArray(value)
    case 'map':
      return isMapValue(value)
    case 'struct':
      return value instanceof Struct
  }
}

/**
 * Schema equality as Kafka's `ConnectSchema.equals`: type, optionality, default (deeply), name, version, doc,
 * parameters, fields, key and value schemas. Absent parameters equal an empty parameter map.
 */
export const schemasEqual = (a: Schema | null | undefined, b: Schema | null | undefined): boolean => {
  if (a === b) return true
  if (a == null || b == null) return false
  return (
    a.type === b.type &&
    a.optional === b.optional &&
    a.name === b.name &&
    a.version === b.version &&
    a.doc === b.doc &&
    parametersEqual(a.parameters, b.parameters) &&
    fieldsEqual(a.fields, b.fields) &&
    schemasEqual(a.keySchema, b.keySchema) &&
    schemasEqual(a.valueSchema, b.valueSchema) &&
    valuesEqual(a.defaultValue, b.defaultValue)
  )
}

const parametersEqual = (a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean => {
  const aKeys = Object.keys(a ?? {})
  if (aKeys.length !== Object.keys(b ?? {}).length) return false
  return aKeys.every((key) => b !== undefined && Object.hasOwn(b, key) && a?.[key] === b[key])
}

const fieldsEqual = (a: Schema['fields'], b: Schema['fields']): boolean => {
  if (a === b) return true
  if (a === undefined || b === undefined || a.length !== b.length) return false
  return a.every((field, i) => {
    const other = b[i]
    return other !== undefined && field.name === other.name && field.index === other.index && schemasEqual(field.schema, other.schema)
  })
}

/**
 * Deep value equality as Kafka's data classes define it: bytes by content, arrays by elements, maps by entries,
 * structs by schema and values, Dates by instant, decimals by unscaled value *and* scale (as BigDecimal.equals).
 * An int64 held as a safe-integer number equals the same bigint; `undefined` equals `null`.
 */
export const valuesEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (a == null || b == null) return a == null && b == null
  if (typeof a === 'number' || typeof b === 'number' || typeof a === 'bigint' || typeof b === 'bigint') return numbersEqual(a, b)
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (a instanceof Uint8Array) return b instanceof Uint8Array && bytesEqual(a, b)
  if (a instanceof Struct) return b instanceof Struct && a.equals(b)
  if (a instanceof Date) return b instanceof Date && Object.is(a.getTime(), b.getTime())
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((element, i) => valuesEqual(element, b[i]))
  if (isDecimalValue(a)) return isDecimalValue(b) && a.unscaled === b.unscaled && a.scale === b.scale
  if (isMapValue(a) && isMapValue(b)) return mapsEqual(a, b)
  return false
}

const numbersEqual = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b)
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) && a === BigInt(b)
  if (typeof a === 'number' && typeof b === 'bigint') return Number.isInteger(a) && BigInt(a) === b
  return false
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const mapsEqual = (a: ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>, b: ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>): boolean => {
  const aEntries = [...mapEntries(a)]
  const bEntries = [...mapEntries(b)]
  if (aEntries.length !== bEntries.length) return false
  const unmatched = [...bEntries]
  for (const [key, value] of aEntries) {
    const i = unmatched.findIndex(([otherKey]) => valuesEqual(key, otherKey))
    const match = unmatched[i]
    if (match === undefined || !valuesEqual(value, match[1])) return false
    unmatched.splice(i, 1)
  }
  return true
}

/**
 * A value as Java's `toString()` would show it, for messages and logs: `[1, 2]`, `{k=v}`, `Struct{a=1}`,
 * bytes as their numbers, decimals as BigDecimal prints them, Dates in ISO-8601.
 */
export const displayString = (value: unknown): string => {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value instanceof Uint8Array) return `[${value.join(', ')}]`
  if (Array.isArray(value)) return `[${value.map(displayString).join(', ')}]`
  if (value instanceof Struct) return value.toString()
  if (value instanceof Date) return value.toISOString()
  if (isDecimalValue(value)) return decimalToString(value)
  if (isMapValue(value)) return `{${[...mapEntries(value)].map(([k, v]) => `${displayString(k)}=${displayString(v)}`).join(', ')}}`
  return Object.prototype.toString.call(value)
}
