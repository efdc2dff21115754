import { z } from 'zod'
import type { ConnectRecord } from '../../src/data/record.ts'
import { documented } from '../../src/plugin/config.ts'
import type { PredicatePlugin } from '../../src/plugin/transformation.ts'
import { JavaRegexError, compileJavaRegex } from '../../src/plugin/java-regex.ts'
import { TRANSFORMS_VERSION } from '../version.ts'

export const topicNameMatchesConfig = z.object({
  pattern: documented(
    z
      .string()
      .trim()
      .min(1, 'String must be non-empty')
      .superRefine((pattern, ctx) => {
        try {
          compileJavaRegex(pattern)
        } catch (error) {
          if (!(error instanceof JavaRegexError)) throw error
          ctx.addIssue({ code: 'custom', message: `entry must be a Java-compatible regular expression: ${error.message}` })
        }
      }),
    { description: "A Java regular expression for matching against the name of a record's topic.", importance: 'medium' },
  ),
})

export type TopicNameMatchesConfig = z.output<typeof topicNameMatchesConfig>

/** Kafka's TopicNameMatches: true when the whole topic name matches `pattern`. */
export const topicNameMatches: PredicatePlugin<typeof topicNameMatchesConfig> = Object.freeze({
  className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
  aliases: Object.freeze(['TopicNameMatches']),
  version: TRANSFORMS_VERSION,
  config: topicNameMatchesConfig,
  create: (config: TopicNameMatchesConfig) => {
    const pattern = compileJavaRegex(config.pattern)
    return { test: (record: ConnectRecord) => typeof record.topic === 'string' && pattern.matches(record.topic) }
  },
})
