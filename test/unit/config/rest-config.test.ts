import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advertisedUrl, jaasFileFromJvmOptions, restListeners } from '../../../src/config/rest-config.ts'
import { unusedWorkerKeys, unusedWorkerKeysWarning } from '../../../src/config/unused-worker-keys.ts'
import { resolveWorkerConfig, WorkerConfigError, workerConfigSchema } from '../../../src/config/worker-config.ts'

const fallback = { host: '0.0.0.0', port: 8083 }
const pemKeys = { 'listeners.https.ssl.keystore.location': '/etc/connect/server.pem' }

const problemKeys = (raw: Record<string, string>): string[] => {
  try {
    resolveWorkerConfig(raw, {})
  } catch (error) {
    assert.ok(error instanceof WorkerConfigError, String(error))
    return error.problems.map(({ key }) => key)
  }
  return []
}

describe('REST listeners', () => {
  it('serves rest.host.name:rest.port over HTTP when listeners is unset, /admin included', () => {
    const { listeners, problems } = restListeners({}, fallback)
    assert.deepEqual(problems, [])
    assert.deepEqual(listeners.map(({ protocol, host, port, api, admin }) => ({ protocol, host, port, api, admin })), [
      { protocol: 'http', host: '0.0.0.0', port: 8083, api: true, admin: true },
    ])
  })

  it('serves every listener, https ones with the listeners.https. TLS keys', () => {
    const { listeners, problems } = restListeners({ listeners: 'http://127.0.0.1:8083,https://:8443', ...pemKeys, 'listeners.https.ssl.client.auth': 'required' }, fallback)
    assert.deepEqual(problems, [])
    assert.deepEqual(listeners.map(({ protocol, host, port }) => `${protocol}://${host}:${port}`), ['http://127.0.0.1:8083', 'https://0.0.0.0:8443'])
    assert.equal(listeners[1]!.tls?.clientAuth, 'required')
    assert.deepEqual(listeners[1]!.tls?.certificateChain, { key: 'listeners.https.ssl.keystore.location', path: '/etc/connect/server.pem' })
  })

  it('falls back to the unprefixed ssl.* keys only when no listeners.https. key is set, as Kafka Connect does', () => {
    const unprefixed = restListeners({ listeners: 'https://:8443', 'ssl.keystore.location': '/a.pem', 'ssl.client.auth': 'requested' }, fallback)
    assert.equal(unprefixed.listeners[0]!.tls?.clientAuth, 'requested')
    const mixed = restListeners({ listeners: 'https://:8443', 'ssl.keystore.location': '/a.pem', 'listeners.https.ssl.client.auth': 'required' }, fallback)
    assert.deepEqual(mixed.problems.map(({ key }) => key), ['listeners.https.ssl.keystore.location'])
  })

  it('refuses JKS and PKCS12 stores with the commands that convert them to PEM', () => {
    const { problems } = restListeners({ listeners: 'https://:8443', ...pemKeys, 'listeners.https.ssl.keystore.type': 'JKS' }, fallback)
    assert.equal(problems[0]!.key, 'listeners.https.ssl.keystore.type')
    assert.match(problems[0]!.message, /JKS is not supported: .*keytool -importkeystore .*openssl pkcs12/)
  })

  it('serves /admin only on admin.listeners when set, and nowhere when it is empty', () => {
    const separate = restListeners({ listeners: 'http://:8083', 'admin.listeners': 'http://127.0.0.1:9093' }, fallback).listeners
    assert.deepEqual(separate.map(({ port, api, admin }) => ({ port, api, admin })), [
      { port: 8083, api: true, admin: false },
      { port: 9093, api: false, admin: true },
    ])
    const shared = restListeners({ listeners: 'http://:8083', 'admin.listeners': 'http://:8083' }, fallback).listeners
    assert.deepEqual(shared.map(({ api, admin }) => ({ api, admin })), [{ api: true, admin: true }])
    const none = restListeners({ listeners: 'http://:8083', 'admin.listeners': '' }, fallback).listeners
    assert.deepEqual(none.map(({ api, admin }) => ({ api, admin })), [{ api: true, admin: false }])
  })

  it('stops the worker naming the key for a bad listener, a missing key store or a bad ssl.client.auth', () => {
    assert.deepEqual(problemKeys({ listeners: 'ftp://:21' }), ['listeners'])
    assert.deepEqual(problemKeys({ listeners: 'https://:8443' }), ['ssl.keystore.location'])
    assert.deepEqual(problemKeys({ listeners: 'https://:8443', ...pemKeys, 'listeners.https.ssl.client.auth': 'always' }), ['listeners.https.ssl.client.auth'])
    assert.deepEqual(problemKeys({ 'admin.listeners': 'http://:x' }), ['admin.listeners'])
  })

  it('reads the JAAS file from -Djava.security.auth.login.config in JVM options', () => {
    assert.equal(jaasFileFromJvmOptions('-Xmx1g -Djava.security.auth.login.config=/etc/connect/jaas.conf -Dx=y'), '/etc/connect/jaas.conf')
    assert.equal(jaasFileFromJvmOptions('-Djava.security.auth.login.config="/a b/jaas.conf"'), '/a b/jaas.conf')
    assert.equal(jaasFileFromJvmOptions(undefined), undefined)
  })
})

