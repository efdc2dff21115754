import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { z } from 'zod'
import { booleanString, csvList, documented, intString, parseConfig, type ConfigProblem } from '../plugin/config.ts'
import { ConfigError, ConnectError, type ErrorCode } from '../plugin/errors.ts'
import { parseProperties } from './properties.ts'
import { configProvidersFrom, type ConfigProviders } from './config-providers.ts'
import { advertisedUrl, restListeners, restWorkerKeys, type ListenerSpec } from './rest-config.ts'
import { clusterWorkerKeys } from './cluster-config.ts'
import { kafkaSecurityWorkerKeys, workerKafkaClientProblems } from './kafka-client-config.ts'
import { parseClientOverridePolicy } from './client-overrides.ts'
import { LOGGER_LEVELS, parseLoggerLevel } from '../logging/levels.ts'

/** A log4j level name in any case, as `log.level`/`CONNECT_LOG_LEVEL` may spell it (`debug`, `DEBUG`). */
const logLevelString = () =>
  z
    .string()
    .transform((raw, context) => {
      const level = parseLoggerLevel(raw)
      if (level === null) context.addIssue({ code: 'custom', message: `must be one of ${LOGGER_LEVELS.join(', ')}` })
      return level ?? 'INFO'
    })

/** The worker's own keys, named and defaulted as Kafka Connect's distributed worker names them. */
export const workerConfigSchema = z.object({
  'bootstrap.servers': documented(csvList().default(['localhost:9092']), {
    description: 'Kafka brokers to bootstrap from, as host:port, comma-separated.',
    importance: 'high',
  }),
  ...kafkaSecurityWorkerKeys,
  'connector.client.config.override.policy': documented(
    z.string().default('All').refine((text) => parseClientOverridePolicy(text) !== undefined, { message: 'must be None, Principal or All' }).transform((text) => parseClientOverridePolicy(text) ?? 'All'),
    {
      description:
        'Which producer.override.*, consumer.override.* and admin.override.* keys a connector config may set: All (any), Principal ' +
        '(sasl.jaas.config, sasl.mechanism, security.protocol only) or None. Kafka Connect\'s class names are accepted too.',
      importance: 'medium',
    },
  ),
  'group.id': documented(z.string().min(1).default('connect-cluster'), {
    description: 'The Connect cluster this worker belongs to; it prefixes the consumer groups the worker uses.',
    importance: 'high',
  }),
  ...clusterWorkerKeys,
  ...restWorkerKeys,
  listeners: documented(csvList().optional(), {
    description:
      'REST listeners as http://host:port or https://host:port, comma-separated; every one is served. Overrides rest.host.name and rest.port. ' +
      'https listeners read listeners.https.ssl.* (PEM key store and trust store, ssl.client.auth), else the unprefixed ssl.* keys.',
    importance: 'low',
  }),
  'rest.host.name': documented(z.string().default('0.0.0.0'), { description: 'Interface the REST API binds to.', importance: 'low' }),
  'rest.port': documented(intString().pipe(z.number().min(0).max(65_535)).default(8083), {
    description: 'Port of the REST API.',
    importance: 'low',
  }),
  'rest.advertised.host.name': documented(z.string().optional(), {
    description: 'Host name this worker reports as its worker_id; defaults to the machine host name.',
    importance: 'low',
  }),
  'config.storage.topic': documented(z.string().min(1).default('connect-configs'), {
    description: 'Compacted topic holding connector and task configs and target states.',
    importance: 'high',
  }),
  'offset.storage.topic': documented(z.string().min(1).default('connect-offsets'), {
    description: 'Compacted topic holding source connector offsets.',
    importance: 'high',
  }),
  'status.storage.topic': documented(z.string().min(1).default('connect-status'), {
    description: 'Compacted topic holding connector and task statuses.',
    importance: 'high',
  }),
  'config.storage.replication.factor': documented(intString().default(-1), {
    description: 'Replication factor of the config topic when the worker creates it; -1 uses the broker default.',
    importance: 'low',
  }),
  'offset.storage.replication.factor': documented(intString().default(-1), {
    description: 'Replication factor of the offsets topic when the worker creates it; -1 uses the broker default.',
    importance: 'low',
  }),
  'status.storage.replication.factor': documented(intString().default(-1), {
    description: 'Replication factor of the status topic when the worker creates it; -1 uses the broker default.',
    importance: 'low',
  }),
  'offset.storage.partitions': documented(intString().pipe(z.number().min(1)).default(25), {
    description: 'Partitions of the offsets topic when the worker creates it.',
    importance: 'low',
  }),
  'status.storage.partitions': documented(intString().pipe(z.number().min(1)).default(5), {
    description: 'Partitions of the status topic when the worker creates it.',
    importance: 'low',
  }),
  'key.converter': documented(z.string().default('org.apache.kafka.connect.storage.StringConverter'), {
    description: 'Converter for record keys unless a connector overrides it. The MQTT source keys records by MQTT topic.',
    importance: 'high',
  }),
  'value.converter': documented(z.string().default('org.apache.kafka.connect.converters.ByteArrayConverter'), {
    description: 'Converter for record values unless a connector overrides it. The default keeps MQTT payloads byte for byte.',
    importance: 'high',
  }),
  'header.converter': documented(z.string().default('org.apache.kafka.connect.storage.SimpleHeaderConverter'), {
    description: 'Converter for record headers unless a connector overrides it.',
    importance: 'low',
  }),
  'plugin.path': documented(csvList().default([]), {
    description: 'Directories (or module files) holding user plugins: connectors, transforms, predicates, converters.',
    importance: 'low',
  }),
  'offset.flush.interval.ms': documented(intString().pipe(z.number().min(1)).default(60_000), {
    description: 'How often source offsets are written to the offsets topic.',
    importance: 'low',
  }),
  'offset.flush.timeout.ms': documented(intString().pipe(z.number().min(1)).default(5_000), {
    description: 'How long an offset flush may take before it is abandoned and retried at the next interval.',
    importance: 'low',
  }),
  'task.shutdown.graceful.timeout.ms': documented(intString().pipe(z.number().min(0)).default(5_000), {
    description: 'How long a task may take to stop before the worker gives up on it.',
    importance: 'low',
  }),
  'consumer.session.timeout.ms': documented(intString().pipe(z.number().min(1)).default(10_000), {
    description:
      "Session timeout of the sink tasks' consumer group members (Kafka's session.timeout.ms, under Kafka Connect's consumer. prefix). " +
      "It bounds how long a killed worker's partitions wait before another member takes them; the broker accepts 6 s to 30 min.",
    importance: 'low',
  }),
  'task.start.timeout.ms': documented(intString().pipe(z.number().min(1)).default(60_000), {
    description:
      'How long a task may take to start (connect to its MQTT broker and to Kafka) before it is marked FAILED and abandoned. ' +
      'Starting never holds up the REST API or other connectors.',
    importance: 'low',
  }),
  'topic.creation.enable': documented(booleanString().default(true), {
    description:
      'Whether source connectors may create the topics they write to with their topic.creation.* groups (KIP-158). ' +
      'A connector without topic.creation.* keys leaves its topics to the broker either way.',
    importance: 'low',
  }),
  'topic.tracking.enable': documented(booleanString().default(true), {
    description: 'Record the topics each connector uses in the status topic and serve them at /connectors/{name}/topics (KIP-558).',
    importance: 'low',
  }),
  'topic.tracking.allow.reset': documented(booleanString().default(true), {
    description: 'Allow PUT /connectors/{name}/topics/reset to clear the topics a connector used.',
    importance: 'low',
  }),
  'kafka.producer.client': documented(z.enum(['platformatic', 'kafkajs']).default('platformatic'), {
    description:
      'The Kafka client library behind source tasks\' and dead-letter queues\' producers: platformatic (@platformatic/kafka, ' +
      'about half the CPU per record) or kafkajs, which every other client of the worker uses. Both send with the same acks, ' +
      'order and partitioning.',
    importance: 'low',
  }),
  'log.level': documented(logLevelString().default('INFO'), {
    description:
      "Level of the root logger: TRACE, DEBUG, INFO, WARN or ERROR (log4j's names, any case; OFF silences it). " +
      'Named loggers can be changed at runtime through /admin/loggers.',
    importance: 'low',
  }),
  'log.format': documented(z.enum(['json', 'text']).optional(), {
    description: 'json writes one JSON object a line; text writes a line for people. Default: text when stderr is a terminal, json otherwise.',
    importance: 'low',
  }),
})

