import { z } from 'zod'
import { documented, type ConfigProblem, type ParseResult } from '../plugin/config.ts'

/**
 * The Kafka client keys of a worker or connector config, read as Kafka's Java clients read them, into what a Kafka
 * client needs to connect: where (bootstrap servers), over what (TLS settings), as whom (SASL credentials), plus the
 * few producer and consumer settings the worker's client can honour. Pure: files are named here, read in src/kafka/.
 * A problem names the key as the user wrote it (`producer.override.sasl.jaas.config`) and never shows a secret.
 */

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number]

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type SaslMechanism = (typeof SASL_MECHANISMS)[number]

/** PEM text, either in a file a key names or inline in the key itself; `key` is the key it came from, for errors. */
export type PemSource = { readonly key: string; readonly path: string } | { readonly key: string; readonly pem: string }

export interface TlsSettings {
  /** The CAs to trust; `null` trusts the system's CAs, as the Java client trusts the JVM's. */
  readonly trustedCertificates: PemSource | null
  /** A client certificate chain and its key, for brokers that require mutual TLS; both or neither. */
  readonly clientCertificate: { readonly chain: PemSource; readonly key: PemSource; readonly keyPassword: string | null } | null
  /** `ssl.endpoint.identification.algorithm=https` (the default): the broker's name must match its certificate. */
  readonly verifyHostname: boolean
}

export interface SaslCredentials {
  readonly mechanism: SaslMechanism
  readonly username: string
  readonly password: string
}

export interface KafkaConnection {
  readonly bootstrapServers: readonly string[]
  readonly securityProtocol: SecurityProtocol
  readonly tls: TlsSettings | null
  readonly sasl: SaslCredentials | null
}

/** Producer settings the worker's client honours; every other producer key is accepted and ignored. */
export interface ProducerTuning {
  /** -1 is `all`. */
  readonly acks: -1 | 0 | 1
  readonly compression: 'none' | 'gzip'
}

/** Consumer settings the worker's client honours; every other consumer key is accepted and ignored. */
export interface ConsumerTuning {
  readonly sessionTimeoutMs?: number
  readonly fetchMaxWaitMs?: number
  readonly fetchMaxBytes?: number
  readonly maxPartitionFetchBytes?: number
}

export type ClientRole = 'producer' | 'consumer' | 'admin'

/** One client's properties, each with the key the user set it under, so that a problem names that key. */
export type ClientProperties = ReadonlyMap<string, { readonly value: string; readonly sourceKey: string }>

type RawConfig = Readonly<Record<string, string>>

/** The keys of Kafka's client configs this module reads; what the worker config's unknown-key check must know. */
export const KAFKA_CONNECTION_KEYS = [
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.truststore.password',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
] as const

/** Keys whose values are secrets: shown as `[hidden]` wherever a value would be shown, as Kafka shows PASSWORD keys. */
export const KAFKA_PASSWORD_KEYS: ReadonlySet<string> = new Set([
  'sasl.jaas.config',
  'ssl.truststore.password',
  'ssl.keystore.password',
  'ssl.keystore.key',
  'ssl.key.password',
])

export const CLIENT_OVERRIDE_PREFIXES: Readonly<Record<ClientRole, string>> = {
  producer: 'producer.override.',
  consumer: 'consumer.override.',
  admin: 'admin.override.',
}

/**
 * Worker keys that configure Kafka clients rather than the worker itself: the connection keys above, and anything
 * under `producer.`, `consumer.` or `admin.`, which Kafka Connect hands to those clients unread.
 */
export const isKafkaClientWorkerKey = (key: string): boolean =>
  (KAFKA_CONNECTION_KEYS as readonly string[]).includes(key) || key.startsWith('producer.') || key.startsWith('consumer.') || key.startsWith('admin.')

