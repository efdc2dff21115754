import { z } from 'zod'
import { csvList, documented, type ConfigProblem } from '../plugin/config.ts'
import { PEM_CONVERSION_ADVICE, type PemSource } from './kafka-client-config.ts'

/**
 * The REST server's keys as Kafka Connect's RestServerConfig names them: listeners, their TLS, the admin listeners,
 * CORS and the REST extensions (authentication). Pure: files are named here and read when the server starts.
 */

const rest = (description: string) => ({ description, importance: 'low' as const, group: 'REST' })

export const BASIC_AUTH_EXTENSION = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension'

export const restWorkerKeys = {
  'admin.listeners': documented(z.string().optional(), {
    ...rest(
      'Listeners that serve the /admin endpoints, as http:// or https:// URLs, comma-separated. Unset: /admin is served on the REST listeners; ' +
        'empty: /admin is served nowhere. TLS keys for these take the admin.listeners.https. prefix.',
    ),
  }),
  'rest.extension.classes': documented(csvList().default([]), {
    ...rest(
      `REST extensions, comma-separated: ${BASIC_AUTH_EXTENSION} (HTTP basic auth from the JAAS file of java.security.auth.login.config), ` +
        'or the class name of an extension a plugin.path module exports. An unknown name stops the worker.',
    ),
  }),
  'java.security.auth.login.config': documented(z.string().optional(), {
    ...rest(
      'The JAAS file of the basic auth extension (a KafkaConnect section with PropertyFileLoginModule and file="users.properties"). ' +
        'Also read from -Djava.security.auth.login.config=... in KAFKA_OPTS, as the Kafka Connect scripts take it.',
    ),
  }),
  'rest.basic.auth.credentials.file': documented(z.string().optional(), {
    ...rest(
      'A file of user:scrypt:N:r:p:salt:hash lines (mqtt-kafka-connect hash-password writes one): HTTP basic auth with hashed passwords, ' +
        'instead of or beside the JAAS extension.',
    ),
  }),
  'rest.basic.auth.realm': documented(z.string().min(1).default('Kafka Connect'), {
    ...rest('The realm named in the WWW-Authenticate header of a 401.'),
  }),
  'access.control.allow.origin': documented(z.string().default(''), {
    ...rest('Value of Access-Control-Allow-Origin for cross-origin requests: an origin, a comma-separated list, or *. Empty: no CORS headers.'),
  }),
  'access.control.allow.methods': documented(z.string().default(''), {
    ...rest('Methods allowed cross-origin, comma-separated (Access-Control-Allow-Methods). Empty: GET, POST and HEAD, as Jetty allows.'),
  }),
  'config.providers': documented(csvList().default([]), {
    description:
      'Config providers, comma-separated names, each with config.providers.<name>.class: org.apache.kafka.common.config.provider.FileConfigProvider, ' +
      'DirectoryConfigProvider or EnvVarConfigProvider; then ${<name>:path:key} in worker and connector configs is resolved as tasks start. ' +
      'Parameters: config.providers.<name>.param.allowed.paths (file, dir) and config.providers.<name>.param.allowlist.pattern (env).',
    importance: 'low',
  }),
}

/** The REST TLS keys this worker reads, under `listeners.https.` (or unprefixed), as Kafka's SslConfigs names them. */
export const REST_SSL_KEYS = [
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.client.auth',
] as const

export type ClientAuth = 'none' | 'requested' | 'required'

export interface RestTls {
  readonly certificateChain: PemSource
  readonly privateKey: PemSource
  readonly keyPassword: string | null
  /** CAs that client certificates must chain to; null trusts the system's CAs. */
  readonly trustedCertificates: PemSource | null
  readonly clientAuth: ClientAuth
}

export interface ListenerSpec {
  /** As configured, for logs and errors. */
  readonly url: string
  readonly protocol: 'http' | 'https'
  readonly host: string
  readonly port: number
  /** Set for https listeners. */
  readonly tls: RestTls | null
  /** Whether this listener serves /admin. */
  readonly admin: boolean
  /** Whether this listener serves everything but /admin. */
  readonly api: boolean
}

