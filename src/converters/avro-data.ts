import { formatDouble, formatFloat } from '../data/java-numbers.ts'
import { Date as ConnectDate, Decimal, Time, Timestamp, isDecimalValue } from '../data/logical-types.ts'
import type { Schema } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { Schemas } from '../data/schemas.ts'
import { Struct } from '../data/struct.ts'
import { describeType, isMapValue, mapEntries, schemasEqual } from '../data/values.ts'
import { DataError } from '../plugin/errors.ts'
import { avroName, avroPrimitive, branchName, isNamedSchema } from './avro-schema.ts'
import type {
  AvroArraySchema,
  AvroField,
  AvroName,
  AvroProps,
  AvroRecordSchema,
  AvroSchema,
  AvroUnionSchema,
} from './avro-schema.ts'
import { JsonNumber, isJsonObject } from './json-text.ts'
import type { JsonNode } from './json-text.ts'

/**
 * The mapping between Connect data and Avro that Confluent's `io.confluent.connect.avro.AvroData` defines (with its
 * default settings), so that what this runtime writes reads back the same in a Java Connect worker, and the other
 * way round:
 * - struct → record (unnamed structs are `io.confluent.connect.avro.ConnectDefault`, `ConnectDefault2`, ...);
 * - optional → a union with null first and default null, or the type first when the schema has a default;
 * - int8 / int16 → int with `connect.type`; map with required string keys → map, other maps → an array of
 *   `MapEntry` key/value records; Decimal → bytes with logicalType decimal (precision 64 unless
 *   `connect.decimal.precision`), Date → int date, Time → int time-millis, Timestamp → long timestamp-millis;
 * - name, version, doc, parameters and default of a Connect schema ride along as `connect.name`,
 *   `connect.version`, `connect.doc`, `connect.parameters`, `connect.default`;
 * - no schema at all → Confluent's self-describing `io.confluent.connect.avro.Anything` record.
 *
 * Avro values are in the form avsc reads and writes with `wrapUnions: true`: a union value is `{ branchName: value }`,
 * long is a bigint, bytes and fixed are Buffers, a record is an object keyed by field name.
 */

export const AVRO_NAMESPACE = 'io.confluent.connect.avro'
const DEFAULT_SCHEMA_NAME = 'ConnectDefault'
const DEFAULT_SCHEMA_FULL_NAME = `${AVRO_NAMESPACE}.${DEFAULT_SCHEMA_NAME}`
const MAP_ENTRY_TYPE_NAME = 'MapEntry'
const KEY_FIELD = 'key'
const VALUE_FIELD = 'value'