/**
 * A client's properties as Kafka Connect builds them (Worker.producerConfigs, consumerConfigs, adminConfigs): the
 * worker's bootstrap servers, then the worker's `producer.`/`consumer.` keys for connector producers and consumers, or
 * its top-level keys and then `admin.` keys for admin clients; last, the connector's `*.override.` keys.
 * `internal` is what the worker's own clients (internal topics, its admin) use: the worker's top-level keys.
 */
export const clientProperties = (workerRaw: RawConfig, bootstrapServers: readonly string[], role: ClientRole | 'internal', connectorRaw?: RawConfig): ClientProperties => {
  const properties = new Map<string, { value: string; sourceKey: string }>()
  properties.set('bootstrap.servers', { value: bootstrapServers.join(','), sourceKey: 'bootstrap.servers' })
  const add = (raw: RawConfig, prefix: string, keep: (key: string) => boolean = () => true): void => {
    for (const [key, value] of Object.entries(raw)) {
      if (key.startsWith(prefix) && keep(key)) properties.set(key.slice(prefix.length), { value, sourceKey: key })
    }
  }
  if (role === 'internal' || role === 'admin') add(workerRaw, '', (key) => !/^(producer|consumer|admin)\./.test(key) && key !== 'bootstrap.servers')
  if (role !== 'internal') add(workerRaw, `${role}.`)
  if (role !== 'internal' && connectorRaw !== undefined) add(connectorRaw, CLIENT_OVERRIDE_PREFIXES[role])
  return properties
}

const CONVERT_TO_PEM =
  'this worker reads PEM only. Convert a JKS or PKCS12 store with ' +
  '`keytool -importkeystore -srckeystore x.jks -destkeystore x.p12 -deststoretype PKCS12` then ' +
  '`openssl pkcs12 -in x.p12 -out x.pem -nodes`, and set the type to PEM'

/** Reads the connection keys of one client's properties; every problem at once, each naming its key. */
export const parseKafkaConnection = (
  properties: ClientProperties,
  /** What a missing key is named under: `producer.` for a worker's source producers. */
  keyPrefix = '',
): ParseResult<KafkaConnection> => {
  const problems: ConfigProblem[] = []
  const reader = propertyReader(properties, problems, keyPrefix)

  const bootstrapServers = (reader.value('bootstrap.servers') ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '')
  if (bootstrapServers.length === 0) reader.problem('bootstrap.servers', 'must name at least one host:port')

  const protocolText = (reader.value('security.protocol') ?? 'PLAINTEXT').trim().toUpperCase()
  const securityProtocol = SECURITY_PROTOCOLS.find((protocol) => protocol === protocolText)
  if (securityProtocol === undefined) reader.problem('security.protocol', `must be one of ${SECURITY_PROTOCOLS.join(', ')}`)
  const usesTls = securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL'
  const usesSasl = securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL'

  const tls = usesTls ? parseTls(reader) : null
  const sasl = usesSasl ? parseSasl(reader) : null
  if (problems.length > 0 || securityProtocol === undefined) return { ok: false, problems }
  return { ok: true, value: { bootstrapServers, securityProtocol, tls, sasl } }
}