type RawConfig = Readonly<Record<string, string>>

/**
 * The servers the REST API listens on: `listeners` (else `rest.host.name`/`rest.port`), plus the `admin.listeners`
 * that are not also REST listeners. Every problem at once, each naming its key.
 */
export const restListeners = (
  raw: RawConfig,
  fallback: { readonly host: string; readonly port: number },
): { readonly listeners: readonly ListenerSpec[]; readonly problems: readonly ConfigProblem[] } => {
  const problems: ConfigProblem[] = []
  const listed = splitList(raw.listeners)
  const adminListed = raw['admin.listeners'] === undefined ? null : splitList(raw['admin.listeners'])
  const fromRestKeys = { url: `http://${fallback.host}:${fallback.port}`, protocol: 'http' as const, ...fallback, tls: null, api: true, admin: adminListed === null }
  const api: ListenerSpec[] = listed.length === 0 ? [fromRestKeys] : listed.flatMap((url) => {
    const parsed = parseListener('listeners', url, problems)
    if (parsed === null) return []
    const tls = parsed.protocol === 'https' ? restTls(raw, 'listeners.https.', problems) : null
    return [{ ...parsed, tls, api: true, admin: adminListed === null }]
  })
  const listeners: ListenerSpec[] = [...api]
  for (const url of adminListed ?? []) {
    const parsed = parseListener('admin.listeners', url, problems)
    if (parsed === null) continue
    // An admin listener that is also a REST listener serves both.
    const shared = listeners.findIndex((listener) => listener.host === parsed.host && listener.port === parsed.port)
    if (shared < 0) {
      listeners.push({ ...parsed, tls: parsed.protocol === 'https' ? restTls(raw, 'admin.listeners.https.', problems) : null, api: false, admin: true })
    } else if (listeners[shared]!.protocol !== parsed.protocol) {
      problems.push(problem('admin.listeners', url, `is ${listeners[shared]!.url} of listeners with another scheme`))
    } else {
      listeners[shared] = { ...listeners[shared]!, admin: true }
    }
  }
  return { listeners, problems }
}

const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

const parseListener = (key: string, url: string, problems: ConfigProblem[]): Omit<ListenerSpec, 'tls' | 'api' | 'admin'> | null => {
  const match = /^(https?):\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?\/?$/i.exec(url)
  if (match === null) {
    problems.push(problem(key, url, 'must be http://host:port or https://host:port (an empty host binds every interface)'))
    return null
  }
  const protocol = match[1]!.toLowerCase() as 'http' | 'https'
  const port = match[3] === undefined ? 8083 : Number(match[3])
  if (port > 65_535) {
    problems.push(problem(key, url, `port ${port} is out of range`))
    return null
  }
  const host = match[2]!.replace(/^\[|\]$/g, '')
  return { url, protocol, host: host === '' ? '0.0.0.0' : host, port }
}

/**
 * Kafka Connect's rule for the listener's TLS keys: if any key starts with `prefix`, those keys alone are used,
 * else the unprefixed `ssl.*` keys (SslFactory's valuesWithPrefixAllOrNothing).
 */
