import { DataError } from '../plugin/errors.ts'
import { JsonNumber, JsonSyntaxError, isJsonObject, parseJson, quoteJsonString, writeJsonNode } from './json-text.ts'
import type { JsonNode, JsonObject } from './json-text.ts'

/**
 * Avro schemas as a tree of plain objects: what the registry stores as JSON text, parsed once and then walked by the
 * Connect ↔ Avro mapping. Named types are shared objects, so a recursive schema is a cyclic graph.
 * Attributes beyond the Avro specification (`connect.name`, `logicalType`, `scale`, ...) are kept in `props`, in order.
 */
export type AvroPrimitiveType = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'

export type AvroProps = ReadonlyMap<string, JsonNode>

/** A named type's name: `fullName` is `namespace.name`, or `name` when there is no namespace. */
export interface AvroName {
  readonly name: string
  readonly namespace: string | undefined
  readonly fullName: string
}

export interface AvroPrimitiveSchema {
  readonly type: AvroPrimitiveType
  readonly props: AvroProps
}

export interface AvroField {
  readonly name: string
  readonly schema: AvroSchema
  readonly doc?: string
  /** The field's default as JSON; `undefined` when the field has none (`null` is a default of null). */
  readonly defaultValue?: JsonNode
  readonly props: AvroProps
}

export interface AvroRecordSchema {
  readonly type: 'record'
  readonly name: AvroName
  readonly doc?: string
  readonly fields: readonly AvroField[]
  readonly props: AvroProps
}

export interface AvroEnumSchema {
  readonly type: 'enum'
  readonly name: AvroName
  readonly doc?: string
  readonly symbols: readonly string[]
  readonly defaultSymbol?: string
  readonly props: AvroProps
}

export interface AvroFixedSchema {
  readonly type: 'fixed'
  readonly name: AvroName
  readonly size: number
  readonly props: AvroProps
}

export interface AvroArraySchema {
  readonly type: 'array'
  readonly items: AvroSchema
  readonly props: AvroProps
}

export interface AvroMapSchema {
  readonly type: 'map'
  readonly values: AvroSchema
  readonly props: AvroProps
}

export interface AvroUnionSchema {
  readonly type: 'union'
  readonly branches: readonly AvroSchema[]
}

export type AvroNamedSchema = AvroRecordSchema | AvroEnumSchema | AvroFixedSchema
export type AvroSchema = AvroPrimitiveSchema | AvroNamedSchema | AvroArraySchema | AvroMapSchema | AvroUnionSchema

const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])
const NO_PROPS: AvroProps = new Map()

export const isNamedSchema = (schema: AvroSchema): schema is AvroNamedSchema =>
  schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed'

/** Splits a dotted full name as Avro does: everything before the last dot is the namespace. */
export const avroName = (name: string, namespace?: string): AvroName => {
  const dot = name.lastIndexOf('.')
  if (dot >= 0) {
    const space = name.slice(0, dot)
    return { name: name.slice(dot + 1), namespace: space === '' ? undefined : space, fullName: space === '' ? name.slice(1) : name }
  }
  const space = namespace === '' ? undefined : namespace
  return { name, namespace: space, fullName: space === undefined ? name : `${space}.${name}` }
}

/** The name a union branch goes by: the full name of a named type, the type name otherwise (as avsc wraps unions). */
export const branchName = (schema: AvroSchema): string => (isNamedSchema(schema) ? schema.name.fullName : schema.type)

/** A primitive schema, with attributes if any. */
export const avroPrimitive = (type: AvroPrimitiveType, props: AvroProps = NO_PROPS): AvroPrimitiveSchema => ({ type, props })

// Avro's name grammar; the Java library and avsc both refuse anything else.
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const checkName = (name: string, what: string): void => {
  if (!NAME.test(name)) throw new DataError(`Illegal character in ${what} name: ${JSON.stringify(name)}`)
}

/**
 * Parses Avro schema JSON text (as a registry returns it) into a schema tree, resolving named references with
 * Avro's namespace rules. Throws a DataError for text that is not a valid schema.
 */
export const parseAvroSchema = (text: string): AvroSchema => {
  let node: JsonNode | undefined
  try {
    node = parseJson(text).node
  } catch (error) {
    throw new DataError(`Invalid Avro schema JSON: ${error instanceof JsonSyntaxError ? error.message : String(error)}`, { cause: error })
  }
  if (node === undefined) throw new DataError('Invalid Avro schema: empty text')
  return new SchemaParser().parse(node, undefined)
}

