import { z } from 'zod'
import { ConfigError } from './errors.ts'

/**
 * Config keys are declared once, as a zod object whose members carry `.meta(...)`. From that one declaration come the
 * TypeScript type, the 400 on `POST /connectors`, the `/config/validate` response and the generated docs.
 * Kafka Connect configs arrive as strings, so the helpers below parse strings.
 */
export type Importance = 'high' | 'medium' | 'low'

/** Kafka's ConfigDef types, as `/config/validate` reports them. */
export type ConfigType = 'STRING' | 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'LIST' | 'CLASS' | 'PASSWORD'

export interface ConfigKeyMeta {
  /** One or two sentences for users: what it does, and the values that make sense. */
  readonly description: string
  /** Inferred from the zod type when absent. */
  readonly type?: ConfigType
  readonly importance?: Importance
  readonly group?: string
  readonly displayName?: string
}

export type ConfigSchema = z.ZodObject<z.ZodRawShape>

/** Attaches documentation to one config key. */
export const documented = <T extends z.ZodType>(schema: T, meta: ConfigKeyMeta): T => schema.meta({ ...meta })

/** `"true"`/`"false"` (any case), or a real boolean; `z.coerce.boolean()` would turn `"false"` into `true`. */
export const booleanString = () =>
  z.union([
    z.boolean(),
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((s) => s === 'true' || s === 'false', { message: 'must be true or false' })
      .transform((s) => s === 'true'),
  ])

/** A whole number that may arrive as a string. */
export const intString = () =>
  z
    .union([z.number(), z.string().trim().regex(/^[+-]?\d+$/, 'must be a whole number')])
    .transform((raw) => Number(raw))
    .pipe(z.number().int('must be a whole number'))

/** Kafka's LIST type: a comma-separated string (or a JSON array), blanks trimmed and empty items dropped. */
export const csvList = () =>
  z.union([z.array(z.string()), z.string()]).transform((raw) =>
    (Array.isArray(raw) ? raw : raw.split(','))
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )

/** One rejected key, as the REST layer reports it. */
export interface ConfigProblem {
  readonly key: string
  readonly message: string
  /** Why the value was refused, without the key and value that `message` repeats. */
  readonly reason?: string
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly ConfigProblem[] }

/**
 * Validates raw string config against a declaration, reporting every bad key (never only the first) in the words
 * Kafka's ConfigDef uses, so that scripts matching on them keep working.
 */
export const parseConfig = <S extends ConfigSchema>(
  schema: S,
  raw: Readonly<Record<string, unknown>>,
  /** Put before every key a problem names: how `schemas.enable` reads as `value.converter.schemas.enable`. */
  keyPrefix = '',
): ParseResult<z.output<S>> => {
  const result = schema.safeParse(raw)
  if (result.success) return { ok: true, value: result.data }
  const problems = new Map<string, ConfigProblem>()
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '(config)')
    const key = keyPrefix + name
    if (problems.has(key)) continue
    const rawValue = Object.hasOwn(raw, name) ? raw[name] : undefined
    const reason = reasonOf(issue)
    problems.set(key, { key, message: describeIssue(key, rawValue, reason), ...(rawValue === undefined ? {} : { reason }) })
  }
  return { ok: false, problems: [...problems.values()] }
}

const describeIssue = (key: string, rawValue: unknown, reason: string): string =>
  rawValue === undefined
    ? `Missing required configuration "${key}" which has no default value.`
    : `Invalid value ${typeof rawValue === 'string' ? rawValue : JSON.stringify(rawValue)} for configuration ${key}: ${reason}`

// A union (string-or-boolean, string-or-number) reports only "Invalid input"; the string branch says what is wrong.
const reasonOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code !== 'invalid_union') return issue.message
  const specific = issue.errors.flat().find((inner) => inner.code !== 'invalid_type')
  return specific?.message ?? issue.message
}

/** The problems of a failed parse as one ConfigError: `key` names the first, the message lists every one. */
export const configErrorOf = (problems: readonly ConfigProblem[], raw: Readonly<Record<string, unknown>>, keyPrefix = ''): ConfigError => {
  const [first] = problems
  if (first === undefined) return new ConfigError('(config)', undefined, 'invalid')
  return new ConfigError(first.key, raw[first.key.slice(keyPrefix.length)], first.reason ?? first.message, problems.map(({ message }) => message).join('\n'))
}

/** Keys that start with `prefix`, with the prefix removed: how `value.converter.schemas.enable` reaches a converter. */
export const withPrefixStripped = (config: Readonly<Record<string, string>>, prefix: string): Record<string, string> => {
  const stripped: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(prefix)) stripped[key.slice(prefix.length)] = value
  }
  return stripped
}