const parseTls = (reader: PropertyReader): TlsSettings | null => {
  const algorithm = (reader.value('ssl.endpoint.identification.algorithm') ?? 'https').trim().toLowerCase()
  if (algorithm !== 'https' && algorithm !== '') reader.problem('ssl.endpoint.identification.algorithm', 'must be https (verify the broker host name) or empty (do not)')

  const truststoreType = storeType(reader, 'ssl.truststore.type')
  const truststoreLocation = reader.value('ssl.truststore.location')
  const truststoreCertificates = reader.value('ssl.truststore.certificates')
  let trustedCertificates: PemSource | null = null
  if (truststoreLocation !== undefined && truststoreCertificates !== undefined) {
    reader.problem('ssl.truststore.certificates', 'cannot be set together with ssl.truststore.location; set one of them')
  } else if (truststoreCertificates !== undefined) {
    trustedCertificates = { key: reader.sourceKey('ssl.truststore.certificates'), pem: truststoreCertificates }
  } else if (truststoreLocation !== undefined && truststoreType !== null) {
    trustedCertificates = { key: reader.sourceKey('ssl.truststore.location'), path: truststoreLocation }
  }

  const keystoreType = storeType(reader, 'ssl.keystore.type')
  const keystoreLocation = reader.value('ssl.keystore.location')
  const chain = reader.value('ssl.keystore.certificate.chain')
  const key = reader.value('ssl.keystore.key')
  const keyPassword = reader.value('ssl.key.password') ?? null
  let clientCertificate: TlsSettings['clientCertificate'] = null
  if (keystoreLocation !== undefined && (chain !== undefined || key !== undefined)) {
    reader.problem('ssl.keystore.location', 'cannot be set together with ssl.keystore.certificate.chain and ssl.keystore.key; set one or the other')
  } else if (keystoreLocation !== undefined) {
    // A PEM key store file holds the private key and the certificate chain together, as Kafka's PEM stores do.
    const file = { key: reader.sourceKey('ssl.keystore.location'), path: keystoreLocation }
    if (keystoreType !== null) clientCertificate = { chain: file, key: file, keyPassword }
  } else if (chain !== undefined && key !== undefined) {
    clientCertificate = {
      chain: { key: reader.sourceKey('ssl.keystore.certificate.chain'), pem: chain },
      key: { key: reader.sourceKey('ssl.keystore.key'), pem: key },
      keyPassword,
    }
  } else if (chain !== undefined || key !== undefined) {
    reader.problem(chain === undefined ? 'ssl.keystore.key' : 'ssl.keystore.certificate.chain', 'needs ssl.keystore.certificate.chain and ssl.keystore.key together')
  }
  return { trustedCertificates, clientCertificate, verifyHostname: algorithm === 'https' }
}

/**
 * A store type this worker can read, or `null` after reporting one it cannot. An unset type reads as PEM: a file that
 * turns out not to be PEM is refused when it is read, with the same advice to convert it.
 */
const storeType = (reader: PropertyReader, key: string): 'PEM' | null => {
  const type = (reader.value(key) ?? 'PEM').trim().toUpperCase()
  if (type === 'PEM') return 'PEM'
  if (type === 'JKS' || type === 'PKCS12') reader.problem(key, `${type} is not supported: ${CONVERT_TO_PEM}`)
  else reader.problem(key, `must be PEM (JKS and PKCS12 stores must be converted: ${CONVERT_TO_PEM})`)
  return null
}

export const PEM_CONVERSION_ADVICE = CONVERT_TO_PEM

const LOGIN_MODULES: Readonly<Record<string, 'PLAIN' | 'SCRAM'>> = {
  'org.apache.kafka.common.security.plain.PlainLoginModule': 'PLAIN',
  'org.apache.kafka.common.security.scram.ScramLoginModule': 'SCRAM',
}

const parseSasl = (reader: PropertyReader): SaslCredentials | null => {
  const mechanismText = reader.value('sasl.mechanism')?.trim().toUpperCase()
  let mechanism: SaslMechanism | undefined
  if (mechanismText === undefined || mechanismText === 'GSSAPI') {
    reader.problem('sasl.mechanism', `${mechanismText === undefined ? 'is unset, and Kafka\'s default, ' : ''}GSSAPI (Kerberos) is not supported: set PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`)
  } else if (mechanismText === 'OAUTHBEARER') {
    reader.problem('sasl.mechanism', 'OAUTHBEARER is not supported by this worker yet: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512')
  } else {
    mechanism = SASL_MECHANISMS.find((known) => known === mechanismText)
    if (mechanism === undefined) reader.problem('sasl.mechanism', `must be one of ${SASL_MECHANISMS.join(', ')}`)
  }
  const jaas = reader.value('sasl.jaas.config')
  if (jaas === undefined) {
    reader.problem('sasl.jaas.config', 'is required with a SASL security.protocol: set it to a PlainLoginModule or ScramLoginModule entry')
    return null
  }
  const parsed = parseJaasConfig(jaas)
  if ('problem' in parsed) {
    reader.problem('sasl.jaas.config', parsed.problem)
    return null
  }
  const kind = LOGIN_MODULES[parsed.loginModule]
  if (kind === undefined) {
    reader.problem('sasl.jaas.config', `login module ${parsed.loginModule} is not supported: use ${Object.keys(LOGIN_MODULES).join(' or ')}`)
    return null
  }
  const { username, password } = parsed.options
  if (username === undefined || password === undefined) {
    reader.problem('sasl.jaas.config', 'must set username="..." and password="..."')
    return null
  }
  if (mechanism === undefined) return null
  if ((kind === 'PLAIN') !== (mechanism === 'PLAIN')) {
    reader.problem('sasl.jaas.config', `${parsed.loginModule.split('.').pop()} does not match sasl.mechanism ${mechanism}`)
    return null
  }
  return { mechanism, username, password }
}

