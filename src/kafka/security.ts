import { isIP } from 'node:net'
import { connect, type ConnectionOptions } from 'node:tls'
import type { KafkaConfig, SASLOptions } from 'kafkajs'
import type { KafkaConnection, TlsSettings } from '../config/kafka-client-config.ts'
import { readPemSource } from '../config/pem-files.ts'
import { ConfigError, ConnectError } from '../plugin/errors.ts'

/** What kafkajs takes of a connection: brokers, TLS and SASL. */
export type KafkaConnectionOptions = Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>

/**
 * A connection as kafkajs options: files read now, through the safe reader, so a missing or non-PEM file is a
 * ConfigError naming its key before any client exists.
 */
export const kafkaConnectionOptions = async (connection: KafkaConnection): Promise<KafkaConnectionOptions> => {
  const options: { -readonly [K in keyof KafkaConnectionOptions]: KafkaConnectionOptions[K] } = { brokers: [...connection.bootstrapServers] }
  if (connection.tls !== null) options.ssl = await tlsOptions(connection.tls)
  if (connection.sasl !== null) {
    const { mechanism, username, password } = connection.sasl
    options.sasl = { mechanism: mechanism.toLowerCase(), username, password } as SASLOptions
  }
  return options
}

const tlsOptions = async ({ trustedCertificates, clientCertificate, verifyHostname }: TlsSettings): Promise<ConnectionOptions> => {
  const options: ConnectionOptions = { rejectUnauthorized: true }
  if (trustedCertificates !== null) options.ca = await readPemSource(trustedCertificates)
  if (clientCertificate !== null) {
    options.cert = await readPemSource(clientCertificate.chain)
    options.key = await readPemSource(clientCertificate.key)
    if (clientCertificate.keyPassword !== null) options.passphrase = clientCertificate.keyPassword
  }
  // Kafka's empty ssl.endpoint.identification.algorithm: the chain is still verified, only the name is not.
  if (!verifyHostname) options.checkServerIdentity = () => undefined
  return options
}

/** Node's codes for a certificate the client does not trust, or a name it does not match. */
const CERTIFICATE_ERRORS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/**
 * A failure to reach Kafka that no retry can cure, in words that name the key to fix: credentials refused
 * (`sasl.jaas.config`) or a broker certificate not trusted (`ssl.truststore.*`). `keyPrefix` is the prefix the client's
 * keys were set under (`producer.`); `null` when the error is none of those.
 */
export const connectionSetupError = (error: unknown, keyPrefix = ''): ConfigError | null => {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 6; depth++) {
    const { name, message, code } = current as { name?: unknown; message?: unknown; code?: unknown }
    // kafkajs's name for refused credentials, and @platformatic/kafka's code.
    if (name === 'KafkaJSSASLAuthenticationError' || code === 'PLT_KFK_AUTHENTICATION') {
      return new ConfigError(`${keyPrefix}sasl.jaas.config`, '[hidden]', `Kafka refused the credentials: ${String(message)}`)
    }
    if (typeof code === 'string' && CERTIFICATE_ERRORS.has(code)) {
      const nameMismatch = code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      const key = `${keyPrefix}${nameMismatch ? 'ssl.endpoint.identification.algorithm' : 'ssl.truststore.location'}`
      const detail = String(message).replace(/^Connection error: /, '')
      const advice = nameMismatch
        ? `the certificate does not name the host connected to: fix it, or set ${key} to empty to skip the name check`
        : `${keyPrefix}ssl.truststore.location or ${keyPrefix}ssl.truststore.certificates must hold the CA that signed the broker's certificate`
      const reason = `TLS handshake with Kafka failed, the broker's certificate is not trusted (${code}: ${detail}); ${advice}`
      return new ConfigError(key, undefined, reason, `Invalid configuration ${key}: ${reason}`)
    }
    // @platformatic/kafka reports one error per broker tried: the first says why.
    const { errors } = current as { errors?: unknown }
    current = (current as { cause?: unknown }).cause ?? (current as { originalError?: unknown }).originalError ?? (Array.isArray(errors) ? errors[0] : undefined)
  }
  return null
}

/** `operation`, with a failure that names a key to fix turned into that ConfigError. */
export const withSetupErrors = async <T>(operation: () => Promise<T>, keyPrefix = ''): Promise<T> => {
  try {
    return await operation()
  } catch (error) {
    const setup = connectionSetupError(error, keyPrefix)
    if (setup !== null) throw setup
    throw error instanceof Error ? error : new ConnectError(String(error))
  }
}

/**
 * One TLS handshake with the first bootstrap server that answers. A certificate this client does not trust is a
 * failure no retry cures: thrown at once (Node's error, with its code), where kafkajs would retry it for ~20 s.
 * Servers that do not answer, or refuse for another reason, are left to kafkajs and its retries.
 */
export const probeTls = async (brokers: readonly string[], ssl: ConnectionOptions, timeoutMs = 5_000): Promise<void> => {
  for (const broker of brokers) {
    const separator = broker.lastIndexOf(':')
    const host = broker.slice(0, separator).replace(/^\[|\]$/g, '')
    const port = Number(broker.slice(separator + 1))
    const outcome = await new Promise<Error | 'trusted' | 'unreachable'>((resolve) => {
      // An IP address is not a valid TLS server name (RFC 6066); the certificate is still checked against it.
      const socket = connect({ ...ssl, host, port, ...(isIP(host) === 0 ? { servername: host } : {}) })
      const timer = setTimeout(() => finish('unreachable'), timeoutMs)
      const finish = (result: Error | 'trusted' | 'unreachable'): void => {
        clearTimeout(timer)
        socket.destroy()
        resolve(result)
      }
      socket.once('secureConnect', () => finish('trusted'))
      socket.once('error', (error: NodeJS.ErrnoException) => finish(CERTIFICATE_ERRORS.has(error.code ?? '') ? error : 'unreachable'))
    })
    if (outcome === 'trusted') return
    if (outcome instanceof Error) throw outcome
  }
}
