import { csvList } from '../plugin/config.ts'
import { ConfigError } from '../plugin/errors.ts'
import { compileJavaRegex, JavaRegexError } from '../plugin/java-regex.ts'

/** The topics a sink consumes: a list, or every topic whose whole name matches a pattern. */
export type SinkSubscription = { readonly topics: readonly string[] } | { readonly pattern: RegExp }

/**
 * A sink connector's topics, from Kafka Connect's `topics` (a comma-separated list) or `topics.regex` (a Java
 * pattern that must match the whole topic name, as Kafka's consumer applies it). Exactly one of them must be set.
 */
export const sinkSubscription = (connectorConfig: Readonly<Record<string, string>>): SinkSubscription => {
  const topics = csvList().parse(connectorConfig.topics ?? '')
  const regex = connectorConfig['topics.regex']?.trim() ?? ''
  if (topics.length > 0 && regex !== '') throw new ConfigError('topics.regex', regex, 'topics and topics.regex are mutually exclusive options, but both are set.')
  if (topics.length > 0) return { topics }
  if (regex === '') throw new ConfigError('topics', '', 'Must configure one of topics or topics.regex')
  try {
    return { pattern: compileJavaRegex(regex).wholeMatch }
  } catch (error) {
    if (error instanceof JavaRegexError) throw new ConfigError('topics.regex', regex, `is not a valid regular expression: ${error.message}`)
    throw error
  }
}
