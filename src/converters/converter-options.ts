import type { z } from 'zod'
import type { ConfigSchema } from '../plugin/config.ts'
import { ConfigError } from '../plugin/errors.ts'

/**
 * Validates a converter's options against its declaration. Converters are created inside the worker, where one
 * rejected key is enough to stop, so the first problem becomes a `ConfigError` naming that key.
 */
export const parseConverterOptions = <S extends ConfigSchema>(schema: S, options: Readonly<Record<string, string>>): z.output<S> => {
  const result = schema.safeParse(options)
  if (result.success) return result.data
  const [issue] = result.error.issues
  const key = String(issue?.path[0] ?? '(config)')
  throw new ConfigError(key, options[key], issue === undefined ? 'invalid value' : reasonOf(issue))
}

// A union (string-or-boolean, string-or-number) reports only "Invalid input"; the string branch says what is wrong.
const reasonOf = (issue: z.core.$ZodIssue): string => {
  if (issue.code !== 'invalid_union') return issue.message
  const specific = issue.errors.flat().find((inner) => inner.code !== 'invalid_type')
  return specific?.message ?? issue.message
}