export interface JaasEntry {
  readonly loginModule: string
  readonly options: Readonly<Record<string, string>>
}

/**
 * Kafka's `sasl.jaas.config` form: `<LoginModule class> <flag> key="value" ... ;`, values quoted (with `\"` and
 * `\\` escapes) or bare words, exactly one entry. A problem describes the shape, never the text, which holds a secret.
 */
export const parseJaasConfig = (text: string): JaasEntry | { readonly problem: string } => {
  const tokens = jaasTokens(text)
  if (tokens === null) return { problem: 'has an unterminated quoted value' }
  const [loginModule, flag, ...rest] = tokens
  if (loginModule === undefined || loginModule.quoted || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(loginModule.text)) {
    return { problem: 'must start with a login module class name, e.g. org.apache.kafka.common.security.plain.PlainLoginModule' }
  }
  if (flag === undefined || flag.quoted || !['required', 'requisite', 'sufficient', 'optional'].includes(flag.text.toLowerCase())) {
    return { problem: `must have a control flag (required) after ${loginModule.text}` }
  }
  const options: Record<string, string> = {}
  let index = 0
  for (; index < rest.length; index += 3) {
    const [name, equals, value] = [rest[index], rest[index + 1], rest[index + 2]]
    if (name?.quoted === false && name.text === ';') break
    if (name === undefined || name.quoted || equals?.text !== '=' || equals.quoted || value === undefined || (!value.quoted && value.text === ';')) {
      return { problem: 'must be options of the form name="value" after the control flag, ending with ;' }
    }
    options[name.text] = value.text
  }
  const end = rest[index]
  if (end === undefined || end.quoted || end.text !== ';') return { problem: 'must end with ;' }
  if (index + 1 < rest.length) return { problem: 'must hold exactly one login module entry' }
  return { loginModule: loginModule.text, options }
}

interface JaasToken {
  readonly text: string
  readonly quoted: boolean
}

const jaasTokens = (text: string): JaasToken[] | null => {
  const tokens: JaasToken[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (/\s/.test(char)) {
      i++
    } else if (char === '=' || char === ';') {
      tokens.push({ text: char, quoted: false })
      i++
    } else if (char === '"') {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) return null
        const next = text[i]!
        if (next === '"') break
        if (next === '\\' && i + 1 < text.length) {
          value += text[i + 1]
          i += 2
        } else {
          value += next
          i++
        }
      }
      tokens.push({ text: value, quoted: true })
      i++
    } else {
      let word = ''
      while (i < text.length && !/[\s=;"]/.test(text[i]!)) word += text[i++]
      tokens.push({ text: word, quoted: false })
    }
  }
  return tokens
}

