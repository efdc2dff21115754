import type { Schema, SchemaType } from '../data/schema.ts'
import { SchemaBuilder } from '../data/schema-builder.ts'
import { DataError } from '../plugin/errors.ts'
import { readJsonValue, writeJsonValue } from './json-data.ts'
import type { JsonDataOptions } from './json-data.ts'
import { JsonNumber, isJsonObject, quoteJsonString } from './json-text.ts'
import type { JsonNode } from './json-text.ts'

/**
 * Connect schemas in the JSON form of Kafka's JsonConverter envelope (`{"schema": ..., "payload": ...}`).
 * The type names differ from Connect's in two places: float32 is `"float"` and float64 is `"double"`.
 */
const JSON_TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  boolean: 'boolean',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  bytes: 'bytes',
  string: 'string',
  array: 'array',
  map: 'map',
  struct: 'struct',
}

const CONNECT_TYPES: ReadonlyMap<string, SchemaType> = new Map(
  Object.entries(JSON_TYPE_NAMES).map(([connect, json]) => [json, connect as SchemaType]),
)

/**
 * The schema as compact JSON text, with Kafka's member order: `type`, then `items` / `keys`+`values` / `fields`
 * (each field's own schema followed by `"field"`), then `optional`, `name`, `version`, `doc`, `parameters`, `default`.
 */
export const writeJsonSchema = (schema: Schema, options: JsonDataOptions): string => {
  let text = `{"type":"${JSON_TYPE_NAMES[schema.type]}"`
  switch (schema.type) {
    case 'array':
      text += `,"items":${childSchema(schema.valueSchema, options)}`
      break
    case 'map':
      text += `,"keys":${childSchema(schema.keySchema, options)},"values":${childSchema(schema.valueSchema, options)}`
      break
    case 'struct': {
      const fields = (schema.fields ?? []).map((field) => {
        const fieldSchema = writeJsonSchema(field.schema, options)
        return `${fieldSchema.slice(0, -1)},"field":${quoteJsonString(field.name)}}`
      })
      text += `,"fields":[${fields.join(',')}]`
      break
    }
    default:
      break
  }
  text += `,"optional":${schema.optional}`
  if (schema.name !== undefined) text += `,"name":${quoteJsonString(schema.name)}`
  if (schema.version !== undefined) text += `,"version":${schema.version}`
  if (schema.doc !== undefined) text += `,"doc":${quoteJsonString(schema.doc)}`
  if (schema.parameters !== undefined) {
    const parameters = Object.entries(schema.parameters).map(([key, value]) => `${quoteJsonString(key)}:${quoteJsonString(value)}`)
    text += `,"parameters":{${parameters.join(',')}}`
  }
  if (schema.defaultValue !== undefined) text += `,"default":${writeJsonValue(schema, schema.defaultValue, options)}`
  return `${text}}`
}

const childSchema = (schema: Schema | undefined, options: JsonDataOptions): string =>
  schema === undefined ? 'null' : writeJsonSchema(schema, options)

/** Reads the envelope's schema JSON back into a Connect schema, with Kafka's checks and messages. */
export const readJsonSchema = (node: JsonNode | undefined, options: JsonDataOptions): Schema | null => {
  if (node === null || node === undefined) return null
  if (!isJsonObject(node)) throw new DataError("Schema must contain 'type' field")
  const typeName = node.get('type')
  if (typeof typeName !== 'string') throw new DataError("Schema must contain 'type' field")
  const type = CONNECT_TYPES.get(typeName)
  if (type === undefined) throw new DataError(`Unknown schema type: ${typeName}`)

  let builder: SchemaBuilder
  switch (type) {
    case 'array': {
      const items = node.get('items')
      if (items === undefined || items === null) throw new DataError('Array schema did not specify the element type')
      builder = SchemaBuilder.array(requireSchema(readJsonSchema(items, options), 'Array schema did not specify the element type'))
      break
    }
    case 'map': {
      const keys = node.get('keys')
      if (keys === undefined) throw new DataError('Map schema did not specify the key type')
      const values = node.get('values')
      if (values === undefined) throw new DataError('Map schema did not specify the value type')
      builder = SchemaBuilder.map(
        requireSchema(readJsonSchema(keys, options), 'Map schema did not specify the key type'),
        requireSchema(readJsonSchema(values, options), 'Map schema did not specify the value type'),
      )
      break
    }
    case 'struct': {
      builder = SchemaBuilder.struct()
      const fields = node.get('fields')
      if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.')
      for (const field of fields as readonly JsonNode[]) {
        const fieldName = isJsonObject(field) ? field.get('field') : undefined
        if (typeof fieldName !== 'string') throw new DataError("Struct schema's field name not specified properly")
        builder.field(fieldName, requireSchema(readJsonSchema(field, options), "Struct schema's field name not specified properly"))
      }
      break
    }
    default:
      builder = SchemaBuilder.type(type)
  }

  if (node.get('optional') === true) builder.optional()
  else builder.required()
  const name = node.get('name')
  if (typeof name === 'string') builder.withName(name)
  const version = node.get('version')
  if (version instanceof JsonNumber && version.isIntegral) builder.version(Number(version.text))
  const doc = node.get('doc')
  if (typeof doc === 'string') builder.doc(doc)
  const parameters = node.get('parameters')
  if (isJsonObject(parameters)) {
    for (const [key, value] of parameters) {
      if (typeof value !== 'string') throw new DataError('Schema parameters must have string values.')
      builder.parameter(key, value)
    }
  }
  const defaultNode = node.get('default')
  if (defaultNode !== undefined) builder.defaultValue(readJsonValue(builder.build(), defaultNode, options))
  return builder.build()
}

const requireSchema = (schema: Schema | null, message: string): Schema => {
  if (schema === null) throw new DataError(message)
  return schema
}
