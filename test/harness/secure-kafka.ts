import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startKafka, type RunningKafka } from '../../scripts/infra/kafka.ts'
import { findFreePorts } from '../../scripts/infra/ports.ts'
import { makeTestTempDir } from './temp.ts'

const execFileAsync = promisify(execFile)

export interface KafkaUser {
  readonly username: string
  readonly password: string
}

/**
 * A Kafka broker of one test file's own with three listeners: PLAINTEXT (for the test's own readers and writers),
 * SASL_SSL (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 users) and SSL requiring a client certificate. Its CA and
 * certificates are made by openssl for this broker alone; its SCRAM users by Kafka's own `kafka-storage format --add-scram`.
 */
export interface SecureKafka {
  readonly plaintextBootstrap: string
  readonly saslSslBootstrap: string
  readonly mutualTlsBootstrap: string
  /** The CA that signed the broker's and the client's certificates, as a PEM file. */
  readonly caFile: string
  /** A CA that signed nothing the broker shows: trusting it alone must fail the handshake. */
  readonly otherCaFile: string
  /** The client's private key and certificate chain in one PEM file, as Kafka's PEM key stores hold them. */
  readonly clientKeystoreFile: string
  readonly users: { readonly plain: KafkaUser; readonly scram256: KafkaUser; readonly scram512: KafkaUser }
  /** Every password of this broker's users: what no log may contain. */
  readonly secrets: readonly string[]
  close(): Promise<void>
}

const openssl = async (cwd: string, ...args: string[]): Promise<void> => {
  try {
    await execFileAsync('openssl', args, { cwd })
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string }
    throw new Error(`openssl ${args[0]} failed: ${stderr}`)
  }
}

/** A CA, a broker certificate for 127.0.0.1 and localhost, and a client certificate, all in `dir`. */
const makeCertificates = async (dir: string): Promise<void> => {
  const days = ['-days', '2']
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', ...days, '-subj', '/CN=secure-kafka-test-ca')
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.pem', ...days, '-subj', '/CN=unrelated-ca')
  await writeFile(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  for (const [name, subject, extensions] of [
    ['broker', '/CN=localhost', ['-extfile', 'broker.ext']],
    ['client', '/CN=test-worker', []],
  ] as const) {
    await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject)
    await openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, ...days, ...extensions)
    // Kafka's PEM key store: the PKCS#8 key, then the chain from the certificate up.
    const pieces = await Promise.all([`${name}.key`, `${name}.crt`, 'ca.pem'].map((file) => readFile(join(dir, file), 'utf8')))
    await writeFile(join(dir, `${name}.pem`), pieces.join(''))
  }
}

const secret = (label: string): string => `${label}-${randomBytes(9).toString('hex')}`

export const startSecureKafka = async (): Promise<SecureKafka> => {
  const [port, controllerPort, saslSslPort, sslPort] = await findFreePorts(4)
  if (port === undefined || controllerPort === undefined || saslSslPort === undefined || sslPort === undefined) throw new Error('no free ports for a secured Kafka broker')
  const dataDir = await makeTestTempDir('secure-kafka-')
  const certificates = join(dataDir, 'certificates')
  let running: RunningKafka | undefined
  try {
    await execFileAsync('mkdir', [certificates])
    await makeCertificates(certificates)
    const users = {
      plain: { username: 'plain-user', password: secret('plain') },
      scram256: { username: 'scram256-user', password: secret('scram256') },
      scram512: { username: 'scram512-user', password: secret('scram512') },
    }
    const brokerKeystore = join(certificates, 'broker.pem')
    const caFile = join(certificates, 'ca.pem')
    running = await startKafka({
      port,
      controllerPort,
      dataDir,
      logFile: join(dataDir, 'kafka.log'),
      detached: false,
      extraListeners: [
        { protocol: 'SASL_SSL', port: saslSslPort },
        { protocol: 'SSL', port: sslPort },
      ],
      extraProperties: {
        'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${users.plain.username}="${users.plain.password}";`,
        'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'listener.name.sasl_ssl.ssl.keystore.type': 'PEM',
        'listener.name.sasl_ssl.ssl.keystore.location': brokerKeystore,
        'listener.name.ssl.ssl.keystore.type': 'PEM',
        'listener.name.ssl.ssl.keystore.location': brokerKeystore,
        'listener.name.ssl.ssl.truststore.type': 'PEM',
        'listener.name.ssl.ssl.truststore.location': caFile,
        'listener.name.ssl.ssl.client.auth': 'required',
      },
      formatArguments: [
        '--add-scram',
        `SCRAM-SHA-256=[name=${users.scram256.username},password=${users.scram256.password}]`,
        '--add-scram',
        `SCRAM-SHA-512=[name=${users.scram512.username},password=${users.scram512.password}]`,
      ],
    })
    const broker = running
    return {
      plaintextBootstrap: `127.0.0.1:${port}`,
      saslSslBootstrap: `127.0.0.1:${saslSslPort}`,
      mutualTlsBootstrap: `127.0.0.1:${sslPort}`,
      caFile,
      otherCaFile: join(certificates, 'other-ca.pem'),
      clientKeystoreFile: join(certificates, 'client.pem'),
      users,
      secrets: Object.values(users).map(({ password }) => password),
      close: async () => {
        await broker.stop()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await running?.stop()
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

/** Kafka's JAAS line for `user`, the password quoted with Kafka's escapes. */
export const jaasConfig = (mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', { username, password }: KafkaUser): string => {
  const module = mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule'
  const quoted = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
  return `${module} required username=${quoted(username)} password=${quoted(password)};`
}

/**
 * The worker keys that put every one of its clients on `bootstrap` with these settings: the top-level keys for its
 * own clients, and the same under `producer.` and `consumer.`, as a Kafka Connect worker file must repeat them.
 */
export const workerClientSettings = (bootstrap: string, settings: Readonly<Record<string, string>>): Record<string, string> => {
  const result: Record<string, string> = { 'bootstrap.servers': bootstrap }
  for (const prefix of ['', 'producer.', 'consumer.']) for (const [key, value] of Object.entries(settings)) result[`${prefix}${key}`] = value
  return result
}

/** A worker on the SASL_SSL listener as `user`, trusting the broker's CA: every client, as `workerClientSettings` repeats them. */
export const saslWorkerSettings = (
  kafka: SecureKafka,
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
  user: KafkaUser,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> =>
  workerClientSettings(kafka.saslSslBootstrap, {
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': mechanism,
    'sasl.jaas.config': jaasConfig(mechanism, user),
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': kafka.caFile,
    ...extra,
  })
