import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { ConfigStore } from '../../../src/storage/config-store.ts'
import { restAppWithFakeHerder } from './fake-herder.ts'

/** Names that are also properties of every plain JavaScript object. */
const OBJECT_PROPERTY_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'] as const

const sourceConfig = { 'connector.class': 'FakeSourceConnector', 'fake.topic': 'readings' }

const assertPrototypeUntouched = () => {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).filter((name) => name.startsWith('polluted')), [])
  assert.equal(Object.getPrototypeOf({}), Object.prototype)
}

describe('connector names and config keys that are also JavaScript object properties', () => {
  const { app, herder } = restAppWithFakeHerder()
  after(() => app.close())
  const json = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: string) =>
    app.inject({ method, url, payload, headers: { 'content-type': 'application/json' } })

  for (const name of OBJECT_PROPERTY_NAMES) {
    it(`a connector named ${name} is created, listed, expanded, read and deleted like any other`, async () => {
      const created = await json('POST', '/connectors', JSON.stringify({ name, config: sourceConfig }))
      assert.equal(created.statusCode, 201, created.body)
      assert.equal(created.headers.location, `/connectors/${name}`)
      assert.deepEqual((await app.inject({ method: 'GET', url: '/connectors' })).json(), [name])

      const expanded = await app.inject({ method: 'GET', url: '/connectors?expand=status&expand=info' })
      assert.equal(expanded.statusCode, 200)
      // Parsed as JSON.parse parses it: a `__proto__` key comes back as an own property.
      const byName = JSON.parse(expanded.body) as object
      assert.deepEqual(Object.keys(byName), [name])
      const entry = Object.getOwnPropertyDescriptor(byName, name)?.value as { status: { name: string }; info: { name: string } } | undefined
      assert.equal(entry?.status.name, name)
      assert.equal(entry?.info.name, name)

      assert.equal((await app.inject({ method: 'GET', url: `/connectors/${name}/config` })).json<Record<string, string>>().name, name)
      assert.equal((await json('PUT', `/connectors/${name}/config`, JSON.stringify(sourceConfig))).statusCode, 200)
      assert.equal((await app.inject({ method: 'DELETE', url: `/connectors/${name}` })).statusCode, 204)
      assert.equal((await app.inject({ method: 'GET', url: `/connectors/${name}` })).statusCode, 404)
      assertPrototypeUntouched()
    })
  }

  it('config keys named constructor or toString are kept as keys', async () => {
    const config = { ...sourceConfig, constructor: 'a', toString: 'b', hasOwnProperty: 'c' }
    assert.equal((await json('PUT', '/connectors/keys/config', JSON.stringify(config))).statusCode, 201)
    const stored = (await app.inject({ method: 'GET', url: '/connectors/keys/config' })).json<Record<string, string>>()
    assert.deepEqual(stored, { ...config, name: 'keys' })
    herder.connectors.delete('keys')
  })

  it('a config key named __proto__ is a 400 naming it, never a silent loss or a polluted prototype', async () => {
    const callsBefore = herder.calls.length
    const answers = await Promise.all([
      json('POST', '/connectors', '{"name":"p","config":{"connector.class":"FakeSourceConnector","__proto__":"x"}}'),
      json('PUT', '/connectors/p/config', '{"connector.class":"FakeSourceConnector","__proto__":{"polluted":"yes"}}'),
      json('PATCH', '/connectors/p/config', '{"__proto__":null}'),
      json('PUT', '/connector-plugins/FakeSourceConnector/config/validate', '{"__proto__":"x"}'),
    ])
    for (const answer of answers) {
      assert.equal(answer.statusCode, 400, answer.body)
      assert.match(answer.json<{ message: string }>().message, /must not contain the key __proto__/)
    }
    assert.equal(herder.calls.length, callsBefore, 'the herder was never asked')
    assertPrototypeUntouched()
  })

  it('a __proto__ member of the request body itself is ignored and pollutes nothing', async () => {
    const created = await json('POST', '/connectors', `{"__proto__":{"polluted":"yes"},"name":"plain","config":${JSON.stringify(sourceConfig)}}`)
    assert.equal(created.statusCode, 201, created.body)
    assertPrototypeUntouched()
    herder.connectors.delete('plain')
  })
})

describe('the config store, for a config topic another Kafka Connect worker wrote', () => {
  const loopback = () => {
    const store: ConfigStore = new ConfigStore('connect-configs', {
      write: async (topic, entries) => {
        for (const { key, value } of entries) store.apply({ topic, key, value: value === null ? null : Buffer.from(value) })
      },
    })
    return store
  }

  it('keeps a connector named __proto__ and its config key __proto__', async () => {
    const store = loopback()
    store.apply({ topic: 'connect-configs', key: 'connector-__proto__', value: Buffer.from('{"properties":{"__proto__":"kept","name":"__proto__"}}') })
    assert.deepEqual(store.connectorNames(), ['__proto__'])
    const config = store.connectorConfig('__proto__')
    assert.equal(Object.getOwnPropertyDescriptor(config, '__proto__')?.value, 'kept')
    assert.equal(Object.getPrototypeOf(config), Object.prototype)
    await store.putTaskConfigs('constructor', [{ a: 'b' }])
    assert.deepEqual(store.taskConfigs('constructor'), [{ a: 'b' }])
    assertPrototypeUntouched()
  })
})
