import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { KafkaConnection } from '../../src/config/kafka-client-config.ts'
import { connectionSetupError, kafkaConnectionOptions } from '../../src/kafka/security.ts'
import { ConfigError } from '../../src/plugin/errors.ts'
import { makeTestTempDir } from '../harness/temp.ts'

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

const tlsConnection = (tls: Partial<NonNullable<KafkaConnection['tls']>>): KafkaConnection => ({
  bootstrapServers: ['broker:9093'],
  securityProtocol: 'SASL_SSL',
  tls: { trustedCertificates: null, clientCertificate: null, verifyHostname: true, ...tls },
  sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'secret' },
})

describe('Kafka connection → kafkajs options', () => {
  let dir: string
  before(async () => {
    dir = await makeTestTempDir('kafka-security-')
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('reads the truststore file, passes SASL in kafkajs words and keeps host name verification', async () => {
    const ca = join(dir, 'ca.pem')
    await writeFile(ca, PEM)
    const options = await kafkaConnectionOptions(tlsConnection({ trustedCertificates: { key: 'ssl.truststore.location', path: ca } }))
    assert.deepEqual(options.brokers, ['broker:9093'])
    assert.deepEqual(options.sasl, { mechanism: 'scram-sha-512', username: 'alice', password: 'secret' })
    assert.equal(typeof options.ssl === 'object' && options.ssl.ca, PEM)
    assert.equal(typeof options.ssl === 'object' && options.ssl.checkServerIdentity, undefined)
  })

  it('skips only the host name check when verification is off', async () => {
    const options = await kafkaConnectionOptions(tlsConnection({ verifyHostname: false, trustedCertificates: { key: 'ssl.truststore.certificates', pem: PEM } }))
    assert.ok(typeof options.ssl === 'object')
    assert.equal(options.ssl.rejectUnauthorized, true)
    assert.equal(options.ssl.checkServerIdentity?.('broker', {} as never), undefined)
  })

  it('refuses a truststore that is not PEM, naming its key and saying how to convert it', async () => {
    const jks = join(dir, 'truststore.jks')
    await writeFile(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]))
    await assert.rejects(kafkaConnectionOptions(tlsConnection({ trustedCertificates: { key: 'producer.ssl.truststore.location', path: jks } })), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.key, 'producer.ssl.truststore.location')
      assert.match(error.message, /keytool -importkeystore/)
      return true
    })
    await assert.rejects(kafkaConnectionOptions(tlsConnection({ trustedCertificates: { key: 'ssl.truststore.location', path: join(dir, 'missing.pem') } })), /file not found/)
  })
})

describe('failures no retry cures', () => {
  it('turns refused credentials, however deeply wrapped, into an error naming sasl.jaas.config', () => {
    const refused = Object.assign(new Error('SASL PLAIN authentication failed: Authentication failed: Invalid username or password'), { name: 'KafkaJSSASLAuthenticationError' })
    const wrapped = Object.assign(new Error('retries exhausted'), { originalError: { name: 'KafkaJSNonRetriableError', cause: refused } })
    const error = connectionSetupError(wrapped, 'producer.')
    assert.equal(error?.key, 'producer.sasl.jaas.config')
    assert.match(error?.message ?? '', /Kafka refused the credentials: SASL PLAIN authentication failed/)
  })

  it('turns an untrusted certificate into an error naming the truststore, and a name mismatch into one naming the algorithm', () => {
    const untrusted = connectionSetupError(Object.assign(new Error('Connection error: unable to get local issuer certificate'), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }))
    assert.equal(untrusted?.key, 'ssl.truststore.location')
    assert.match(untrusted?.reason ?? '', /not trusted \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate\)/)
    const mismatch = connectionSetupError(Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))
    assert.equal(mismatch?.key, 'ssl.endpoint.identification.algorithm')
  })

  it('leaves other failures alone', () => {
    assert.equal(connectionSetupError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), null)
  })
})
