import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseServerUris } from '../../../connectors/mqtt/server-uri.ts'
import { ConfigError } from '../../../src/plugin/errors.ts'

describe('mqtt.server.uri', () => {
  it("maps Paho's tcp:// and ssl:// to MQTT.js protocols with default ports", () => {
    assert.deepEqual(parseServerUris('mqtt.server.uri', ['tcp://broker-a', 'ssl://broker-b', 'mqtt://c:1884', 'mqtts://d']), [
      { protocol: 'mqtt', host: 'broker-a', port: 1883 },
      { protocol: 'mqtts', host: 'broker-b', port: 8883 },
      { protocol: 'mqtt', host: 'c', port: 1884 },
      { protocol: 'mqtts', host: 'd', port: 8883 },
    ])
  })

  it('rejects an unsupported scheme with a ConfigError on the key', () => {
    assert.throws(
      () => parseServerUris('mqtt.server.uri', ['http://broker']),
      (error: unknown) => error instanceof ConfigError && error.key === 'mqtt.server.uri' && /unsupported scheme http:/.test(error.reason),
    )
  })

  it('rejects an empty list', () => {
    assert.throws(() => parseServerUris('mqtt.server.uri', []), ConfigError)
  })
})