class SchemaParser {
  readonly #names = new Map<string, AvroNamedSchema>()

  parse(node: JsonNode, namespace: string | undefined): AvroSchema {
    if (typeof node === 'string') return this.#reference(node, namespace)
    if (Array.isArray(node)) return { type: 'union', branches: (node as readonly JsonNode[]).map((branch) => this.parse(branch, namespace)) }
    if (!isJsonObject(node)) throw new DataError(`Invalid Avro schema: ${writeJsonNode(node)}`)
    const type = node.get('type')
    if (typeof type !== 'string') {
      // {"type": {...}} and {"type": [...]} only wrap another schema; Avro drops the wrapper.
      if (type !== undefined && type !== null && typeof type === 'object' && !(type instanceof JsonNumber)) return this.parse(type, namespace)
      throw new DataError(`Invalid Avro schema, no "type": ${writeJsonNode(node)}`)
    }
    switch (type) {
      case 'record':
      case 'error':
        return this.#record(node, namespace)
      case 'enum':
        return this.#enum(node, namespace)
      case 'fixed':
        return this.#fixed(node, namespace)
      case 'array':
        return { type: 'array', items: this.parse(required(node, 'items'), namespace), props: propsOf(node, ['type', 'items']) }
      case 'map':
        return { type: 'map', values: this.parse(required(node, 'values'), namespace), props: propsOf(node, ['type', 'values']) }
      default:
        if (PRIMITIVES.has(type)) return avroPrimitive(type as AvroPrimitiveType, propsOf(node, ['type']))
        return this.#reference(type, namespace)
    }
  }

  #reference(name: string, namespace: string | undefined): AvroSchema {
    if (PRIMITIVES.has(name)) return avroPrimitive(name as AvroPrimitiveType)
    const found = (!name.includes('.') && namespace !== undefined ? this.#names.get(`${namespace}.${name}`) : undefined) ?? this.#names.get(name)
    if (found === undefined) throw new DataError(`Invalid Avro schema: undefined name ${JSON.stringify(name)}`)
    return found
  }

  #define(node: JsonObject, namespace: string | undefined): AvroName {
    const rawName = required(node, 'name')
    if (typeof rawName !== 'string') throw new DataError('Invalid Avro schema: a name must be a string')
    const ownSpace = node.get('namespace')
    const name = avroName(rawName, typeof ownSpace === 'string' ? ownSpace : namespace)
    checkName(name.name, 'type')
    if (this.#names.has(name.fullName)) throw new DataError(`Can't redefine: ${name.fullName}`)
    return name
  }

  #record(node: JsonObject, namespace: string | undefined): AvroRecordSchema {
    const name = this.#define(node, namespace)
    const fields: AvroField[] = []
    const doc = node.get('doc')
    const record: AvroRecordSchema = {
      type: 'record',
      name,
      ...(typeof doc === 'string' && { doc }),
      fields,
      props: propsOf(node, ['type', 'name', 'namespace', 'doc', 'fields', 'aliases']),
    }
    // Registered before its fields are read, so a field may refer back to the record (a recursive type).
    this.#names.set(name.fullName, record)
    const rawFields = required(node, 'fields')
    if (!Array.isArray(rawFields)) throw new DataError(`Invalid Avro schema: the fields of ${name.fullName} are not an array`)
    for (const field of rawFields as readonly JsonNode[]) {
      if (!isJsonObject(field)) throw new DataError(`Invalid Avro schema: a field of ${name.fullName} is not an object`)
      const fieldName = required(field, 'name')
      if (typeof fieldName !== 'string') throw new DataError(`Invalid Avro schema: a field of ${name.fullName} has no name`)
      checkName(fieldName, 'field')
      const fieldDoc = field.get('doc')
      const defaultValue = field.get('default')
      fields.push({
        name: fieldName,
        schema: this.parse(required(field, 'type'), name.namespace),
        ...(typeof fieldDoc === 'string' && { doc: fieldDoc }),
        ...(defaultValue !== undefined && { defaultValue }),
        props: propsOf(field, ['name', 'type', 'doc', 'default', 'order', 'aliases']),
      })
    }
    return record
  }

  #enum(node: JsonObject, namespace: string | undefined): AvroEnumSchema {
    const name = this.#define(node, namespace)
    const symbols = required(node, 'symbols')
    if (!Array.isArray(symbols) || !symbols.every((symbol) => typeof symbol === 'string')) {
      throw new DataError(`Invalid Avro schema: the symbols of ${name.fullName} are not strings`)
    }
    const doc = node.get('doc')
    const defaultSymbol = node.get('default')
    const schema: AvroEnumSchema = {
      type: 'enum',
      name,
      ...(typeof doc === 'string' && { doc }),
      symbols,
      ...(typeof defaultSymbol === 'string' && { defaultSymbol }),
      props: propsOf(node, ['type', 'name', 'namespace', 'doc', 'symbols', 'default', 'aliases']),
    }
    this.#names.set(name.fullName, schema)
    return schema
  }

  #fixed(node: JsonObject, namespace: string | undefined): AvroFixedSchema {
    const name = this.#define(node, namespace)
    const size = required(node, 'size')
    if (!(size instanceof JsonNumber) || !size.isIntegral) throw new DataError(`Invalid Avro schema: the size of ${name.fullName} is not an integer`)
    const schema: AvroFixedSchema = { type: 'fixed', name, size: Number(size.text), props: propsOf(node, ['type', 'name', 'namespace', 'size', 'aliases', 'doc']) }
    this.#names.set(name.fullName, schema)
    return schema
  }
}

