import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { MqttClient } from 'mqtt'

/**
 * DeferredAcks holds PUBACK/PUBREC by wrapping MqttClient's private `_sendPacket`, the one method MQTT.js's own
 * handlers reply through. package.json pins mqtt to a tilde range; this fails first if an update takes it away.
 */
describe('the MQTT.js internals the MQTT source relies on', () => {
  it('MqttClient still has the private _sendPacket(packet, done) that DeferredAcks wraps', () => {
    const sendPacket = (MqttClient.prototype as unknown as Record<string, unknown>)._sendPacket
    assert.equal(typeof sendPacket, 'function')
    assert.ok((sendPacket as (...args: unknown[]) => unknown).length >= 1)
  })

  it('is the MQTT.js minor version the project pins', () => {
    const pinned = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies.mqtt
    const installed = (JSON.parse(readFileSync(new URL('../../../node_modules/mqtt/package.json', import.meta.url), 'utf8')) as { version: string }).version
    assert.match(pinned ?? '', /^~\d+\.\d+\.\d+$/, 'a tilde range: patch updates only')
    assert.equal(installed.split('.').slice(0, 2).join('.'), pinned!.slice(1).split('.').slice(0, 2).join('.'))
  })
})
