import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  clientProperties,
  parseConsumerTuning,
  parseJaasConfig,
  parseKafkaConnection,
  parseProducerTuning,
  unsecuredClientWarnings,
  workerKafkaClientProblems,
} from '../../../src/config/kafka-client-config.ts'
import { clientOverrideProblems, parseClientOverridePolicy } from '../../../src/config/client-overrides.ts'
import { resolveWorkerConfig, WorkerConfigError } from '../../../src/config/worker-config.ts'

const PASSWORD = 'pa"ss\\word-7f3'
const jaas = (module: string, password = PASSWORD): string =>
  `${module} required username="alice" password="${password.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}";`
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule'
const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule'

const connectionOf = (raw: Record<string, string>, role: Parameters<typeof clientProperties>[2] = 'internal') =>
  parseKafkaConnection(clientProperties(raw, ['broker:9093'], role), role === 'internal' ? '' : `${role}.`)

describe('sasl.jaas.config', () => {
  it('reads a PlainLoginModule entry with escaped quotes and backslashes in the password', () => {
    assert.deepEqual(parseJaasConfig(jaas(PLAIN)), { loginModule: PLAIN, options: { username: 'alice', password: PASSWORD } })
  })

  it('reads bare-word values and several options', () => {
    assert.deepEqual(parseJaasConfig(`${SCRAM} required username=bob password="x" tokenauth=false ;`), {
      loginModule: SCRAM,
      options: { username: 'bob', password: 'x', tokenauth: 'false' },
    })
  })

  for (const [text, problem] of [
    [`${PLAIN} required username="a" password="b"`, /must end with ;/],
    [`${PLAIN} username="a" password="b";`, /control flag/],
    [`${PLAIN} required username="a" password="unterminated;`, /unterminated/],
    [`"${PLAIN}" required;`, /login module class name/],
    [`${PLAIN} required username="a"; ${PLAIN} required username="b";`, /exactly one/],
  ] as const) {
    it(`refuses ${text.slice(0, 60)}…`, () => {
      const parsed = parseJaasConfig(text)
      assert.ok('problem' in parsed)
      assert.match(parsed.problem, problem)
    })
  }
})