const required = (node: JsonObject, key: string): JsonNode => {
  const value = node.get(key)
  if (value === undefined) throw new DataError(`Invalid Avro schema, no "${key}": ${writeJsonNode(node)}`)
  return value
}

const propsOf = (node: JsonObject, reserved: readonly string[]): AvroProps => {
  let props: Map<string, JsonNode> | undefined
  for (const [key, value] of node) {
    if (reserved.includes(key)) continue
    props ??= new Map()
    props.set(key, value)
  }
  return props ?? NO_PROPS
}

/**
 * The schema as JSON text in the layout Avro's Java library prints (`Schema.toString()`), which is what Confluent's
 * AvroConverter registers: `type` first, then name and namespace, doc, fields/items/values, then other attributes;
 * a named type is defined once and referred to by name afterwards, its namespace written only where it changes.
 */
export const writeAvroSchema = (schema: AvroSchema): string => new SchemaWriter().write(schema, undefined)

class SchemaWriter {
  readonly #written = new Map<string, AvroNamedSchema>()

  write(schema: AvroSchema, namespace: string | undefined): string {
    switch (schema.type) {
      case 'union':
        return `[${schema.branches.map((branch) => this.write(branch, namespace)).join(',')}]`
      case 'record': {
        const reference = this.#reference(schema, namespace)
        if (reference !== undefined) return reference
        let text = `{"type":"record",${nameMembers(schema.name, namespace)}`
        if (schema.doc !== undefined) text += `,"doc":${quoteJsonString(schema.doc)}`
        const fields = schema.fields.map((field) => this.#field(field, schema.name.namespace))
        return `${text},"fields":[${fields.join(',')}]${propsText(schema.props)}}`
      }
      case 'enum': {
        const reference = this.#reference(schema, namespace)
        if (reference !== undefined) return reference
        let text = `{"type":"enum",${nameMembers(schema.name, namespace)}`
        if (schema.doc !== undefined) text += `,"doc":${quoteJsonString(schema.doc)}`
        text += `,"symbols":[${schema.symbols.map(quoteJsonString).join(',')}]`
        if (schema.defaultSymbol !== undefined) text += `,"default":${quoteJsonString(schema.defaultSymbol)}`
        return `${text}${propsText(schema.props)}}`
      }
      case 'fixed': {
        const reference = this.#reference(schema, namespace)
        if (reference !== undefined) return reference
        return `{"type":"fixed",${nameMembers(schema.name, namespace)},"size":${schema.size}${propsText(schema.props)}}`
      }
      case 'array':
        return `{"type":"array","items":${this.write(schema.items, namespace)}${propsText(schema.props)}}`
      case 'map':
        return `{"type":"map","values":${this.write(schema.values, namespace)}${propsText(schema.props)}}`
      default:
        return schema.props.size === 0 ? `"${schema.type}"` : `{"type":"${schema.type}"${propsText(schema.props)}}`
    }
  }

  #field(field: AvroField, namespace: string | undefined): string {
    let text = `{"name":${quoteJsonString(field.name)},"type":${this.write(field.schema, namespace)}`
    if (field.doc !== undefined) text += `,"doc":${quoteJsonString(field.doc)}`
    if (field.defaultValue !== undefined) text += `,"default":${writeJsonNode(field.defaultValue)}`
    return `${text}${propsText(field.props)}}`
  }

