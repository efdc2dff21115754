import { DataError } from '../plugin/errors.ts'
import type { Field, Schema, SchemaType } from './schema.ts'
import { validateValue } from './values.ts'

/** A builder call that Kafka's SchemaBuilder would reject (a field on a non-struct, a default that does not fit). */
export class SchemaBuilderError extends DataError {}

/**
 * Builds an immutable {@link Schema} step by step, as Kafka Connect's `SchemaBuilder` does.
 * Unlike Kafka's, this builder is not itself a schema: call {@link SchemaBuilder.build} to get one, so the builder's
 * method names never clash with the schema's properties.
 */
export class SchemaBuilder {
  readonly #type: SchemaType
  #optional = false
  #defaultValue: unknown = undefined
  #name: string | undefined
  #version: number | undefined
  #doc: string | undefined
  #parameters: Record<string, string> | undefined
  readonly #fields: Field[] | undefined
  readonly #keySchema: Schema | undefined
  readonly #valueSchema: Schema | undefined

  private constructor(type: SchemaType, keySchema?: Schema, valueSchema?: Schema) {
    this.#type = type
    this.#fields = type === 'struct' ? [] : undefined
    this.#keySchema = keySchema
    this.#valueSchema = valueSchema
  }

  static type(type: SchemaType): SchemaBuilder {
    if (type === 'array' || type === 'map') {
      throw new SchemaBuilderError(`Use SchemaBuilder.${type}(...) to build ${type} schemas: they need element schemas.`)
    }
    return new SchemaBuilder(type)
  }

  static int8(): SchemaBuilder {
    return new SchemaBuilder('int8')
  }

  static int16(): SchemaBuilder {
    return new SchemaBuilder('int16')
  }

  static int32(): SchemaBuilder {
    return new SchemaBuilder('int32')
  }

  static int64(): SchemaBuilder {
    return new SchemaBuilder('int64')
  }

  static float32(): SchemaBuilder {
    return new SchemaBuilder('float32')
  }

  static float64(): SchemaBuilder {
    return new SchemaBuilder('float64')
  }

  static bool(): SchemaBuilder {
    return new SchemaBuilder('boolean')
  }

  static string(): SchemaBuilder {
    return new SchemaBuilder('string')
  }

  static bytes(): SchemaBuilder {
    return new SchemaBuilder('bytes')
  }

  static struct(): SchemaBuilder {
    return new SchemaBuilder('struct')
  }

  static array(valueSchema: Schema): SchemaBuilder {
    if (valueSchema == null) throw new SchemaBuilderError('valueSchema cannot be null.')
    return new SchemaBuilder('array', undefined, valueSchema)
  }

  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    if (keySchema == null) throw new SchemaBuilderError('keySchema cannot be null.')
    if (valueSchema == null) throw new SchemaBuilderError('valueSchema cannot be null.')
    return new SchemaBuilder('map', keySchema, valueSchema)
  }

  /** The type being built, for code that branches on it before `build()`. */
  get schemaType(): SchemaType {
    return this.#type
  }

  /** The fields added so far (struct builders only; empty otherwise). */
  get fieldList(): readonly Field[] {
    return this.#fields ?? []
  }

  optional(): this {
    this.#optional = true
    return this
  }

  required(): this {
    this.#optional = false
    return this
  }

  /** Sets the default; it must validate against the schema as built so far (so set a logical name first). */
  defaultValue(value: unknown): this {
    checkCanSet('defaultValue', this.#defaultValue, value)
    try {
      validateValue(this.build(), value)
    } catch (error) {
      throw new SchemaBuilderError(`Invalid default value: ${(error as Error).message}`, { cause: error })
    }
    // A null default on an optional schema means "no default", as in Kafka.
    this.#defaultValue = value ?? undefined
    return this
  }

  withName(name: string): this {
    checkCanSet('name', this.#name, name)
    this.#name = name
    return this
  }

  version(version: number): this {
    checkCanSet('version', this.#version, version)
    if (!Number.isInteger(version)) throw new SchemaBuilderError(`Schema version must be an integer, got ${version}.`)
    this.#version = version
    return this
  }

  doc(doc: string): this {
    checkCanSet('doc', this.#doc, doc)
    this.#doc = doc
    return this
  }

  parameter(key: string, value: string): this {
    this.#parameters ??= {}
    this.#parameters[key] = value
    return this
  }

  parameters(parameters: Readonly<Record<string, string>>): this {
    this.#parameters = { ...this.#parameters, ...parameters }
    return this
  }

  field(name: string, schema: Schema): this {
    if (this.#fields === undefined) throw new SchemaBuilderError(`Cannot create fields on type ${this.#type.toUpperCase()}`)
    if (name == null || name === '') throw new SchemaBuilderError('fieldName cannot be null.')
    if (schema == null) throw new SchemaBuilderError(`fieldSchema for field ${name} cannot be null.`)
    if (this.#fields.some((field) => field.name === name)) {
      throw new SchemaBuilderError(`Cannot create field because of field name duplication ${name}`)
    }
    this.#fields.push(Object.freeze({ name, index: this.#fields.length, schema }))
    return this
  }

  /** A frozen schema; the builder stays usable, and later calls do not affect schemas already built. */
  build(): Schema {
    const schema: { -readonly [K in keyof Schema]: Schema[K] } = { type: this.#type, optional: this.#optional }
    if (this.#defaultValue !== undefined) schema.defaultValue = this.#defaultValue
    if (this.#name !== undefined) schema.name = this.#name
    if (this.#version !== undefined) schema.version = this.#version
    if (this.#doc !== undefined) schema.doc = this.#doc
    if (this.#parameters !== undefined) schema.parameters = Object.freeze({ ...this.#parameters })
    if (this.#fields !== undefined) schema.fields = Object.freeze([...this.#fields])
    if (this.#keySchema !== undefined) schema.keySchema = this.#keySchema
    if (this.#valueSchema !== undefined) schema.valueSchema = this.#valueSchema
    return Object.freeze(schema)
  }
}

/** Copies name, version, doc and parameters (not type, optionality, default or fields), as Kafka's SchemaUtil does. */
export const copySchemaBasics = (source: Schema, builder: SchemaBuilder): SchemaBuilder => {
  if (source.name !== undefined) builder.withName(source.name)
  if (source.version !== undefined) builder.version(source.version)
  if (source.doc !== undefined) builder.doc(source.doc)
  if (source.parameters !== undefined) builder.parameters(source.parameters)
  return builder
}

// Kafka lets a property be set twice only to the same value, so builders cannot silently overwrite metadata.
const checkCanSet = (property: string, current: unknown, next: unknown): void => {
  if (current !== undefined && current !== next) {
    throw new SchemaBuilderError(`Invalid SchemaBuilder call: ${property} has already been set.`)
  }
}