const CONNECT_NAME_PROP = 'connect.name'
const CONNECT_DOC_PROP = 'connect.doc'
const CONNECT_VERSION_PROP = 'connect.version'
const CONNECT_DEFAULT_VALUE_PROP = 'connect.default'
const CONNECT_PARAMETERS_PROP = 'connect.parameters'
const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type'
const CONNECT_TYPE_PROP = 'connect.type'
const AVRO_RECORD_DOC_PROP = `${AVRO_NAMESPACE}.record.doc`
const AVRO_FIELD_DOC_PREFIX_PROP = `${AVRO_NAMESPACE}.field.doc.`
const AVRO_ENUM_DOC_PREFIX_PROP = `${AVRO_NAMESPACE}.enum.doc.`
const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${AVRO_NAMESPACE}.enum.default.`
/** Marks a Connect default that came from an Avro field default rather than from `connect.default`. */
const AVRO_FIELD_DEFAULT_FLAG_PROP = `${AVRO_NAMESPACE}.field.default`
const AVRO_TYPE_UNION = `${AVRO_NAMESPACE}.Union`
const AVRO_TYPE_ENUM = `${AVRO_NAMESPACE}.Enum`
const AVRO_TYPE_ANYTHING = `${AVRO_NAMESPACE}.Anything`

const AVRO_PROP = 'avro'
const AVRO_LOGICAL_TYPE_PROP = 'logicalType'
const AVRO_LOGICAL_DECIMAL_SCALE_PROP = 'scale'
const AVRO_LOGICAL_DECIMAL_PRECISION_PROP = 'precision'
const CONNECT_AVRO_FIXED_SIZE_PROP = 'connect.fixed.size'
const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision'
const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64

const LOGICAL_TYPE_FOR: Readonly<Record<string, string>> = {
  [ConnectDate.LOGICAL_NAME.toLowerCase()]: 'date',
  [Time.LOGICAL_NAME.toLowerCase()]: 'time-millis',
  [Timestamp.LOGICAL_NAME.toLowerCase()]: 'timestamp-millis',
}

const INT_RANGES = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] } as const

// The schemaless form: Confluent's `Anything` record, recursive through its array and map fields.

const optionalField = (name: string, schema: AvroSchema): AvroField => ({
  name,
  schema: { type: 'union', branches: [avroPrimitive('null'), schema] },
  defaultValue: null,
  props: new Map(),
})

const buildAnythingSchema = (): AvroRecordSchema => {
  const fields: AvroField[] = []
  const anything: AvroRecordSchema = { type: 'record', name: avroName(AVRO_TYPE_ANYTHING, AVRO_NAMESPACE), fields, props: new Map() }
  const mapEntry: AvroRecordSchema = {
    type: 'record',
    name: avroName(MAP_ENTRY_TYPE_NAME, AVRO_NAMESPACE),
    fields: [
      { name: KEY_FIELD, schema: anything, props: new Map() },
      { name: VALUE_FIELD, schema: anything, props: new Map() },
    ],
    props: new Map(),
  }
  for (const type of ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string'] as const) fields.push(optionalField(type, avroPrimitive(type)))
  fields.push(optionalField('array', { type: 'array', items: anything, props: new Map() }))
  fields.push(optionalField('map', { type: 'array', items: mapEntry, props: new Map() }))
  return anything
}

/** The Avro schema Confluent writes values without a Connect schema with. */
export const ANYTHING_SCHEMA: AvroRecordSchema = buildAnythingSchema()

/** Whether an Avro schema is the schemaless form, whose values come back without a Connect schema. */
export const isAnythingSchema = (schema: AvroSchema): boolean => schema.type === 'record' && schema.name.fullName === AVRO_TYPE_ANYTHING

interface FromConnectContext {
  /** Avro schemas already made for required Connect schemas, so a schema used twice is one named type. */
  readonly made: [Schema, AvroSchema][]
  nameIndex: number
}

/** The Avro schema for a Connect schema (`null`: the schemaless `Anything` record), as AvroData.fromConnectSchema. */
export const fromConnectSchema = (schema: Schema | null): AvroSchema =>
  schema === null ? ANYTHING_SCHEMA : fromConnect(schema, { made: [], nameIndex: 0 }, false)

const isUnionSchema = (schema: Schema): boolean => schema.name === AVRO_TYPE_UNION

const isFixedSchema = (schema: Schema): boolean =>
  schema.type === 'bytes' && schema.name !== undefined && schema.parameters?.[CONNECT_AVRO_FIXED_SIZE_PROP] !== undefined

const isDecimalSchema = (schema: Schema): boolean => schema.name?.toLowerCase() === Decimal.LOGICAL_NAME.toLowerCase()

const nonOptional = (schema: Schema): Schema => (schema.optional ? Object.freeze({ ...schema, optional: false }) : schema)

const nameOrDefault = (context: FromConnectContext, name: string | undefined): AvroName => {
  if (name !== undefined) return avroName(name)
  context.nameIndex++
  return avroName(`${DEFAULT_SCHEMA_NAME}${context.nameIndex > 1 ? context.nameIndex : ''}`, AVRO_NAMESPACE)
}

const intProp = (value: number): JsonNode => new JsonNumber(String(value))

const parseIntParameter = (schema: Schema, key: string, fallback: number): number => {
  const raw = schema.parameters?.[key]
  if (raw === undefined) return fallback
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new DataError(`Invalid ${key} parameter in schema ${schema.name ?? ''}: ${raw}`)
  return Number(raw)
}

const fromConnect = (schema: Schema, context: FromConnectContext, ignoreOptional: boolean): AvroSchema => {
  if (!isUnionSchema(schema) && !schema.optional) {
    const made = context.made.find(([connect]) => schemasEqual(connect, schema))
    if (made !== undefined) return made[1]
  }

  const props = new Map<string, JsonNode>()
  let connectType: string | undefined
  let base: AvroSchema
  switch (schema.type) {
    case 'int8':
    case 'int16':
      connectType = schema.type
      base = avroPrimitive('int', props)
      break
    case 'int32':
      base = avroPrimitive('int', props)
      break
    case 'int64':
      base = avroPrimitive('long', props)
      break
    case 'float32':
      base = avroPrimitive('float', props)
      break
    case 'float64':
      base = avroPrimitive('double', props)
      break
    case 'boolean':
      base = avroPrimitive('boolean', props)
      break
    case 'string':
      base = avroPrimitive('string', props)
      break
    case 'bytes':
      base = isFixedSchema(schema)
        ? { type: 'fixed', name: nameOrDefault(context, schema.name), size: parseIntParameter(schema, CONNECT_AVRO_FIXED_SIZE_PROP, 0), props }
        : avroPrimitive('bytes', props)
      if (isDecimalSchema(schema)) {
        props.set(AVRO_LOGICAL_DECIMAL_SCALE_PROP, intProp(parseIntParameter(schema, Decimal.SCALE_FIELD, 0)))
        props.set(AVRO_LOGICAL_DECIMAL_PRECISION_PROP, intProp(parseIntParameter(schema, CONNECT_AVRO_DECIMAL_PRECISION_PROP, CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT)))
      }
      break
    case 'array':
      base = { type: 'array', items: fromConnect(childSchema(schema.valueSchema, 'array'), context, false), props }
      break
    case 'map': {
      const keySchema = childSchema(schema.keySchema, 'map key')
      const valueSchema = childSchema(schema.valueSchema, 'map value')
      if (keySchema.type === 'string' && !keySchema.optional) {
        base = { type: 'map', values: fromConnect(valueSchema, context, false), props }
      } else {
        // Avro maps only have string keys: other maps are arrays of key/value records.
        const entryProps = new Map<string, JsonNode>()
        const name = schema.name === undefined ? avroName(MAP_ENTRY_TYPE_NAME, AVRO_NAMESPACE) : nameOrDefault(context, schema.name)
        if (schema.name !== undefined) entryProps.set(CONNECT_INTERNAL_TYPE_NAME, MAP_ENTRY_TYPE_NAME)
        const fields = [recordField(KEY_FIELD, keySchema, undefined, context), recordField(VALUE_FIELD, valueSchema, undefined, context)]
        base = { type: 'array', items: { type: 'record', name, fields, props: entryProps }, props }
      }
      break
    }
    case 'struct':
      if (isUnionSchema(schema)) {
        const branches: AvroSchema[] = schema.optional ? [avroPrimitive('null')] : []
        for (const field of schema.fields ?? []) branches.push(fromConnect(nonOptional(field.schema), context, true))
        base = { type: 'union', branches }
      } else if (schema.optional) {
        base = { type: 'union', branches: [avroPrimitive('null'), fromConnect(nonOptional(schema), context, false)] }
      } else {
        const name = nameOrDefault(context, schema.name)
        const doc = schema.parameters?.[AVRO_RECORD_DOC_PROP]
        const fields: AvroField[] = []
        for (const field of schema.fields ?? []) {
          fields.push(recordField(field.name, field.schema, schema.parameters?.[AVRO_FIELD_DOC_PREFIX_PROP + field.name], context))
        }
        base = { type: 'record', name, ...(doc !== undefined && { doc }), fields, props }
      }
      break
  }

  let result = base
  if (base.type !== 'union') {
    if (schema.doc !== undefined) props.set(CONNECT_DOC_PROP, schema.doc)
    if (schema.version !== undefined) props.set(CONNECT_VERSION_PROP, intProp(schema.version))
    const parameters = [...Object.entries(schema.parameters ?? {})].filter(([key]) => key !== AVRO_FIELD_DEFAULT_FLAG_PROP)
    if (parameters.length > 0) props.set(CONNECT_PARAMETERS_PROP, new Map(parameters))
    if (schema.defaultValue !== undefined && schema.parameters?.[AVRO_FIELD_DEFAULT_FLAG_PROP] === undefined) {
      props.set(CONNECT_DEFAULT_VALUE_PROP, defaultValueFromConnect(schema, schema.defaultValue))
    }
    if (schema.name !== undefined) props.set(CONNECT_NAME_PROP, schema.name)
    if (connectType !== undefined) props.set(CONNECT_TYPE_PROP, connectType)
    if (schema.name !== undefined) {
      if (isDecimalSchema(schema)) props.set(AVRO_LOGICAL_TYPE_PROP, 'decimal')
      const logicalType = LOGICAL_TYPE_FOR[schema.name.toLowerCase()]
      if (logicalType !== undefined) props.set(AVRO_LOGICAL_TYPE_PROP, logicalType)
    }
    for (const [key, value] of Object.entries(schema.parameters ?? {})) {
      if (key.startsWith(AVRO_PROP)) props.set(key, value)
    }
    if (!ignoreOptional && schema.optional) {
      result = { type: 'union', branches: schema.defaultValue !== undefined ? [base, avroPrimitive('null')] : [avroPrimitive('null'), base] }
    }
  }
  if (!schema.optional) context.made.push([schema, result])
  return result
}

const childSchema = (schema: Schema | undefined, what: string): Schema => {
  if (schema === undefined) throw new DataError(`No schema defined for the ${what}`)
  return schema
}

const recordField = (name: string, schema: Schema, doc: string | undefined, context: FromConnectContext): AvroField => {
  let defaultValue: JsonNode | undefined
  if (schema.defaultValue !== undefined) defaultValue = defaultValueFromConnect(schema, schema.defaultValue)
  else if (schema.optional) defaultValue = null
  const avro = fromConnect(schema, context, false)
  // Avro refuses a default that does not fit the field's type; AvroData then drops it, as here.
  if (defaultValue !== undefined && !isValidDefault(avro, defaultValue)) defaultValue = undefined
  return { name, schema: avro, ...(doc !== undefined && { doc }), ...(defaultValue !== undefined && { defaultValue }), props: new Map() }
}

/** A Connect value as the JSON of an Avro default, as AvroData.defaultValueFromConnect. */
const defaultValueFromConnect = (schema: Schema, value: unknown): JsonNode => {
  if (value === null || value === undefined) return null
  const primitive = logicalToPrimitive(schema, value)
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
      return new JsonNumber(String(primitive))
    case 'int64':
      return new JsonNumber(String(primitive))
    case 'float32':
      return jsonNumber(formatFloat(primitive as number))
    case 'float64':
      return jsonNumber(formatDouble(primitive as number))
    case 'boolean':
      return primitive as boolean
    case 'string':
      return primitive as string
    case 'bytes':
      return Buffer.from(primitive as Uint8Array).toString('latin1')
    case 'array': {
      const valueSchema = childSchema(schema.valueSchema, 'array')
      return (primitive as readonly unknown[]).map((element) => defaultValueFromConnect(valueSchema, element))
    }
    case 'map': {
      const keySchema = childSchema(schema.keySchema, 'map key')
      const valueSchema = childSchema(schema.valueSchema, 'map value')
      const entries = [...mapEntries(primitive as ReadonlyMap<unknown, unknown>)]
      if (keySchema.type === 'string' && !keySchema.optional) {
        return new Map(entries.map(([key, entryValue]) => [key as string, defaultValueFromConnect(valueSchema, entryValue)]))
      }
      return entries.map(([key, entryValue]) => [defaultValueFromConnect(keySchema, key), defaultValueFromConnect(valueSchema, entryValue)])
    }
    case 'struct': {
      const struct = primitive as Struct
      const fields = new Map<string, JsonNode>()
      for (const field of schema.fields ?? []) {
        const fieldDefault = defaultValueFromConnect(field.schema, struct.get(field.name))
        if (isUnionSchema(schema)) return fieldDefault
        fields.set(field.name, fieldDefault)
      }
      return fields
    }
  }
}

// Java writes NaN and infinities as bare words, which are not JSON; they become strings here.
const jsonNumber = (text: string): JsonNode => (/^-?(NaN|Infinity)$/.test(text) ? text : new JsonNumber(text))

const isIntegralJson = (node: JsonNode, min: bigint, max: bigint): boolean => {
  if (!(node instanceof JsonNumber) || !node.isIntegral) return false
  const value = BigInt(node.text)
  return value >= min && value <= max
}

/** Whether JSON is a valid default for an Avro schema, as Avro's `Schema.isValidDefault`. */
export const isValidDefault = (schema: AvroSchema, node: JsonNode | undefined): boolean => {
  if (node === undefined) return false
  switch (schema.type) {
    case 'string':
    case 'bytes':
    case 'enum':
    case 'fixed':
      return typeof node === 'string'
    case 'int':
      return isIntegralJson(node, -(1n << 31n), (1n << 31n) - 1n)
    case 'long':
      return isIntegralJson(node, -(1n << 63n), (1n << 63n) - 1n)
    case 'float':
    case 'double':
      return node instanceof JsonNumber
    case 'boolean':
      return typeof node === 'boolean'
    case 'null':
      return node === null
    case 'array':
      return Array.isArray(node) && node.every((element: JsonNode) => isValidDefault(schema.items, element))
    case 'map':
      return isJsonObject(node) && [...node.values()].every((value) => isValidDefault(schema.values, value))
    case 'union':
      return schema.branches[0] !== undefined && isValidDefault(schema.branches[0], node)
    case 'record':
      return isJsonObject(node) && schema.fields.every((field) => isValidDefault(field.schema, node.has(field.name) ? node.get(field.name) : field.defaultValue))
  }
}

interface ToConnectContext {
  /** Records being converted: meeting one again means a recursive schema, which Connect schemas cannot express. */
  readonly inProgress: Set<AvroSchema>
}

/**
 * The Connect schema for an Avro schema, as AvroData.toConnectSchema. `version` (the registry's version of the schema)
 * becomes the schema's version unless the schema carries `connect.version`. The `Anything` record gives `null`.
 */
export const toConnectSchema = (schema: AvroSchema, version?: number): Schema | null =>
  isAnythingSchema(schema) ? null : toConnect(schema, false, undefined, version, { inProgress: new Set() })

const numberProp = (props: AvroProps, key: string): number | undefined => {
  const node = props.get(key)
  return node instanceof JsonNumber ? Number(node.text) : undefined
}

const stringProp = (props: AvroProps, key: string): string | undefined => {
  const node = props.get(key)
  return typeof node === 'string' ? node : undefined
}

const isMapEntry = (schema: AvroSchema): schema is AvroRecordSchema =>
  schema.type === 'record' &&
  ((schema.name.namespace === AVRO_NAMESPACE && schema.name.name === MAP_ENTRY_TYPE_NAME) ||
    stringProp(schema.props, CONNECT_INTERNAL_TYPE_NAME) === MAP_ENTRY_TYPE_NAME)

/** The Connect union struct's field name for a union branch: a named type's short name, else the type name. */
const unionMemberFieldName = (schema: AvroSchema): string => (isNamedSchema(schema) ? schema.name.name : schema.type)

const toConnect = (
  schema: AvroSchema,
  forceOptional: boolean,
  fieldDefault: JsonNode | undefined,
  version: number | undefined,
  context: ToConnectContext,
): Schema => {
  if (schema.type === 'union') return unionToConnect(schema, fieldDefault, context)
  const props = schema.props
  const connectType = stringProp(props, CONNECT_TYPE_PROP)
  const logicalType = stringProp(props, AVRO_LOGICAL_TYPE_PROP)?.toLowerCase()

  let builder: SchemaBuilder
  switch (schema.type) {
    case 'boolean':
      builder = SchemaBuilder.bool()
      break
    case 'bytes':
    case 'fixed':
      if (logicalType === 'decimal') {
        builder = Decimal.builder(numberProp(props, AVRO_LOGICAL_DECIMAL_SCALE_PROP) ?? 0)
        const precision = props.get(AVRO_LOGICAL_DECIMAL_PRECISION_PROP)
        if (precision !== undefined) {
          if (!(precision instanceof JsonNumber)) throw new DataError('precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal')
          if (Number(precision.text) !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) builder.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(Number(precision.text)))
        }
      } else {
        builder = SchemaBuilder.bytes()
      }
      if (schema.type === 'fixed') builder.parameter(CONNECT_AVRO_FIXED_SIZE_PROP, String(schema.size))
      break
    case 'double':
      builder = SchemaBuilder.float64()
      break
    case 'float':
      builder = SchemaBuilder.float32()
      break
    case 'int':
      if (logicalType === 'date') builder = ConnectDate.builder()
      else if (logicalType === 'time-millis') builder = Time.builder()
      else if (logicalType !== undefined || connectType === undefined) builder = SchemaBuilder.int32()
      else if (connectType === 'int8') builder = SchemaBuilder.int8()
      else if (connectType === 'int16') builder = SchemaBuilder.int16()
      else throw new DataError('Connect type annotation for Avro int field is null')
      break
    case 'long':
      builder = logicalType === 'timestamp-millis' ? Timestamp.builder() : SchemaBuilder.int64()
      break
    case 'string':
      builder = SchemaBuilder.string()
      break
    case 'array':
      if (isMapEntry(schema.items)) {
        const key = schema.items.fields.find((field) => field.name === KEY_FIELD)
        const value = schema.items.fields.find((field) => field.name === VALUE_FIELD)
        if (schema.items.fields.length !== 2 || key === undefined || value === undefined) {
          throw new DataError('Found map encoded as array of key-value pairs, but array elements do not match the expected format.')
        }
        builder = SchemaBuilder.map(toConnect(key.schema, false, undefined, undefined, context), toConnect(value.schema, false, undefined, undefined, context))
      } else {
        builder = SchemaBuilder.array(toConnect(schema.items, false, undefined, undefined, context))
      }
      break
    case 'map':
      builder = SchemaBuilder.map(Schemas.STRING_SCHEMA, toConnect(schema.values, false, undefined, undefined, context))
      break
    case 'record': {
      if (context.inProgress.has(schema)) {
        throw new DataError(`Recursive Avro schemas cannot be converted to Connect schemas: ${schema.name.fullName} refers to itself`)
      }
      context.inProgress.add(schema)
      builder = SchemaBuilder.struct()
      if (schema.doc !== undefined) builder.parameter(AVRO_RECORD_DOC_PROP, schema.doc)
      for (const field of schema.fields) {
        if (field.doc !== undefined) builder.parameter(AVRO_FIELD_DOC_PREFIX_PROP + field.name, field.doc)
        builder.field(field.name, toConnect(field.schema, false, field.defaultValue, undefined, context))
      }
      context.inProgress.delete(schema)
      break
    }
    case 'enum':
      // Enums become strings; their symbols are kept as parameters.
      builder = SchemaBuilder.string()
      if (schema.doc !== undefined) builder.parameter(AVRO_ENUM_DOC_PREFIX_PROP + schema.name.name, schema.doc)
      if (schema.defaultSymbol !== undefined) builder.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + schema.name.name, schema.defaultSymbol)
      builder.parameter(AVRO_TYPE_ENUM, schema.name.fullName)
      for (const symbol of schema.symbols) builder.parameter(`${AVRO_TYPE_ENUM}.${symbol}`, symbol)
      break
    case 'null':
      throw new DataError('Standalone null schemas are not supported by this converter')
  }

  const doc = stringProp(props, CONNECT_DOC_PROP)
  if (doc !== undefined) builder.doc(doc)

  const versionNode = props.get(CONNECT_VERSION_PROP)
  if (versionNode !== undefined && !(versionNode instanceof JsonNumber)) throw new DataError(`Invalid Connect version found: ${jsonText(versionNode)}`)
  const connectVersion = versionNode instanceof JsonNumber ? Math.trunc(Number(versionNode.text)) : version
  if (connectVersion !== undefined && connectVersion >= 0) {
    const built = builder.build().version
    if (built !== undefined && built !== connectVersion) {
      throw new DataError(
        `Mismatched versions: version already added to SchemaBuilder (${built}) differs from version in source schema (${connectVersion})`,
      )
    }
    if (built === undefined) builder.version(connectVersion)
  }

  const parameters = props.get(CONNECT_PARAMETERS_PROP)
  if (parameters !== undefined) {
    if (!isJsonObject(parameters)) throw new DataError(`Expected JSON object for schema parameters but found: ${jsonText(parameters)}`)
    for (const [key, value] of parameters) {
      if (typeof value !== 'string') throw new DataError(`Expected schema parameter values to be strings but found: ${jsonText(value)}`)
      builder.parameter(key, value)
    }
  }
  for (const [key, value] of props) {
    if (key.startsWith(AVRO_PROP)) builder.parameter(key, typeof value === 'string' ? value : jsonText(value))
  }

  const connectDefault = props.get(CONNECT_DEFAULT_VALUE_PROP)
  let defaultJson = fieldDefault
  if (defaultJson === undefined) defaultJson = connectDefault
  else if (connectDefault === undefined) builder.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true')

  const connectName = props.get(CONNECT_NAME_PROP)
  if (connectName !== undefined && typeof connectName !== 'string') throw new DataError(`Invalid schema name: ${jsonText(connectName)}`)
  const name = connectName ?? (isNamedSchema(schema) ? schema.name.fullName : undefined)
  if (name !== undefined && !name.startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
    const built = builder.build().name
    if (built !== undefined && built !== name) {
      throw new DataError(`Mismatched names: name already added to SchemaBuilder (${built}) differs from name in source schema (${name})`)
    }
    if (built === undefined) builder.withName(name)
  }
  if (forceOptional) builder.optional()

  if (defaultJson !== undefined) setDefault(builder, schema, defaultJson)
  return builder.build()
}

const unionToConnect = (schema: AvroUnionSchema, fieldDefault: JsonNode | undefined, context: ToConnectContext): Schema => {
  const { branches } = schema
  if (branches.length === 2) {
    const nonNull = branches.filter((branch) => branch.type !== 'null')
    if (nonNull.length === 1) return toConnect(nonNull[0]!, true, undefined, undefined, context)
  }
  const builder = SchemaBuilder.struct().withName(AVRO_TYPE_UNION)
  const fieldNames = new Set<string>()
  for (const branch of branches) {
    if (branch.type === 'null') {
      builder.optional()
      continue
    }
    const fieldName = unionMemberFieldName(branch)
    if (fieldNames.has(fieldName)) throw new DataError('Multiple union schemas map to the Connect union field name')
    fieldNames.add(fieldName)
    builder.field(fieldName, toConnect(branch, true, undefined, undefined, context))
  }
  if (fieldDefault !== undefined) {
    builder.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true')
    setDefault(builder, schema, fieldDefault)
  }
  return builder.build()
}

// Set last, as Kafka's builder checks a default against the schema built so far; a default that does not fit is
// dropped (AvroData logs "Ignoring invalid default").
const setDefault = (builder: SchemaBuilder, avro: AvroSchema, node: JsonNode): void => {
  try {
    builder.defaultValue(defaultValueFromAvro(builder.build(), avro, node))
  } catch (error) {
    if (!(error instanceof DataError)) throw error
  }
}

const jsonText = (node: JsonNode): string => {
  if (node === null) return 'null'
  if (typeof node === 'string') return node
  if (typeof node === 'boolean') return String(node)
  if (node instanceof JsonNumber) return node.text
  return JSON.stringify(node, (_key, value: unknown): unknown =>
    value instanceof Map ? Object.fromEntries(value as Map<string, unknown>) : value instanceof JsonNumber ? Number(value.text) : value,
  )
}

const jsonToNumber = (node: JsonNode): number => {
  if (node instanceof JsonNumber) return Number(node.text)
  if (typeof node === 'string' && /^-?(NaN|Infinity)$/.test(node)) return Number(node)
  throw new DataError(`Invalid JSON for a number default value: ${jsonText(node)}`)
}

/** An Avro default (JSON) as a Connect value of `schema`, logical types included, as AvroData.defaultValueFromAvro. */
const defaultValueFromAvro = (schema: Schema, avro: AvroSchema, node: JsonNode): unknown => {
  const value = defaultValueWithoutLogical(schema, avro, node)
  return value === null ? null : primitiveToLogical(schema, value)
}

const defaultValueWithoutLogical = (schema: Schema, avro: AvroSchema, node: JsonNode): unknown => {
  if (node === null) return null
  switch (avro.type) {
    case 'int': {
      if (!(node instanceof JsonNumber)) throw new DataError(`Invalid JSON for an int default value: ${jsonText(node)}`)
      return Number(node.text)
    }
    case 'long':
      if (!(node instanceof JsonNumber) || !node.isIntegral) throw new DataError(`Invalid JSON for a long default value: ${jsonText(node)}`)
      return BigInt(node.text)
    case 'float':
      return Math.fround(jsonToNumber(node))
    case 'double':
      return jsonToNumber(node)
    case 'boolean':
      return node === true || node === 'true'
    case 'null':
      return null
    case 'string':
    case 'enum':
      return jsonText(node)
    case 'bytes':
    case 'fixed':
      if (typeof node !== 'string') throw new DataError('Invalid binary data in default value')
      return new Uint8Array(Buffer.from(node, 'latin1'))
    case 'array': {
      if (!Array.isArray(node)) throw new DataError('Invalid JSON for array default value')
      const valueSchema = childSchema(schema.valueSchema, 'array')
      return (node as readonly JsonNode[]).map((element) => defaultValueFromAvro(valueSchema, avro.items, element))
    }
    case 'map': {
      if (!isJsonObject(node)) throw new DataError('Invalid JSON for map default value')
      const valueSchema = childSchema(schema.valueSchema, 'map value')
      return new Map([...node].map(([key, value]) => [key, defaultValueFromAvro(valueSchema, avro.values, value)]))
    }
    case 'record': {
      if (!isJsonObject(node)) throw new DataError('Invalid JSON for record default value')
      const struct = new Struct(schema)
      for (const field of avro.fields) {
        const connectField = schema.fields?.find((candidate) => candidate.name === field.name)
        if (connectField === undefined) throw new DataError(`${field.name} is not a valid field name`)
        const fieldNode = node.get(field.name)
        struct.put(field.name, fieldNode === undefined ? null : defaultValueFromAvro(connectField.schema, field.schema, fieldNode))
      }
      return struct
    }
    case 'union': {
      // A union's default is a value of its first branch.
      const first = avro.branches[0]
      if (first === undefined || first.type === 'null') return null
      if (!isUnionSchema(schema)) return defaultValueFromAvro(schema, first, node)
      const fieldName = unionMemberFieldName(first)
      const field = schema.fields?.find((candidate) => candidate.name === fieldName)
      if (field === undefined) throw new DataError(`${fieldName} is not a valid field name`)
      return new Struct(schema).put(fieldName, defaultValueFromAvro(field.schema, first, node))
    }
  }
}

const logicalToPrimitive = (schema: Schema, value: unknown): unknown => {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!isDecimalValue(value)) throw new DataError(`Invalid type for Decimal, expected DecimalValue but was ${describeType(value)}`)
      return Decimal.fromLogical(schema, value)
    case ConnectDate.LOGICAL_NAME:
      return ConnectDate.fromLogical(schema, asDate(value, 'Date'))
    case Time.LOGICAL_NAME:
      return Time.fromLogical(schema, asDate(value, 'Time'))
    case Timestamp.LOGICAL_NAME:
      return Timestamp.fromLogical(schema, asDate(value, 'Timestamp'))
    default:
      return value
  }
}

const asDate = (value: unknown, what: string): globalThis.Date => {
  if (!(value instanceof globalThis.Date)) throw new DataError(`Invalid type for ${what}, expected Date but was ${describeType(value)}`)
  return value
}

const primitiveToLogical = (schema: Schema, value: unknown): unknown => {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof Uint8Array)) throw new DataError(`Invalid type for Decimal, underlying representation should be bytes but was ${describeType(value)}`)
      return Decimal.toLogical(schema, value)
    case ConnectDate.LOGICAL_NAME:
      if (typeof value !== 'number') throw new DataError(`Invalid type for Date, underlying representation should be int32 but was ${describeType(value)}`)
      return ConnectDate.toLogical(schema, value)
    case Time.LOGICAL_NAME:
      if (typeof value !== 'number') throw new DataError(`Invalid type for Time, underlying representation should be int32 but was ${describeType(value)}`)
      return Time.toLogical(schema, value)
    case Timestamp.LOGICAL_NAME:
      if (typeof value !== 'bigint' && typeof value !== 'number') {
        throw new DataError(`Invalid type for Timestamp, underlying representation should be int64 but was ${describeType(value)}`)
      }
      return Timestamp.toLogical(schema, value)
    default:
      return value
  }
}

/**
 * A Connect value as the avsc value of `avro`, the Avro schema {@link fromConnectSchema} made for `schema`, as
 * AvroData.fromConnectData. `schema === null` writes the value in the schemaless `Anything` form.
 */
export const fromConnectData = (schema: Schema | null, avro: AvroSchema, value: unknown): unknown =>
  schema === null ? anythingFromConnect(value, false) : fromConnectValue(schema, avro, value)

const invalidType = (schema: Schema, value: unknown): DataError =>
  new DataError(`Invalid type for ${schema.type.toUpperCase()}: ${describeType(value)}`)

const fromConnectValue = (schema: Schema, avro: AvroSchema, value: unknown): unknown => {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataError(`Found null value for non-optional schema${schema.name === undefined ? '' : ` ${schema.name}`}`)
    return null
  }
  if (isUnionSchema(schema)) return unionFromConnect(schema, avro, value)
  if (avro.type === 'union') {
    // An optional Connect schema is a union of null and one other branch.
    const branch = avro.branches.find((candidate) => candidate.type !== 'null')
    if (branch === undefined) throw new DataError('An optional schema should have an Avro union with a non-null branch')
    return { [branchName(branch)]: fromConnectValue(schema, branch, value) }
  }
  const primitive = schema.name === undefined ? value : logicalToPrimitive(schema, value)
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      if (typeof primitive !== 'number') throw invalidType(schema, primitive)
      const [min, max] = INT_RANGES[schema.type]
      if (!Number.isInteger(primitive) || primitive < min || primitive > max) {
        throw new DataError(`Invalid value for ${schema.type.toUpperCase()}: ${primitive} is not an integer in [${min}, ${max}]`)
      }
      return primitive
    }
    case 'int64':
      if (typeof primitive === 'bigint') return primitive
      if (typeof primitive === 'number' && Number.isSafeInteger(primitive)) return BigInt(primitive)
      throw invalidType(schema, primitive)
    case 'float32':
    case 'float64':
      if (typeof primitive !== 'number') throw invalidType(schema, primitive)
      return primitive
    case 'boolean':
      if (typeof primitive !== 'boolean') throw invalidType(schema, primitive)
      return primitive
    case 'string':
      if (typeof primitive !== 'string') throw invalidType(schema, primitive)
      return primitive
    case 'bytes':
      if (!(primitive instanceof Uint8Array)) throw invalidType(schema, primitive)
      return Buffer.isBuffer(primitive) ? primitive : Buffer.from(primitive.buffer, primitive.byteOffset, primitive.byteLength)
    case 'array': {
      if (!Array.isArray(primitive)) throw invalidType(schema, primitive)
      const valueSchema = childSchema(schema.valueSchema, 'array')
      const items = (avro as AvroArraySchema).items
      return (primitive as readonly unknown[]).map((element) => fromConnectValue(valueSchema, items, element))
    }
    case 'map':
      if (!isMapValue(primitive)) throw invalidType(schema, primitive)
      return mapFromConnect(schema, avro, primitive)
    case 'struct': {
      if (!(primitive instanceof Struct)) throw invalidType(schema, primitive)
      if (!schemasEqual(primitive.schema, schema)) throw new DataError('Mismatching struct schema')
      const record: Record<string, unknown> = {}
      const avroFields = (avro as AvroRecordSchema).fields
      const fields = schema.fields ?? []
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i]!
        record[field.name] = fromConnectValue(field.schema, avroFields[i]!.schema, primitive.get(field.name))
      }
      return record
    }
  }
}

const mapFromConnect = (schema: Schema, avro: AvroSchema, value: ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>): unknown => {
  const keySchema = childSchema(schema.keySchema, 'map key')
  const valueSchema = childSchema(schema.valueSchema, 'map value')
  if (avro.type === 'map') {
    const converted: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [key, entryValue] of mapEntries(value)) {
      if (typeof key !== 'string') throw invalidType(keySchema, key)
      converted[key] = fromConnectValue(valueSchema, avro.values, entryValue)
    }
    return converted
  }
  const entry = (avro as AvroArraySchema).items as AvroRecordSchema
  const [keyField, valueField] = entry.fields
  const converted: unknown[] = []
  for (const [key, entryValue] of mapEntries(value)) {
    converted.push({ [KEY_FIELD]: fromConnectValue(keySchema, keyField!.schema, key), [VALUE_FIELD]: fromConnectValue(valueSchema, valueField!.schema, entryValue) })
  }
  return converted
}

const unionFromConnect = (schema: Schema, avro: AvroSchema, value: unknown): unknown => {
  if (!(value instanceof Struct)) throw invalidType(schema, value)
  const branches = avro.type === 'union' ? avro.branches : [avro]
  for (const field of schema.fields ?? []) {
    const member = value.get(field.name)
    if (member === null) continue
    const branch = branches.find((candidate) => candidate.type !== 'null' && unionMemberFieldName(candidate) === field.name)
    if (branch === undefined) throw new DataError(`No Avro union branch for the Connect union field ${field.name}`)
    return { [branchName(branch)]: fromConnectValue(nonOptional(field.schema), branch, member) }
  }
  if (!schema.optional) throw new DataError('Found null value for non-optional union schema')
  return null
}

const ANYTHING_FIELDS = ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string', 'array', 'map'] as const
type AnythingField = (typeof ANYTHING_FIELDS)[number]

const anything = (field: AnythingField, value: unknown): Record<string, unknown> => ({ [field]: { [field === 'map' ? 'array' : field]: value } })

const anythingFromConnect = (value: unknown, nested: boolean): unknown => {
  if (value === null || value === undefined) return nested ? {} : null
  if (typeof value === 'boolean') return anything('boolean', value)
  if (typeof value === 'string') return anything('string', value)
  if (typeof value === 'bigint') return anything('long', value)
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT_RANGES.int32[0] && value <= INT_RANGES.int32[1]) return anything('int', value)
    if (Number.isSafeInteger(value)) return anything('long', BigInt(value))
    return anything('double', value)
  }
  if (value instanceof Uint8Array) return anything('bytes', Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength))
  if (Array.isArray(value)) return anything('array', (value as readonly unknown[]).map((element) => anythingFromConnect(element, true)))
  if (isMapValue(value)) {
    const entries = [...mapEntries(value)].map(([key, entryValue]) => ({ key: anythingFromConnect(key, true), value: anythingFromConnect(entryValue, true) }))
    return anything('map', entries)
  }
  throw new DataError(`Unknown type for schemaless data: ${describeType(value)}`)
}

/**
 * An avsc value of `avro` as a Connect value of `schema` (what {@link toConnectSchema} made of `avro`), as
 * AvroData.toConnectData. `schema === null` reads the schemaless `Anything` form.
 */
export const toConnectData = (schema: Schema | null, avro: AvroSchema, value: unknown): unknown =>
  schema === null ? anythingToConnect(value) : toConnectValue(schema, avro, value)

/** The branch an avsc union value `{ name: value }` holds, and the value. */
const unwrapBranch = (avro: AvroUnionSchema, value: unknown): [AvroSchema, unknown] => {
  const [name] = Object.keys(value as object)
  const branch = avro.branches.find((candidate) => branchName(candidate) === name)
  if (name === undefined || branch === undefined) throw new DataError(`Avro union value does not name one of the union's branches: ${name ?? '(none)'}`)
  return [branch, (value as Record<string, unknown>)[name]]
}

