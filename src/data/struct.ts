import { DataError } from '../plugin/errors.ts'
import type { Field, Schema, SchemaType } from './schema.ts'
import { displayString, schemasEqual, validateValue, valuesEqual } from './values.ts'

// Struct lookups happen per record and per field, so each schema's name → field index is built once.
const fieldIndexes = new WeakMap<Schema, ReadonlyMap<string, Field>>()

const fieldIndexOf = (schema: Schema): ReadonlyMap<string, Field> => {
  let index = fieldIndexes.get(schema)
  if (index === undefined) {
    index = new Map((schema.fields ?? []).map((field) => [field.name, field]))
    fieldIndexes.set(schema, index)
  }
  return index
}

/**
 * A structured value whose fields are fixed by a struct schema, as Kafka Connect's `Struct`.
 * `put` checks each value against its field's schema; `validate` checks that every required field is set.
 * Unset fields hold `null`.
 */
export class Struct {
  readonly schema: Schema
  readonly #values: unknown[]

  constructor(schema: Schema) {
    if (schema.type !== 'struct') throw new DataError(`Not a struct schema: ${describeSchema(schema)}`)
    this.schema = schema
    this.#values = new Array<unknown>(schema.fields?.length ?? 0).fill(null)
  }

  /** The field's value, or the field schema's default when the value is unset. */
  get(fieldName: string): unknown {
    const field = this.#lookupField(fieldName)
    const value = this.#values[field.index]
    return value === null && field.schema.defaultValue !== undefined ? field.schema.defaultValue : value
  }

  /** The field's value as put, ignoring any default: `null` when unset. */
  getWithoutDefault(fieldName: string): unknown {
    return this.#values[this.#lookupField(fieldName).index]
  }

  getInt8(fieldName: string): number | null {
    return this.#getChecked(fieldName, 'int8') as number | null
  }

  getInt16(fieldName: string): number | null {
    return this.#getChecked(fieldName, 'int16') as number | null
  }

  getInt32(fieldName: string): number | null {
    return this.#getChecked(fieldName, 'int32') as number | null
  }

  /** An int64 as stored: a bigint, or the safe-integer number that was put. */
  getInt64(fieldName: string): bigint | number | null {
    return this.#getChecked(fieldName, 'int64') as bigint | number | null
  }

  getFloat32(fieldName: string): number | null {
    return this.#getChecked(fieldName, 'float32') as number | null
  }

  getFloat64(fieldName: string): number | null {
    return this.#getChecked(fieldName, 'float64') as number | null
  }

  getBoolean(fieldName: string): boolean | null {
    return this.#getChecked(fieldName, 'boolean') as boolean | null
  }

  getString(fieldName: string): string | null {
    return this.#getChecked(fieldName, 'string') as string | null
  }

  getBytes(fieldName: string): Uint8Array | null {
    return this.#getChecked(fieldName, 'bytes') as Uint8Array | null
  }

  getArray(fieldName: string): readonly unknown[] | null {
    return this.#getChecked(fieldName, 'array') as readonly unknown[] | null
  }

  getMap(fieldName: string): ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>> | null {
    return this.#getChecked(fieldName, 'map') as ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>> | null
  }

  getStruct(fieldName: string): Struct | null {
    return this.#getChecked(fieldName, 'struct') as Struct | null
  }

  /** Sets a field after checking the value against the field's schema; `null` unsets it. */
  put(fieldName: string, value: unknown): this {
    const field = this.#lookupField(fieldName)
    validateValue(field.schema, value, field.name)
    this.#values[field.index] = value ?? null
    return this
  }

  /** Throws a `DataError` unless every field without a value is optional or has a default. */
  validate(): void {
    for (const field of this.schema.fields ?? []) {
      const value = this.#values[field.index]
      if (value === null && (field.schema.optional || field.schema.defaultValue !== undefined)) continue
      validateValue(field.schema, value, field.name)
    }
  }

  /** Same schema and deeply equal field values. */
  equals(other: unknown): boolean {
    if (this === other) return true
    if (!(other instanceof Struct) || !schemasEqual(this.schema, other.schema)) return false
    return this.#values.every((value, i) => valuesEqual(value, other.#values[i]))
  }

  /** `Struct{name=value,...}` over the fields that are set, as Kafka prints structs. */
  toString(): string {
    const parts: string[] = []
    for (const field of this.schema.fields ?? []) {
      const value = this.#values[field.index]
      if (value !== null) parts.push(`${field.name}=${displayString(value)}`)
    }
    return `Struct{${parts.join(',')}}`
  }

  #lookupField(fieldName: string): Field {
    const field = fieldIndexOf(this.schema).get(fieldName)
    if (field === undefined) throw new DataError(`${fieldName} is not a valid field name`)
    return field
  }

  #getChecked(fieldName: string, type: SchemaType): unknown {
    const field = this.#lookupField(fieldName)
    if (field.schema.type !== type) throw new DataError(`Field '${fieldName}' is not of type ${type.toUpperCase()}`)
    return this.get(fieldName)
  }
}

const describeSchema = (schema: Schema): string =>
  `Schema{${schema.name === undefined ? '' : `${schema.name}:`}${schema.type.toUpperCase()}}`
