import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { z } from 'zod'
import { csvList, documented, intString, parseConfig, type ConfigProblem } from '../plugin/config.ts'
import { ConnectError, type ErrorCode } from '../plugin/errors.ts'
import { parseProperties } from './properties.ts'

/** The worker's own keys, named and defaulted as Kafka Connect's distributed worker names them. */
export const workerConfigSchema = z.object({
  'bootstrap.servers': documented(csvList().default(['localhost:9092']), {
    description: 'Kafka brokers to bootstrap from, as host:port, comma-separated.',
    importance: 'high',
  }),
  'group.id': documented(z.string().min(1).default('connect-cluster'), {
    description: 'The Connect cluster this worker belongs to; it prefixes the consumer groups the worker uses.',
    importance: 'high',
  }),
  listeners: documented(csvList().optional(), {
    description: 'REST listeners as http://host:port; the first is used. Overrides rest.host.name and rest.port.',
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
  'log.level': documented(z.enum(['info', 'warn', 'error']).default('info'), {
    description: 'Least severe log level written to stderr.',
    importance: 'low',
  }),
})

export type WorkerConfig = z.output<typeof workerConfigSchema> & {
  /** The original strings, kept so converter options such as `value.converter.schemas.enable` reach converters. */
  readonly raw: Readonly<Record<string, string>>
  readonly restHost: string
  readonly restPort: number
  readonly workerId: string
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

export const resolveWorkerConfig = (raw: Readonly<Record<string, string>>): WorkerConfig => {
  const parsed = parseConfig(workerConfigSchema, raw)
  if (!parsed.ok) throw new WorkerConfigError(parsed.problems)
  const config = parsed.value
  const listener = config.listeners?.[0] === undefined ? undefined : new URL(config.listeners[0])
  const restHost = listener ? listener.hostname || '0.0.0.0' : config['rest.host.name']
  const restPort = listener ? Number(listener.port || 8083) : config['rest.port']
  const advertisedHost = config['rest.advertised.host.name'] ?? hostname()
  return { ...config, raw, restHost, restPort, workerId: `${advertisedHost}:${restPort}` }
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