const toConnectValue = (schema: Schema, avro: AvroSchema, value: unknown): unknown => {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataError('Found null value for non-optional schema')
    return null
  }
  if (avro.type === 'union') {
    const [branch, inner] = unwrapBranch(avro, value)
    if (!isUnionSchema(schema)) return toConnectValue(schema, branch, inner)
    const fieldName = unionMemberFieldName(branch)
    const field = schema.fields?.find((candidate) => candidate.name === fieldName)
    if (field === undefined) throw new DataError('Did not find matching union field for data')
    return new Struct(schema).put(fieldName, toConnectValue(field.schema, branch, inner))
  }
  let converted: unknown
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') throw invalidType(schema, value)
      converted = value
      break
    case 'int64':
      if (typeof value !== 'bigint') throw invalidType(schema, value)
      converted = value
      break
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidType(schema, value)
      converted = value
      break
    case 'string':
      if (typeof value !== 'string') throw invalidType(schema, value)
      converted = value
      break
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw invalidType(schema, value)
      converted = value
      break
    case 'array': {
      if (!Array.isArray(value)) throw invalidType(schema, value)
      const valueSchema = childSchema(schema.valueSchema, 'array')
      const items = (avro as AvroArraySchema).items
      converted = (value as readonly unknown[]).map((element) => toConnectValue(valueSchema, items, element))
      break
    }
    case 'map':
      converted = mapToConnect(schema, avro, value)
      break
    case 'struct': {
      if (typeof value !== 'object') throw invalidType(schema, value)
      const record = value as Record<string, unknown>
      const struct = new Struct(schema)
      const avroFields = (avro as AvroRecordSchema).fields
      const fields = schema.fields ?? []
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i]!
        // The Connect schema was made from this record, so fields line up; the search is only a fallback.
        const avroField = avroFields[i]?.name === field.name ? avroFields[i] : avroFields.find((candidate) => candidate.name === field.name)
        if (avroField === undefined) throw new DataError(`${field.name} is not a field of the Avro record`)
        struct.put(field.name, toConnectValue(field.schema, avroField.schema, record[field.name]))
      }
      converted = struct
      break
    }
  }
  return schema.name === undefined ? converted : primitiveToLogical(schema, converted)
}

