import { z } from 'zod'
import { Decimal, decimalFromString, decimalValue, isDecimalValue } from '../src/data/logical-types.ts'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { Struct } from '../src/data/struct.ts'
import { describeType, isPlainObject } from '../src/data/values.ts'
import { csvList, documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStruct } from './requirements.ts'
import { copyMap, getEntry, requireMap, setEntry } from './schemaless-map.ts'
import { parseJavaDouble } from './values.ts'

export const maskFieldConfig = z.object({
  fields: documented(csvList().refine((fields) => fields.length > 0, { message: 'Empty list' }), {
    description: 'Names of fields to mask.',
    importance: 'high',
  }),
  replacement: documented(z.string().trim().min(1, 'String must be non-empty').optional(), {
    description: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
    importance: 'low',
  }),
  'replace.null.with.default': replaceNullWithDefaultKey(),
})

export type MaskFieldConfig = z.output<typeof maskFieldConfig>

const PURPOSE = 'mask fields'

/** How a value is masked: Kafka decides by the value's Java class; here the field's schema decides when there is one. */
type ValueKind = 'boolean' | 'int' | 'int64' | 'float' | 'float32' | 'string' | 'decimal' | 'date' | 'array' | 'map' | 'object-map' | 'unsupported'

const kindOfSchema = (schema: Schema): ValueKind => {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return 'decimal'
    case 'org.apache.kafka.connect.data.Date':
    case 'org.apache.kafka.connect.data.Time':
    case 'org.apache.kafka.connect.data.Timestamp':
      return 'date'
    default:
      break
  }
  switch (schema.type) {
    case 'boolean':
      return 'boolean'
    case 'int8':
    case 'int16':
    case 'int32':
      return 'int'
    case 'int64':
      return 'int64'
    case 'float32':
      return 'float32'
    case 'float64':
      return 'float'
    case 'string':
      return 'string'
    case 'array':
      return 'array'
    case 'map':
      return 'map'
    default:
      return 'unsupported'
  }
}

const kindOfValue = (value: unknown): ValueKind => {
  switch (typeof value) {
    case 'boolean':
      return 'boolean'
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float'
    case 'bigint':
      return 'int64'
    case 'string':
      return 'string'
    default:
      break
  }
  if (value instanceof Date) return 'date'
  if (isDecimalValue(value)) return 'decimal'
  if (Array.isArray(value)) return 'array'
  if (value instanceof Map) return 'map'
  if (isPlainObject(value)) return 'object-map'
  return 'unsupported'
}

/** The replacement text as a number, as Kafka's `Values.convertTo...`; integer kinds drop the fraction. */
const replacementNumber = (replacement: string, kind: ValueKind): number | bigint => {
  const parsed = parseJavaDouble(replacement)
  if (parsed === undefined || Number.isNaN(parsed)) throw new DataError(`Unable to convert ${replacement} (string) to number`)
  if (kind === 'int64') return BigInt(Math.trunc(parsed))
  if (kind === 'int') return Math.trunc(parsed)
  return kind === 'float32' ? Math.fround(parsed) : parsed
}

/**
 * Kafka's MaskField: replaces the listed fields with an "empty" value of their type (0, false, "", an empty list or
 * map, the epoch), or with the configured `replacement` for numeric and string fields. A null field stays null.
 * Unlike Kafka, whose MaskField throws on a null key or value ("Only Map objects supported ..."), a tombstone passes
 * through unchanged: it has no field that could leak, and failing would stop the task (or, under
 * errors.tolerance=all, drop a delete) for nothing.
 */
const maskField = (config: MaskFieldConfig, part: RecordPart): Transformation => {
  const maskedFields = new Set(config.fields)
  const replacement = config.replacement
  const replaceNullWithDefault = config['replace.null.with.default']

  const masked = (value: unknown, schema: Schema | null): unknown => {
    if (value === null || value === undefined) return null
    let kind = schema === null ? kindOfValue(value) : kindOfSchema(schema)
    if (kind === 'map' && !(value instanceof Map)) kind = 'object-map'
    if (replacement === undefined) {
      switch (kind) {
        case 'boolean':
          return false
        case 'int':
        case 'float':
        case 'float32':
          return 0
        case 'int64':
          return 0n
        case 'string':
          return ''
        case 'decimal':
          // Kafka masks with BigDecimal.ZERO; keeping the schema's scale lets the masked struct validate.
          return decimalValue(0n, schema === null ? 0 : Decimal.scale(schema))
        case 'date':
          return new Date(0)
        case 'array':
          return []
        case 'map':
          return new Map()
        case 'object-map':
          return {}
        default:
          throw new DataError(`Cannot mask value of type: ${describeType(value)}`)
      }
    }
    switch (kind) {
      case 'int':
      case 'int64':
      case 'float':
      case 'float32':
        return replacementNumber(replacement, kind)
      case 'string':
        return replacement
      case 'decimal':
        try {
          return decimalFromString(replacement)
        } catch (error) {
          throw new DataError(`Unable to convert ${replacement} (string) to number`, { cause: error })
        }
      default:
        throw new DataError(`Cannot mask value of type ${describeType(value)} with custom replacement.`)
    }
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const value = operatingValue(record, part)
      // Deliberately not Kafka's behaviour (see above): a tombstone has nothing to mask.
      if (value === null || value === undefined) return record
      const schema = operatingSchema(record, part)
      if (schema === null) {
        const map = requireMap(value, PURPOSE)
        const updated = copyMap(map)
        for (const field of maskedFields) setEntry(updated, field, masked(getEntry(map, field), null))
        return withOperating(record, part, null, updated)
      }
      const struct = requireStruct(value, PURPOSE)
      const updated = new Struct(struct.schema)
      for (const field of struct.schema.fields ?? []) {
        const original = fieldValue(struct, field.name, replaceNullWithDefault)
        updated.put(field.name, maskedFields.has(field.name) ? masked(original, field.schema) : original)
      }
      return withOperating(record, part, schema, updated)
    },
  }
}

export const [maskFieldKey, maskFieldValue] = keyAndValuePlugins('MaskField', maskFieldConfig, maskField)