export type WorkerConfig = z.output<typeof workerConfigSchema> & {
  /** The original strings, kept so converter options such as `value.converter.schemas.enable` reach converters. */
  readonly raw: Readonly<Record<string, string>>
  readonly restHost: string
  readonly restPort: number
  readonly workerId: string
  /** Where other workers of the cluster send the requests they forward to this one. */
  readonly advertisedUrl: string
  /** Every server the REST API listens on, from `listeners` and `admin.listeners`. */
  readonly restListeners: readonly ListenerSpec[]
  /** `config.providers`, which resolve `${provider:path:key}` placeholders of connector configs as tasks start. */
  readonly configProviders: ConfigProviders
  /** What the worker config's own placeholders resolved to: hidden wherever the worker's words go. */
  readonly secrets: readonly string[]
}

export class WorkerConfigError extends ConnectError {
  override readonly code: ErrorCode = 'WORKER_CONFIG_INVALID'

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid worker configuration:\n${problems.map(({ key, message }) => `  ${key}: ${message}`).join('\n')}`)
  }
}

/** Keys from a `.properties` or `.json` file, then `CONNECT_*` environment variables (the Confluent image's convention). */
export const loadWorkerConfig = async (file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<WorkerConfig> => {
  const fromFile = file === undefined ? {} : await readConfigFile(file)
  return resolveWorkerConfig({ ...fromFile, ...fromEnvironment(env) })
}

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]'])

/** Kafka Connect's worker id: the advertised host and port, the port written even when it is the scheme's default. */
const workerIdOf = (url: string): string => {
  const { hostname, port, protocol } = new URL(url)
  return `${hostname}:${port || (protocol === 'https:' ? 443 : 80)}`
}

export const resolveWorkerConfig = (written: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): WorkerConfig => {
  const { raw, configProviders, secrets } = withPlaceholdersResolved(written, env)
  const parsed = parseConfig(workerConfigSchema, raw)
  if (!parsed.ok) throw new WorkerConfigError(parsed.problems)
  const config = parsed.value
  const clientProblems = workerKafkaClientProblems(raw, config['bootstrap.servers'])
  if (clientProblems.length > 0) throw new WorkerConfigError(clientProblems)
  const listeners = restListeners(raw, { host: config['rest.host.name'], port: config['rest.port'] })
  if (listeners.problems.length > 0) throw new WorkerConfigError(listeners.problems)
  const listener = config.listeners?.[0] === undefined ? undefined : new URL(config.listeners[0])
  const restHost = listener ? listener.hostname || '0.0.0.0' : config['rest.host.name']
  const restPort = listener ? Number(listener.port || 8083) : config['rest.port']
  // As Kafka Connect: the listener's host when it names one, else the machine's name.
  const advertisedHost = config['rest.advertised.host.name'] ?? (WILDCARD_HOSTS.has(restHost) ? hostname() : restHost)
  const advertised = advertisedUrl(listeners.listeners, { listener: config['rest.advertised.listener'], host: advertisedHost, port: config['rest.advertised.port'] })
  return {
    ...config,
    raw,
    restHost,
    restPort,
    workerId: workerIdOf(advertised),
    advertisedUrl: advertised,
    restListeners: listeners.listeners,
    configProviders,
    secrets,
  }
}

/**
 * The worker config's own placeholders, resolved by the providers it declares, as Kafka Connect's WorkerConfig does:
 * `config.providers.*` keys themselves are taken as written.
 */
const withPlaceholdersResolved = (written: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv) => {
  let configProviders: ConfigProviders
  try {
    configProviders = configProvidersFrom(written, env)
  } catch (error) {
    if (error instanceof ConfigError) throw new WorkerConfigError([{ key: error.key, message: error.message }])
    throw error
  }
  const ownKeys = Object.fromEntries(Object.entries(written).filter(([key]) => key.startsWith('config.providers')))
  const others = Object.fromEntries(Object.entries(written).filter(([key]) => !key.startsWith('config.providers')))
  const checked = configProviders.check(others)
  if (checked.resolved === null) throw new WorkerConfigError(checked.problems)
  return { raw: { ...ownKeys, ...checked.resolved.values }, configProviders, secrets: checked.resolved.secrets }
}

const readConfigFile = async (file: string): Promise<Record<string, string>> => {
  const text = await readFile(file, 'utf8')
  if (!file.endsWith('.json')) return parseProperties(text)
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object`)
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]))
}

/** `CONNECT_BOOTSTRAP_SERVERS` → `bootstrap.servers`. */
const fromEnvironment = (env: NodeJS.ProcessEnv): Record<string, string> => {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('CONNECT_') && value !== undefined) result[name.slice('CONNECT_'.length).toLowerCase().replaceAll('_', '.')] = value
  }
  return result
}
