import { z } from 'zod'
import { booleanString, csvList, documented, intString, type ConfigProblem } from '../../src/plugin/config.ts'
import { configFileProblem } from '../../src/plugin/config-files.ts'
import { ConfigError } from '../../src/plugin/errors.ts'
import { parseServerUris } from './server-uri.ts'

const connection = { group: 'Connection' } as const

function rejectBadServerUris(uris: string[], context: z.RefinementCtx): void {
  try {
    parseServerUris('mqtt.server.uri', uris)
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof ConfigError ? `${String(error.rawValue)} ${error.reason}` : String(error) })
  }
}

/** How the source and the sink reach a broker: the keys they share, declared once. */
export const connectionKeys = {
  'mqtt.server.uri': documented(csvList().superRefine(rejectBadServerUris), {
    ...connection,
    description: 'MQTT brokers to connect to, comma-separated, tried in order: tcp://, ssl://, mqtt:// or mqtts:// URIs.',
    importance: 'high',
    type: 'LIST',
  }),
  'mqtt.username': documented(z.string().default(''), {
    ...connection,
    description: 'Username to connect with, or blank to connect without one.',
    importance: 'high',
  }),
  'mqtt.password': documented(z.string().default(''), {
    ...connection,
    description: 'Password to connect with, or blank to connect without one.',
    importance: 'high',
    type: 'PASSWORD',
  }),
  'mqtt.connect.timeout.seconds': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(30), {
    ...connection,
    description: 'How long to wait for the broker to accept a connection.',
    importance: 'low',
  }),
  'mqtt.keepalive.interval.seconds': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(60), {
    ...connection,
    description: 'Keep-alive interval agreed with the broker.',
    importance: 'low',
  }),
  'mqtt.reconnect.backoff.max.ms': documented(intString().pipe(z.number().min(100, 'must be at least 100')).default(30_000), {
    ...connection,
    description: 'Reconnect attempts start 1 s apart and back off, doubling with jitter, up to this delay. The task stays RUNNING meanwhile.',
    importance: 'low',
  }),
  'mqtt.ssl.ca.file': documented(z.string().default(''), {
    ...connection,
    description: 'PEM file of the CA certificates to trust for ssl:// and mqtts:// brokers; blank uses the system CAs.',
    importance: 'medium',
  }),
  'mqtt.ssl.cert.file': documented(z.string().default(''), {
    ...connection,
    description: 'PEM file of the client certificate for mutual TLS; needs mqtt.ssl.key.file.',
    importance: 'medium',
  }),
  'mqtt.ssl.key.file': documented(z.string().default(''), {
    ...connection,
    description: 'PEM file of the client private key for mutual TLS.',
    importance: 'medium',
    type: 'PASSWORD',
  }),
  'mqtt.ssl.verify.hostname': documented(booleanString().default(true), {
    ...connection,
    description: "Check that the broker's certificate names the host connected to. The certificate chain is always verified.",
    importance: 'low',
  }),
}

export type ConnectionConfig = { readonly [K in keyof typeof connectionKeys]: z.output<(typeof connectionKeys)[K]> }

const FILE_KEYS = ['mqtt.ssl.ca.file', 'mqtt.ssl.cert.file', 'mqtt.ssl.key.file'] as const

/**
 * Rules over several keys, and the files the config names, checked when the config is validated so that a bad one
 * is a 400 rather than a task that cannot start (or, for a FIFO, a worker that cannot do anything).
 */
export const connectionProblems = async (config: ConnectionConfig): Promise<ConfigProblem[]> => {
  const problems: ConfigProblem[] = []
  if ((config['mqtt.ssl.cert.file'] === '') !== (config['mqtt.ssl.key.file'] === '')) {
    problems.push({ key: 'mqtt.ssl.key.file', message: 'Invalid value for configuration mqtt.ssl.key.file: mqtt.ssl.cert.file and mqtt.ssl.key.file go together' })
  }
  // MQTT sends a password only after a user name (MQTT 3.1.1 section 3.1.2.9); MQTT.js would drop the connection silently.
  if (config['mqtt.password'] !== '' && config['mqtt.username'] === '') {
    problems.push({ key: 'mqtt.password', message: 'Invalid value [hidden] for configuration mqtt.password: a password needs mqtt.username as well' })
  }
  if (config['mqtt.username'].includes('\u0000')) {
    problems.push({
      key: 'mqtt.username',
      message: `Invalid value ${JSON.stringify(config['mqtt.username'])} for configuration mqtt.username: MQTT strings must not contain the character U+0000`,
    })
  }
  const fileChecks = FILE_KEYS.filter((key) => config[key] !== '').map((key) => configFileProblem(key, config[key], { pem: true }))
  for (const problem of await Promise.all(fileChecks)) if (problem !== null) problems.push({ key: problem.key, message: problem.message })
  return problems
}
