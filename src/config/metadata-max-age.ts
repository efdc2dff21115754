import { ConfigError } from '../plugin/errors.ts'

type RawConfig = Readonly<Record<string, string>>

/** The Java consumer's `metadata.max.age.ms` default: how soon a pattern subscription sees a new topic. */
export const DEFAULT_METADATA_MAX_AGE_MS = 300_000

/**
 * A sink consumer's `metadata.max.age.ms`, which bounds how soon a `topics.regex` sink sees a topic created after it
 * started: the connector's `consumer.override.metadata.max.age.ms`, else the worker's `consumer.metadata.max.age.ms`,
 * else the Java consumer's 5 minutes.
 */
export const consumerMetadataMaxAgeMs = (workerRaw: RawConfig, connectorRaw: RawConfig): number => {
  for (const [key, raw] of [
    ['consumer.override.metadata.max.age.ms', connectorRaw['consumer.override.metadata.max.age.ms']],
    ['consumer.metadata.max.age.ms', workerRaw['consumer.metadata.max.age.ms']],
  ] as const) {
    if (raw === undefined) continue
    const value = Number(raw.trim())
    if (!/^\d+$/.test(raw.trim()) || value < 1) throw new ConfigError(key, raw, 'must be a positive whole number of milliseconds')
    return value
  }
  return DEFAULT_METADATA_MAX_AGE_MS
}