const mapToConnect = (schema: Schema, avro: AvroSchema, value: unknown): Map<unknown, unknown> => {
  const keySchema = childSchema(schema.keySchema, 'map key')
  const valueSchema = childSchema(schema.valueSchema, 'map value')
  const result = new Map<unknown, unknown>()
  if (avro.type === 'map') {
    if (typeof value !== 'object' || value === null) throw invalidType(schema, value)
    for (const [key, entryValue] of Object.entries(value)) result.set(key, toConnectValue(valueSchema, avro.values, entryValue))
    return result
  }
  if (!Array.isArray(value)) throw invalidType(schema, value)
  const entry = (avro as AvroArraySchema).items as AvroRecordSchema
  const keyAvro = entry.fields.find((field) => field.name === KEY_FIELD)!.schema
  const valueAvro = entry.fields.find((field) => field.name === VALUE_FIELD)!.schema
  for (const element of value as readonly Record<string, unknown>[]) {
    result.set(toConnectValue(keySchema, keyAvro, element[KEY_FIELD]), toConnectValue(valueSchema, valueAvro, element[VALUE_FIELD]))
  }
  return result
}

const anythingToConnect = (value: unknown): unknown => {
  if (value === null || value === undefined) return null
  if (typeof value !== 'object') throw new DataError('Invalid Avro data for schemaless Connect data')
  const record = value as Record<AnythingField, unknown>
  for (const field of ANYTHING_FIELDS) {
    const wrapped = record[field]
    if (wrapped === null || wrapped === undefined) continue
    const inner: unknown = Object.values(wrapped)[0]
    switch (field) {
      case 'array':
        return (inner as readonly unknown[]).map(anythingToConnect)
      case 'map':
        return new Map((inner as readonly { key: unknown; value: unknown }[]).map((entry) => [anythingToConnect(entry.key), anythingToConnect(entry.value)]))
      default:
        return inner
    }
  }
  return null
}