  // A second mention of a named type is its name; a different type under a taken name is an error, as in Avro.
  #reference(schema: AvroNamedSchema, namespace: string | undefined): string | undefined {
    const earlier = this.#written.get(schema.name.fullName)
    if (earlier === undefined) {
      this.#written.set(schema.name.fullName, schema)
      return undefined
    }
    if (!avroSchemasEqual(earlier, schema)) throw new DataError(`Can't redefine: ${schema.name.fullName}`)
    return quoteJsonString(schema.name.namespace !== undefined && schema.name.namespace !== namespace ? schema.name.fullName : schema.name.name)
  }
}

const nameMembers = (name: AvroName, namespace: string | undefined): string => {
  let text = `"name":${quoteJsonString(name.name)}`
  if (name.namespace !== undefined) {
    if (name.namespace !== namespace) text += `,"namespace":${quoteJsonString(name.namespace)}`
  } else if (namespace !== undefined) {
    text += ',"namespace":""'
  }
  return text
}

const propsText = (props: AvroProps): string => {
  let text = ''
  for (const [key, value] of props) text += `,${quoteJsonString(key)}:${writeJsonNode(value)}`
  return text
}

/** Structural equality of two schema trees (names, fields, attributes and defaults), safe on recursive schemas. */
export const avroSchemasEqual = (a: AvroSchema, b: AvroSchema, assumed = new Map<AvroSchema, AvroSchema>()): boolean => {
  if (a === b) return true
  if (a.type !== b.type) return false
  if (isNamedSchema(a)) {
    if (assumed.get(a) === b) return true
    assumed.set(a, b)
  }
  switch (a.type) {
    case 'union': {
      const other = b as AvroUnionSchema
      return a.branches.length === other.branches.length && a.branches.every((branch, i) => avroSchemasEqual(branch, other.branches[i]!, assumed))
    }
    case 'record': {
      const other = b as AvroRecordSchema
      return (
        a.name.fullName === other.name.fullName &&
        a.doc === other.doc &&
        propsEqual(a.props, other.props) &&
        a.fields.length === other.fields.length &&
        a.fields.every((field, i) => {
          const that = other.fields[i]!
          return (
            field.name === that.name &&
            field.doc === that.doc &&
            jsonEqual(field.defaultValue, that.defaultValue) &&
            propsEqual(field.props, that.props) &&
            avroSchemasEqual(field.schema, that.schema, assumed)
          )
        })
      )
    }
    case 'enum': {
      const other = b as AvroEnumSchema
      return (
        a.name.fullName === other.name.fullName &&
        a.doc === other.doc &&
        a.defaultSymbol === other.defaultSymbol &&
        a.symbols.length === other.symbols.length &&
        a.symbols.every((symbol, i) => symbol === other.symbols[i]) &&
        propsEqual(a.props, other.props)
      )
    }
    case 'fixed': {
      const other = b as AvroFixedSchema
      return a.name.fullName === other.name.fullName && a.size === other.size && propsEqual(a.props, other.props)
    }
    case 'array':
      return propsEqual(a.props, (b as AvroArraySchema).props) && avroSchemasEqual(a.items, (b as AvroArraySchema).items, assumed)
    case 'map':
      return propsEqual(a.props, (b as AvroMapSchema).props) && avroSchemasEqual(a.values, (b as AvroMapSchema).values, assumed)
    default:
      return propsEqual(a.props, (b as AvroPrimitiveSchema).props)
  }
}

const propsEqual = (a: AvroProps, b: AvroProps): boolean => {
  if (a.size !== b.size) return false
  for (const [key, value] of a) if (!b.has(key) || !jsonEqual(value, b.get(key))) return false
  return true
}

const jsonEqual = (a: JsonNode | undefined, b: JsonNode | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && writeJsonNode(a) === writeJsonNode(b))
