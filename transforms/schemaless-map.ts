import { describeType, isPlainObject } from '../src/data/values.ts'
import { DataError } from '../src/plugin/errors.ts'

/**
 * A schemaless map as transformations read and write it: a plain object with string keys. A JS `Map` is accepted as
 * input (keys turned into strings); what the transformations produce is always a plain object.
 */
export type SchemalessMap = Readonly<Record<string, unknown>>

/** Kafka's `Requirements.requireMap`: the value must be a map, since there is no schema to say what it is. */
export const requireMap = (value: unknown, purpose: string): SchemalessMap => {
  if (isPlainObject(value)) return value
  if (value instanceof Map) {
    const copy: Record<string, unknown> = {}
    for (const [key, entry] of value) setEntry(copy, String(key), entry)
    return copy
  }
  throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${describeType(value)}`)
}

/** As {@link requireMap}, letting `null` through (a tombstone). */
export const requireMapOrNull = (value: unknown, purpose: string): SchemalessMap | null =>
  value === null || value === undefined ? null : requireMap(value, purpose)

/** Sets an own property, even one called `__proto__`, which plain assignment would treat as the prototype. */
export const setEntry = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

/** The map's own value for `key`, or `undefined` (never an inherited property such as `toString`). */
export const getEntry = (map: SchemalessMap, key: string): unknown => (Object.hasOwn(map, key) ? map[key] : undefined)

/**
 * A mutable copy to add entries to. Copied key by key: in V8, adding a key to an object made by spread syntax costs
 * about ten times the copy itself, and this runs per record.
 */
export const copyMap = (map: SchemalessMap): Record<string, unknown> => {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(map)) setEntry(copy, key, map[key])
  return copy
}