describe('worker config hygiene', () => {
  const declared = new Set(Object.keys(workerConfigSchema.shape))

  it('names the keys nothing reads, in Kafka\'s words, and passes the pass-through families', () => {
    const raw = {
      'bootstrap.servers': 'k:9092',
      'rest.prot': '8083',
      'value.converter.schemas.enable': 'false',
      'producer.acks': 'all',
      'consumer.max.poll.records': '10',
      'config.providers.file.param.allowed.paths': '/etc',
      'listeners.https.ssl.keystore.location': '/a.pem',
      'ssl.client.auth': 'required',
      'security.protocol': 'SASL_SSL',
      'offset.flush.intervall.ms': '1',
    }
    const unused = unusedWorkerKeys(raw, declared)
    assert.deepEqual(unused, ['rest.prot', 'offset.flush.intervall.ms'])
    assert.equal(unusedWorkerKeysWarning(unused), "These configurations '[rest.prot, offset.flush.intervall.ms]' were supplied but are not used yet.")
  })

  it('stops the worker for a wrong value of a known key, naming it', () => {
    assert.deepEqual(problemKeys({ 'rest.port': 'eighty' }), ['rest.port'])
    assert.deepEqual(problemKeys({ 'rest.extension.classes': 'x', 'access.control.allow.origin': 'https://ui' }), [])
  })

  it('resolves the worker config\'s own placeholders with the providers it declares', () => {
    const config = resolveWorkerConfig(
      {
        'config.providers': 'env',
        'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
        'group.id': '${env:GROUP}',
        'value.converter.basic.auth.user.info': '${env:REGISTRY_AUTH}',
      },
      { GROUP: 'g1', REGISTRY_AUTH: 'u:registry-secret' },
    )
    assert.equal(config['group.id'], 'g1')
    assert.equal(config.raw['value.converter.basic.auth.user.info'], 'u:registry-secret')
    assert.deepEqual([...config.secrets].sort(), ['g1', 'u:registry-secret'])
    assert.deepEqual(problemKeys({ 'config.providers': 'x', 'config.providers.x.class': 'com.example.Nope' }), ['config.providers.x.class'])
  })
})

describe('advertised URL', () => {
  it('takes the listener of rest.advertised.listener, with the advertised host and port in place of its own', () => {
    const { listeners } = restListeners({ listeners: 'http://:8083,https://:8443', ...pemKeys }, fallback)
    assert.equal(advertisedUrl(listeners, { listener: 'https', host: 'worker-1' }), 'https://worker-1:8443')
    assert.equal(advertisedUrl(listeners, { host: 'worker-1' }), 'http://worker-1:8083')
    assert.equal(advertisedUrl(listeners, { listener: 'https', host: '::1', port: 443 }), 'https://[::1]:443')
  })
})
