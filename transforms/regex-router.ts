import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import { documented } from '../src/plugin/config.ts'
import type { TransformationPlugin } from '../src/plugin/transformation.ts'
import { JavaRegexError, compileJavaRegex, compileJavaReplacement } from '../src/plugin/java-regex.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

export const regexRouterConfig = z
  .object({
    regex: documented(
      z
        .string()
        .trim()
        .superRefine((regex, ctx) => {
          try {
            compileJavaRegex(regex)
          } catch (error) {
            if (!(error instanceof JavaRegexError)) throw error
            ctx.addIssue({ code: 'custom', message: `Invalid regex: ${error.message}` })
          }
        }),
      { description: 'Regular expression to use for matching.', importance: 'high' },
    ),
    replacement: documented(z.string().trim(), { description: 'Replacement string.', importance: 'high' }),
  })
  .superRefine((config, ctx) => {
    let pattern
    try {
      pattern = compileJavaRegex(config.regex)
    } catch {
      return
    }
    try {
      compileJavaReplacement(config.replacement, pattern)
    } catch (error) {
      if (!(error instanceof JavaRegexError)) throw error
      ctx.addIssue({ code: 'custom', path: ['replacement'], message: error.message })
    }
  })

export type RegexRouterConfig = z.output<typeof regexRouterConfig>

/**
 * Kafka's RegexRouter: when the whole topic name matches `regex`, renames the topic with `replacement` (`$1`, `${name}`
 * refer to groups, as in Java). Other records pass through unchanged.
 */
export const regexRouter: TransformationPlugin<typeof regexRouterConfig> = Object.freeze({
  className: `${KAFKA_TRANSFORMS_PACKAGE}.RegexRouter`,
  aliases: Object.freeze(['RegexRouter']),
  version: TRANSFORMS_VERSION,
  config: regexRouterConfig,
  create: (config: RegexRouterConfig) => {
    const pattern = compileJavaRegex(config.regex)
    const replacement = compileJavaReplacement(config.replacement, pattern)
    return {
      apply<R extends ConnectRecord>(record: R): R {
        if (!pattern.matches(record.topic)) return record
        return { ...record, topic: pattern.replaceFirst(record.topic, replacement) }
      },
    }
  },
})