/** Reads the producer keys this worker honours: `acks` and `compression.type`. */
export const parseProducerTuning = (properties: ClientProperties): ParseResult<ProducerTuning> => {
  const problems: ConfigProblem[] = []
  const reader = propertyReader(properties, problems)
  const acksText = (reader.value('acks') ?? 'all').trim().toLowerCase()
  const acks = ({ all: -1, '-1': -1, '0': 0, '1': 1 } as const)[acksText as 'all']
  if (acks === undefined) reader.problem('acks', 'must be all, -1, 0 or 1')
  const compressionText = (reader.value('compression.type') ?? 'none').trim().toLowerCase()
  const compression = compressionText === 'none' || compressionText === 'gzip' ? compressionText : undefined
  if (compression === undefined) {
    reader.problem(
      'compression.type',
      ['snappy', 'lz4', 'zstd'].includes(compressionText) ? `${compressionText} is not supported by this worker's Kafka client: use none or gzip` : 'must be none or gzip',
    )
  }
  if (acks === undefined || compression === undefined) return { ok: false, problems }
  return { ok: true, value: { acks, compression } }
}

/** Reads the consumer keys this worker honours: the session timeout and fetch sizes. */
export const parseConsumerTuning = (properties: ClientProperties): ParseResult<ConsumerTuning> => {
  const problems: ConfigProblem[] = []
  const reader = propertyReader(properties, problems)
  const tuning: { -readonly [K in keyof ConsumerTuning]: ConsumerTuning[K] } = {}
  const numbers = [
    ['session.timeout.ms', 'sessionTimeoutMs'],
    ['fetch.max.wait.ms', 'fetchMaxWaitMs'],
    ['fetch.max.bytes', 'fetchMaxBytes'],
    ['max.partition.fetch.bytes', 'maxPartitionFetchBytes'],
  ] as const
  for (const [key, field] of numbers) {
    const text = reader.value(key)
    if (text === undefined) continue
    if (!/^\d+$/.test(text.trim()) || Number(text) < 1) reader.problem(key, 'must be a positive whole number')
    else tuning[field] = Number(text)
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: tuning }
}

/** Client keys this worker honours; a client key outside this list is accepted and ignored, and the README says so. */
export const HONOURED_CLIENT_KEYS: Readonly<Record<ClientRole, readonly string[]>> = {
  producer: ['bootstrap.servers', ...KAFKA_CONNECTION_KEYS, 'acks', 'compression.type'],
  consumer: ['bootstrap.servers', ...KAFKA_CONNECTION_KEYS, 'session.timeout.ms', 'fetch.max.wait.ms', 'fetch.max.bytes', 'max.partition.fetch.bytes', 'metadata.max.age.ms'],
  admin: ['bootstrap.servers', ...KAFKA_CONNECTION_KEYS],
}

interface PropertyReader {
  value(key: string): string | undefined
  sourceKey(key: string): string
  problem(key: string, reason: string): void
}

const propertyReader = (properties: ClientProperties, problems: ConfigProblem[], keyPrefix = ''): PropertyReader => ({
  value: (key) => properties.get(key)?.value,
  sourceKey: (key) => properties.get(key)?.sourceKey ?? keyPrefix + key,
  problem: (key, reason) => {
    const entry = properties.get(key)
    const sourceKey = entry?.sourceKey ?? keyPrefix + key
    const shown = entry === undefined ? undefined : KAFKA_PASSWORD_KEYS.has(key) ? '[hidden]' : entry.value
    problems.push({
      key: sourceKey,
      message: shown === undefined ? `Missing configuration "${sourceKey}": ${reason}` : `Invalid value ${shown} for configuration ${sourceKey}: ${reason}`,
      reason,
    })
  },
})

const security = (description: string, type?: 'PASSWORD') =>
  documented(z.string().optional(), { description, importance: 'medium', group: 'Kafka security', ...(type === undefined ? {} : { type }) })

/**
 * The worker keys of this module, for the worker config's schema: documented there, read here. They are plain strings
 * to zod, so that a refused value is reported by this module, which never echoes a secret.
 */
