import type { ConfigProblem } from '../plugin/config.ts'
import {
  CLIENT_OVERRIDE_PREFIXES,
  clientProperties,
  parseConsumerTuning,
  parseKafkaConnection,
  parseProducerTuning,
  type ClientRole,
} from './kafka-client-config.ts'

/**
 * Kafka Connect's `connector.client.config.override.policy`: which `producer.override.*`, `consumer.override.*` and
 * `admin.override.*` keys a connector config may set. `All` (Kafka's default since 3.0) allows any, `None` none,
 * `Principal` only the keys that choose who the client is.
 */
export const CLIENT_OVERRIDE_POLICIES = ['None', 'Principal', 'All'] as const
export type ClientOverridePolicy = (typeof CLIENT_OVERRIDE_POLICIES)[number]

/** The alias (`All`), the class's simple name or its full name, as Kafka Connect accepts plugin classes. */
export const parseClientOverridePolicy = (text: string): ClientOverridePolicy | undefined => {
  const simpleName = text.trim().split('.').pop() ?? ''
  return CLIENT_OVERRIDE_POLICIES.find((policy) => simpleName === policy || simpleName === `${policy}ConnectorClientConfigOverridePolicy`)
}

/** PrincipalConnectorClientConfigOverridePolicy's allowed keys. */
const PRINCIPAL_KEYS: ReadonlySet<string> = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol'])

const isAllowed = (policy: ClientOverridePolicy, key: string): boolean => policy === 'All' || (policy === 'Principal' && PRINCIPAL_KEYS.has(key))

/** What validating a connector's client overrides needs to know of the worker. */
export interface ClientOverrideContext {
  readonly policy: ClientOverridePolicy
  readonly workerRaw: Readonly<Record<string, string>>
  readonly bootstrapServers: readonly string[]
}

type RawConfig = Readonly<Record<string, string>>

/**
 * The clients a connector's tasks create, as AbstractHerder decides which overrides to check: a source task's
 * producer, a sink task's consumer, and the producer and admin of a dead-letter topic (which sources have here too).
 */
export const clientsOf = (connectorType: 'source' | 'sink', raw: RawConfig): ClientRole[] => {
  const deadLetters = (raw['errors.deadletterqueue.topic.name'] ?? '').trim() !== ''
  if (connectorType === 'source') return deadLetters ? ['producer', 'admin'] : ['producer']
  return deadLetters ? ['consumer', 'producer', 'admin'] : ['consumer']
}

/**
 * Every override the policy forbids, in Kafka Connect's words, then every override value the worker's client would
 * refuse (a bad `acks`, an unsupported login module), each naming its full key. Overrides of clients the connector
 * does not create are not checked, as in Kafka Connect.
 */
export const clientOverrideProblems = (connectorType: 'source' | 'sink', raw: RawConfig, context: ClientOverrideContext): ConfigProblem[] => {
  const problems: ConfigProblem[] = []
  for (const role of clientsOf(connectorType, raw)) {
    const prefix = CLIENT_OVERRIDE_PREFIXES[role]
    const forbidden = Object.keys(raw).filter((key) => key.startsWith(prefix) && !isAllowed(context.policy, key.slice(prefix.length)))
    for (const key of forbidden) {
      problems.push({
        key,
        message: `The '${context.policy}' policy does not allow '${key.slice(prefix.length)}' to be overridden in the connector configuration.`,
      })
    }
    if (forbidden.length > 0 || !Object.keys(raw).some((key) => key.startsWith(prefix))) continue
    const properties = clientProperties(context.workerRaw, context.bootstrapServers, role, raw)
    const connection = parseKafkaConnection(properties, `${role}.`)
    const tuning = role === 'producer' ? parseProducerTuning(properties) : role === 'consumer' ? parseConsumerTuning(properties) : { ok: true as const }
    for (const result of [connection, tuning]) if (!result.ok) problems.push(...result.problems)
  }
  return problems
}
