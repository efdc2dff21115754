import { isKafkaClientWorkerKey } from './kafka-client-config.ts'
import { REST_SSL_KEYS } from './rest-config.ts'

/**
 * Prefixes of worker keys that Kafka Connect hands on to something else unread: converters' options, the Kafka
 * clients', config providers' parameters, the listeners' TLS keys. A helper adding such a family adds its prefix here.
 */
export const PASS_THROUGH_WORKER_KEY_PREFIXES: readonly string[] = [
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'producer.',
  'consumer.',
  'admin.',
  'config.providers.',
  'listeners.https.',
  'admin.listeners.https.',
  'rest.extension.',
]

/** Keys read straight from the raw config rather than declared in the worker schema. */
const KEYS_READ_RAW: ReadonlySet<string> = new Set<string>(REST_SSL_KEYS)

/**
 * The keys of `raw` that nothing reads, in the order given: what Kafka's AbstractConfig.logUnused names in its
 * "These configurations '[...]' were supplied but are not used yet." warning.
 */
export const unusedWorkerKeys = (raw: Readonly<Record<string, string>>, declared: ReadonlySet<string>): string[] =>
  Object.keys(raw).filter(
    (key) => !declared.has(key) && !KEYS_READ_RAW.has(key) && !isKafkaClientWorkerKey(key) && !PASS_THROUGH_WORKER_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)),
  )

export const unusedWorkerKeysWarning = (unused: readonly string[]): string => `These configurations '[${unused.join(', ')}]' were supplied but are not used yet.`