describe('Kafka connection keys', () => {
  it('reads PLAINTEXT when nothing is set', () => {
    assert.deepEqual(connectionOf({}), { ok: true, value: { bootstrapServers: ['broker:9093'], securityProtocol: 'PLAINTEXT', tls: null, sasl: null } })
  })

  it('reads SASL_SSL with SCRAM-SHA-512, a PEM truststore file and hostname verification on by default', () => {
    const parsed = connectionOf({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': jaas(SCRAM),
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': '/etc/kafka/ca.pem',
    })
    assert.ok(parsed.ok)
    assert.deepEqual(parsed.value.sasl, { mechanism: 'SCRAM-SHA-512', username: 'alice', password: PASSWORD })
    assert.deepEqual(parsed.value.tls, {
      trustedCertificates: { key: 'ssl.truststore.location', path: '/etc/kafka/ca.pem' },
      clientCertificate: null,
      verifyHostname: true,
    })
  })

  it('skips only the host name check for an empty ssl.endpoint.identification.algorithm', () => {
    const parsed = connectionOf({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': '' })
    assert.ok(parsed.ok)
    assert.equal(parsed.value.tls?.verifyHostname, false)
  })

  it('reads a client certificate given inline', () => {
    const parsed = connectionOf({
      'security.protocol': 'SSL',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': 'inline chain text (only read when the client connects)',
      'ssl.keystore.key': 'inline key text (only read when the client connects)',
      'ssl.key.password': 'k',
    })
    assert.ok(parsed.ok)
    assert.equal(parsed.value.tls?.clientCertificate?.keyPassword, 'k')
  })

  it('refuses JKS and PKCS12 stores with the commands that convert them', () => {
    const parsed = connectionOf({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS', 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': '/x.p12' })
    assert.ok(!parsed.ok)
    assert.deepEqual(parsed.problems.map(({ key }) => key), ['ssl.truststore.type', 'ssl.keystore.type'])
    for (const { message } of parsed.problems) {
      assert.match(message, /keytool -importkeystore -srckeystore x\.jks -destkeystore x\.p12 -deststoretype PKCS12/)
      assert.match(message, /openssl pkcs12 -in x\.p12 -out x\.pem -nodes/)
    }
  })

  it('refuses other login modules, GSSAPI, OAUTHBEARER and a mechanism that does not match the module, never showing the secret', () => {
    const cases = [
      [{ 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas('com.example.EvilLoginModule') }, 'sasl.jaas.config', /com\.example\.EvilLoginModule is not supported/],
      [{ 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.mechanism', /GSSAPI/],
      [{ 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.mechanism', /OAUTHBEARER is not supported/],
      [{ 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.jaas.config': jaas(PLAIN) }, 'sasl.jaas.config', /PlainLoginModule does not match sasl.mechanism SCRAM-SHA-256/],
      [{ 'sasl.mechanism': 'PLAIN' }, 'sasl.jaas.config', /is required/],
      [{ 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${PLAIN} required password="pw-7f3"` }, 'sasl.jaas.config', /must end with ;/],
    ] as const
    for (const [raw, key, message] of cases) {
      const parsed = connectionOf({ 'security.protocol': 'SASL_SSL', ...raw })
      assert.ok(!parsed.ok, key)
      assert.equal(parsed.problems[0]?.key, key)
      assert.match(parsed.problems[0]?.message ?? '', message)
      assert.ok(!JSON.stringify(parsed.problems).includes('7f3'), 'no problem shows the password')
    }
  })

  it('names a problem under the key the user wrote, prefixed for producers and their overrides', () => {
    const parsed = connectionOf({ 'producer.security.protocol': 'SASL_SSL', 'producer.sasl.mechanism': 'PLAIN' }, 'producer')
    assert.ok(!parsed.ok)
    assert.deepEqual(parsed.problems.map(({ key }) => key), ['producer.sasl.jaas.config'])
    const overridden = parseKafkaConnection(
      clientProperties({ 'producer.security.protocol': 'SASL_SSL' }, ['b:1'], 'producer', { 'producer.override.sasl.mechanism': 'GSSAPI', 'producer.override.sasl.jaas.config': jaas(PLAIN) }),
      'producer.',
    )
    assert.ok(!overridden.ok)
    assert.equal(overridden.problems[0]?.key, 'producer.override.sasl.mechanism')
  })

  it('gives source producers only the producer. keys, as Kafka Connect does, and admin clients the top-level keys too', () => {
    const raw = { 'security.protocol': 'SSL', 'admin.sasl.mechanism': 'PLAIN' }
    assert.equal(clientProperties(raw, ['b:1'], 'producer').get('security.protocol'), undefined)
    assert.equal(clientProperties(raw, ['b:1'], 'admin').get('security.protocol')?.value, 'SSL')
    assert.equal(clientProperties(raw, ['b:1'], 'admin').get('sasl.mechanism')?.sourceKey, 'admin.sasl.mechanism')
    assert.deepEqual(unsecuredClientWarnings(raw).length, 2)
    assert.deepEqual(unsecuredClientWarnings({ ...raw, 'producer.security.protocol': 'SSL', 'consumer.security.protocol': 'SSL' }), [])
  })
})

describe('producer and consumer keys the worker honours', () => {
  const properties = (raw: Record<string, string>) => clientProperties({}, ['b:1'], 'producer', raw)

  it('reads acks and compression.type, and refuses what the client cannot do', () => {
    assert.deepEqual(parseProducerTuning(properties({})), { ok: true, value: { acks: -1, compression: 'none' } })
    assert.deepEqual(parseProducerTuning(properties({ 'producer.override.acks': '1', 'producer.override.compression.type': 'gzip' })), {
      ok: true,
      value: { acks: 1, compression: 'gzip' },
    })
    const refused = parseProducerTuning(properties({ 'producer.override.acks': 'most', 'producer.override.compression.type': 'zstd' }))
    assert.ok(!refused.ok)
    assert.deepEqual(refused.problems.map(({ key }) => key), ['producer.override.acks', 'producer.override.compression.type'])
  })

  it('reads consumer fetch and session settings', () => {
    const tuning = parseConsumerTuning(clientProperties({ 'consumer.fetch.max.wait.ms': '100' }, ['b:1'], 'consumer', { 'consumer.override.session.timeout.ms': '7000' }))
    assert.deepEqual(tuning, { ok: true, value: { fetchMaxWaitMs: 100, sessionTimeoutMs: 7000 } })
  })
})

describe('connector.client.config.override.policy', () => {
  const source = { 'connector.class': 'MqttSource', 'producer.override.acks': '1' }
  const context = (policy: 'None' | 'Principal' | 'All') => ({ policy, workerRaw: {}, bootstrapServers: ['b:1'] })

  it("accepts Kafka Connect's aliases and class names", () => {
    assert.equal(parseClientOverridePolicy('None'), 'None')
    assert.equal(parseClientOverridePolicy('org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy'), 'Principal')
    assert.equal(parseClientOverridePolicy('Some'), undefined)
  })

  it("refuses an override under None in Kafka Connect's words, naming the full key", () => {
    assert.deepEqual(clientOverrideProblems('source', source, context('None')), [
      { key: 'producer.override.acks', message: "The 'None' policy does not allow 'acks' to be overridden in the connector configuration." },
    ])
    assert.deepEqual(clientOverrideProblems('source', source, context('All')), [])
  })

  it('allows only the principal keys under Principal', () => {
    const config = { ...source, 'producer.override.security.protocol': 'SASL_SSL', 'producer.override.sasl.mechanism': 'PLAIN', 'producer.override.sasl.jaas.config': jaas(PLAIN) }
    assert.deepEqual(clientOverrideProblems('source', config, context('Principal')).map(({ key }) => key), ['producer.override.acks'])
  })

  it('checks only the clients the connector creates, and the values of allowed overrides', () => {
    assert.deepEqual(clientOverrideProblems('source', { 'consumer.override.acks': 'x' }, context('None')), [])
    assert.deepEqual(clientOverrideProblems('sink', { 'consumer.override.session.timeout.ms': 'soon' }, context('All')).map(({ key }) => key), [
      'consumer.override.session.timeout.ms',
    ])
    const withDeadLetters = { 'errors.deadletterqueue.topic.name': 'dlq', 'producer.override.acks': '1' }
    assert.equal(clientOverrideProblems('sink', withDeadLetters, context('None')).length, 1)
  })
})

describe('the worker config', () => {
  it('stops the worker with every bad client key named, and no secret in the message', () => {
    assert.throws(
      () =>
        resolveWorkerConfig({
          'security.protocol': 'SASL_SSL',
          'sasl.mechanism': 'PLAIN',
          'sasl.jaas.config': jaas('com.example.Other'),
          'producer.security.protocol': 'TLS',
          'connector.client.config.override.policy': 'Some',
        }),
      (error: unknown) => {
        assert.ok(error instanceof WorkerConfigError)
        assert.match(error.message, /connector\.client\.config\.override\.policy/)
        return true
      },
    )
    assert.throws(
      () => resolveWorkerConfig({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas('com.example.Other'), 'producer.security.protocol': 'TLS' }),
      (error: unknown) => {
        assert.ok(error instanceof WorkerConfigError)
        assert.deepEqual(error.problems.map(({ key }) => key), ['sasl.jaas.config', 'producer.security.protocol'])
        assert.ok(!error.message.includes('7f3'))
        return true
      },
    )
  })

  it('reports each problem once, though the admin clients read the top-level keys too', () => {
    const problems = workerKafkaClientProblems({ 'security.protocol': 'BOGUS' }, ['b:1'])
    assert.deepEqual(problems.map(({ key }) => key), ['security.protocol'])
  })

  it('defaults the override policy to All, as Kafka since 3.0', () => {
    assert.equal(resolveWorkerConfig({})['connector.client.config.override.policy'], 'All')
  })
})