export const kafkaSecurityWorkerKeys = {
  'security.protocol': security(
    "PLAINTEXT (the default), SSL, SASL_PLAINTEXT or SASL_SSL, for the worker's own clients (internal topics, its admin). " +
      'As in Kafka Connect, source producers and sink consumers read producer.security.protocol and consumer.security.protocol; ' +
      'every key of this group takes those prefixes, and admin. for the admin clients.',
  ),
  'sasl.mechanism': security('PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. GSSAPI (Kerberos) and OAUTHBEARER are refused.'),
  'sasl.jaas.config': security(
    'The credentials: org.apache.kafka.common.security.plain.PlainLoginModule (or scram.ScramLoginModule) required username="..." password="...";. ' +
      'Any other login module is refused; nothing named in it is ever loaded.',
    'PASSWORD',
  ),
  'ssl.truststore.type': security('PEM (what an unset type reads as). JKS and PKCS12 are refused with the commands that convert them to PEM.'),
  'ssl.truststore.location': security("A PEM file of the CA certificates to trust; unset, the system's CAs are trusted."),
  'ssl.truststore.certificates': security('The CA certificates to trust, as PEM text in the key itself; instead of ssl.truststore.location.'),
  'ssl.keystore.type': security('PEM. JKS and PKCS12 are refused with the commands that convert them to PEM.'),
  'ssl.keystore.location': security('A PEM file holding the client private key and its certificate chain, for brokers that require mutual TLS.'),
  'ssl.keystore.certificate.chain': security('The client certificate chain as PEM text; with ssl.keystore.key, instead of ssl.keystore.location.'),
  'ssl.keystore.key': security('The client private key as PEM text (PKCS#8); with ssl.keystore.certificate.chain.', 'PASSWORD'),
  'ssl.key.password': security('Password of an encrypted client private key.', 'PASSWORD'),
  'ssl.endpoint.identification.algorithm': security(
    "https (the default): the broker's certificate must name the host connected to. Empty: the host name is not checked, the certificate chain still is.",
  ),
} as const

/**
 * Every problem of the worker's Kafka client keys: its own clients', its source producers', its sink consumers' and
 * its admin clients', as each would connect without connector overrides. Files are checked when the worker starts.
 */
export const workerKafkaClientProblems = (workerRaw: RawConfig, bootstrapServers: readonly string[]): ConfigProblem[] => {
  const problems = new Map<string, ConfigProblem>()
  for (const role of ['internal', 'producer', 'consumer', 'admin'] as const) {
    const properties = clientProperties(workerRaw, bootstrapServers, role)
    const prefix = role === 'internal' ? '' : `${role}.`
    const results = [
      parseKafkaConnection(properties, prefix),
      ...(role === 'producer' ? [parseProducerTuning(properties)] : role === 'consumer' ? [parseConsumerTuning(properties)] : []),
    ]
    // The admin clients read the top-level keys too: a problem there is reported once, under its own key.
    for (const result of results) if (!result.ok) for (const problem of result.problems) problems.set(problem.key, problems.get(problem.key) ?? problem)
  }
  return [...problems.values()]
}

/**
 * What a worker file that secures only the top-level keys gets wrong in Kafka Connect too: its source producers and
 * sink consumers connect without them. One warning per client role, naming the keys to add.
 */
export const unsecuredClientWarnings = (workerRaw: RawConfig): string[] => {
  const protocol = workerRaw['security.protocol']
  if (protocol === undefined || protocol.trim().toUpperCase() === 'PLAINTEXT') return []
  return (['producer', 'consumer'] as const)
    .filter((role) => workerRaw[`${role}.security.protocol`] === undefined)
    .map(
      (role) =>
        `security.protocol is ${protocol.trim()} but ${role}.security.protocol is unset: as in Kafka Connect, ${role === 'producer' ? 'source task producers' : 'sink task consumers'} ` +
        `connect with PLAINTEXT. Set ${role}.security.protocol and the other ${role}.sasl.* / ${role}.ssl.* keys too.`,
    )
}