const restTls = (raw: RawConfig, prefix: string, problems: ConfigProblem[]): RestTls | null => {
  const prefixed = Object.keys(raw).some((key) => key.startsWith(prefix))
  const keyOf = (name: string) => (prefixed ? `${prefix}${name}` : name)
  const value = (name: string): string | undefined => {
    const found = raw[keyOf(name)]
    return found === undefined || found.trim() === '' ? undefined : found
  }
  const before = problems.length
  for (const storeKey of ['ssl.keystore.type', 'ssl.truststore.type']) {
    const type = (value(storeKey) ?? 'PEM').trim().toUpperCase()
    if (type === 'JKS' || type === 'PKCS12') problems.push(problem(keyOf(storeKey), type, `${type} is not supported: ${PEM_CONVERSION_ADVICE}`))
    else if (type !== 'PEM') problems.push(problem(keyOf(storeKey), type, `must be PEM (${PEM_CONVERSION_ADVICE})`))
  }
  const location = value('ssl.keystore.location')
  const chain = value('ssl.keystore.certificate.chain')
  const key = value('ssl.keystore.key')
  let certificateChain: PemSource | null = null
  let privateKey: PemSource | null = null
  if (location !== undefined && (chain !== undefined || key !== undefined)) {
    problems.push(problem(keyOf('ssl.keystore.location'), location, 'cannot be set together with ssl.keystore.certificate.chain and ssl.keystore.key; set one or the other'))
  } else if (location !== undefined) {
    // A PEM key store file holds the private key and the certificate chain together, as Kafka's PEM stores do.
    certificateChain = { key: keyOf('ssl.keystore.location'), path: location }
    privateKey = certificateChain
  } else if (chain !== undefined && key !== undefined) {
    certificateChain = { key: keyOf('ssl.keystore.certificate.chain'), pem: chain }
    privateKey = { key: keyOf('ssl.keystore.key'), pem: key }
  } else {
    const missing = chain === undefined && key === undefined ? 'ssl.keystore.location' : chain === undefined ? 'ssl.keystore.certificate.chain' : 'ssl.keystore.key'
    problems.push({
      key: keyOf(missing),
      message: `Missing required configuration "${keyOf(missing)}": an https listener needs a key store (ssl.keystore.location, or ssl.keystore.certificate.chain with ssl.keystore.key)`,
    })
  }
  const truststoreLocation = value('ssl.truststore.location')
  const truststoreCertificates = value('ssl.truststore.certificates')
  let trustedCertificates: PemSource | null = null
  if (truststoreLocation !== undefined && truststoreCertificates !== undefined) {
    problems.push(problem(keyOf('ssl.truststore.certificates'), '[hidden]', 'cannot be set together with ssl.truststore.location; set one of them'))
  } else if (truststoreCertificates !== undefined) {
    trustedCertificates = { key: keyOf('ssl.truststore.certificates'), pem: truststoreCertificates }
  } else if (truststoreLocation !== undefined) {
    trustedCertificates = { key: keyOf('ssl.truststore.location'), path: truststoreLocation }
  }
  const clientAuth = (value('ssl.client.auth') ?? 'none').trim().toLowerCase()
  if (clientAuth !== 'none' && clientAuth !== 'requested' && clientAuth !== 'required') {
    problems.push(problem(keyOf('ssl.client.auth'), clientAuth, 'must be none, requested or required'))
  }
  if (problems.length > before || certificateChain === null || privateKey === null) return null
  return {
    certificateChain,
    privateKey,
    keyPassword: value('ssl.key.password') ?? value('ssl.keystore.password') ?? null,
    trustedCertificates,
    clientAuth: clientAuth as ClientAuth,
  }
}

/**
 * The URL other workers forward requests to, as Kafka Connect's RestServer.advertisedUrl builds it: the listener of
 * scheme `rest.advertised.listener` (else the first REST listener), with `rest.advertised.host.name` and
 * `rest.advertised.port` in place of its own host and port when set.
 */
export const advertisedUrl = (
  listeners: readonly ListenerSpec[],
  advertised: { readonly listener?: 'http' | 'https'; readonly host: string; readonly port?: number },
): string => {
  const served = listeners.filter(({ api }) => api)
  const chosen = served.find(({ protocol }) => protocol === advertised.listener) ?? served[0]
  const protocol = advertised.listener ?? chosen?.protocol ?? 'http'
  const port = advertised.port ?? chosen?.port ?? 8083
  return `${protocol}://${advertised.host.includes(':') ? `[${advertised.host}]` : advertised.host}:${port}`
}

const problem = (key: string, value: string, reason: string): ConfigProblem => ({ key, message: `Invalid value ${value} for configuration ${key}: ${reason}`, reason })

/** `-Djava.security.auth.login.config=/path` in a JVM options variable, as Kafka's scripts pass it. */
export const jaasFileFromJvmOptions = (options: string | undefined): string | undefined => {
  const match = /(?:^|\s)-Djava\.security\.auth\.login\.config=("[^"]*"|'[^']*'|\S+)/.exec(options ?? '')
  return match === null ? undefined : match[1]!.replace(/^["']|["']$/g, '')
}
