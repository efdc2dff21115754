import type { ParseResult } from '../plugin/config.ts'
import { ConfigError } from '../plugin/errors.ts'
import type { ClientOverrideContext } from './client-overrides.ts'
import {
  clientProperties,
  parseConsumerTuning,
  parseKafkaConnection,
  parseProducerTuning,
  type ClientProperties,
  type ConsumerTuning,
  type KafkaConnection,
  type ProducerTuning,
} from './kafka-client-config.ts'
import { WorkerConfigError, type WorkerConfig } from './worker-config.ts'

type RawConfig = Readonly<Record<string, string>>

/**
 * The Kafka clients of one worker and its tasks, each as Kafka Connect configures it from the worker's keys and the
 * connector's overrides. The worker config was checked when it was read; a connector's overrides when it was created.
 * A value refused here anyway (a config stored before a policy change) is a ConfigError naming its key.
 */
const valueOf = <T>(result: ParseResult<T>): T => {
  if (result.ok) return result.value
  const [first] = result.problems
  // Not configErrorOf: it keeps the raw value on the error, and here that may be a password.
  throw new ConfigError(first?.key ?? '(config)', undefined, first?.reason ?? 'invalid', result.problems.map(({ message }) => message).join('\n'))
}

/** The worker's own connection: its internal topics and its admin. */
export const workerKafkaConnection = (config: WorkerConfig): KafkaConnection =>
  valueOf(parseKafkaConnection(clientProperties(config.raw, config['bootstrap.servers'], 'internal')))

/** The prefix the client's credentials were set under (`producer.override.`), so that refused ones name that key. */
const credentialsPrefix = (properties: ClientProperties, rolePrefix: string): string =>
  properties.get('sasl.jaas.config')?.sourceKey.slice(0, -'sasl.jaas.config'.length) ?? rolePrefix

export const producerSettings = (config: WorkerConfig, connectorRaw: RawConfig): { connection: KafkaConnection; tuning: ProducerTuning; keyPrefix: string } => {
  const properties = clientProperties(config.raw, config['bootstrap.servers'], 'producer', connectorRaw)
  return {
    connection: valueOf(parseKafkaConnection(properties, 'producer.')),
    tuning: valueOf(parseProducerTuning(properties)),
    keyPrefix: credentialsPrefix(properties, 'producer.'),
  }
}

export const consumerSettings = (config: WorkerConfig, connectorRaw: RawConfig): { connection: KafkaConnection; tuning: ConsumerTuning; keyPrefix: string } => {
  const properties = clientProperties(config.raw, config['bootstrap.servers'], 'consumer', connectorRaw)
  return {
    connection: valueOf(parseKafkaConnection(properties, 'consumer.')),
    tuning: valueOf(parseConsumerTuning(properties)),
    keyPrefix: credentialsPrefix(properties, 'consumer.'),
  }
}

export const adminConnection = (config: WorkerConfig, connectorRaw: RawConfig): KafkaConnection =>
  valueOf(parseKafkaConnection(clientProperties(config.raw, config['bootstrap.servers'], 'admin', connectorRaw), 'admin.'))

/** What `/config/validate` and connector creation need to check overrides against this worker. */
export const clientOverrideContext = (config: WorkerConfig): ClientOverrideContext => ({
  policy: config['connector.client.config.override.policy'],
  workerRaw: config.raw,
  bootstrapServers: config['bootstrap.servers'],
})

/**
 * `operation`, with a ConfigError (a CA file missing, credentials refused, a certificate not trusted) turned into the
 * WorkerConfigError that stops the worker at start with the key to fix, and no secret, in its message.
 */
export const asWorkerConfigErrors = async <T>(operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation()
  } catch (error) {
    if (error instanceof ConfigError) throw new WorkerConfigError([{ key: error.key, message: error.reason }])
    throw error
  }
}
