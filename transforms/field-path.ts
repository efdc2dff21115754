import { z } from 'zod'
import type { Field, Schema } from '../src/data/schema.ts'
import { findField } from '../src/data/schema.ts'
import { Struct } from '../src/data/struct.ts'
import { isPlainObject } from '../src/data/values.ts'
import { documented } from '../src/plugin/config.ts'

/**
 * Kafka's field paths (KIP-821): `V1` names a top-level field, dots and all; `V2` walks nested structs and maps with
 * dotted notation, a backtick pair wrapping a name that itself contains dots (`` `foo.bar`.baz ``).
 */
export type FieldSyntaxVersion = 'V1' | 'V2'

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version'

export const fieldSyntaxVersionKey = () =>
  documented(
    z
      .string()
      .trim()
      .toUpperCase()
      .refine((v): v is FieldSyntaxVersion => v === 'V1' || v === 'V2', { message: 'String must be one of (case insensitive): V1, V2' })
      .default('V1'),
    {
      description:
        'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to access the subfield `baz` from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "`foo.bar`.baz".',
      importance: 'high',
    },
  )

const DOT = '.'
const BACKTICK = '`'
const BACKSLASH = '\\'

/** Thrown while splitting a V2 path; carries Kafka's message so config validation can report it. */
export class FieldPathError extends Error {}

/** Kafka's `SingleFieldPath`: one field, possibly nested, of a struct or a schemaless map. */
export class SingleFieldPath {
  readonly steps: readonly string[]

  constructor(
    readonly path: string,
    readonly version: FieldSyntaxVersion,
  ) {
    this.steps = Object.freeze(version === 'V1' ? [path] : splitV2(path))
  }

  /** The field's schema in `schema`, or `undefined` when any step is missing. */
  fieldFrom(schema: Schema | null): Field | undefined {
    if (schema === null) return undefined
    let current = schema
    const last = this.steps.length - 1
    for (let i = 0; i < last; i++) {
      const field = findField(current, this.steps[i] as string)
      if (field === undefined) return undefined
      current = field.schema
    }
    return findField(current, this.steps[last] as string)
  }

  /** The value at this path in a struct, or `null` when a step is missing or not a struct. */
  valueFromStruct(struct: Struct | null, withDefault: boolean): unknown {
    let current = struct
    const last = this.steps.length - 1
    for (let i = 0; i <= last && current !== null; i++) {
      const step = this.steps[i] as string
      if (findField(current.schema, step) === undefined) return null
      const value = withDefault ? current.get(step) : current.getWithoutDefault(step)
      if (i === last) return value
      current = value instanceof Struct ? value : null
    }
    return null
  }

  /** The value at this path in a schemaless map, or `null` when a step is missing or not a map. */
  valueFromMap(map: Readonly<Record<string, unknown>> | null): unknown {
    let current: unknown = map
    for (const step of this.steps) {
      if (current instanceof Map) current = current.get(step)
      else if (isPlainObject(current)) current = Object.hasOwn(current, step) ? current[step] : undefined
      else return null
    }
    return current ?? null
  }

  toString(): string {
    return this.path
  }
}

/** Splits a V2 path as Kafka does: dots separate steps; `` `a.b` `` is one step; `` \` `` escapes a backtick. */
const splitV2 = (path: string): string[] => {
  const steps: string[] = []
  let idx = 0
  while (idx >= 0 && idx < path.length) {
    if (path[idx] !== BACKTICK) {
      const start = idx
      idx = path.indexOf(DOT, idx)
      if (idx >= 0) {
        steps.push(path.slice(start, idx))
        idx++
      } else {
        steps.push(path.slice(start))
      }
      continue
    }
    const backtickAt = idx
    idx++
    let field = ''
    let start = idx
    for (;;) {
      idx = path.indexOf(BACKTICK, idx)
      if (idx === -1) throw incompleteBacktickPair(path, backtickAt)
      const escaped = path[idx - 1] === BACKSLASH
      if (idx >= path.length - 1) {
        if (escaped) throw incompleteBacktickPair(path, backtickAt)
        field += path.slice(start, idx)
        steps.push(field)
        idx++
        break
      }
      if (path[idx + 1] !== DOT) {
        idx++
        continue
      }
      if (escaped) {
        field += path.slice(start, idx - 1) + BACKTICK
        idx++
        start = idx
        continue
      }
      field += path.slice(start, idx)
      steps.push(field)
      idx += 2
      break
    }
  }
  if (path.endsWith(DOT)) steps.push('')
  return steps
}

const incompleteBacktickPair = (path: string, backtickAt: number): FieldPathError =>
  new FieldPathError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${backtickAt} to escape it`,
  )
