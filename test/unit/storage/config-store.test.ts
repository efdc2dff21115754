import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LogEntry } from '../../../src/kafka/internal-topics-log.ts'
import { ConfigStore } from '../../../src/storage/config-store.ts'
import type { LogWriter } from '../../../src/storage/log-writer.ts'

/** A log that hands every write straight back, as the real one does once it has read the write back. */
const loopbackLog = () => {
  const written: { key: string; value: string | null }[] = []
  const log: LogWriter = {
    write: async (topic, entries) => {
      for (const entry of entries) {
        written.push(entry)
        store.apply({ topic, key: entry.key, value: entry.value === null ? null : Buffer.from(entry.value) } satisfies LogEntry)
      }
    },
  }
  const store: ConfigStore = new ConfigStore('connect-configs', log)
  return { store, written }
}

describe("ConfigStore, in Kafka Connect's config topic layout", () => {
  it('writes the target state, then connector-<name> with its properties', async () => {
    const { store, written } = loopbackLog()
    await store.putConnectorConfig('sensors', { 'connector.class': 'MqttSource' }, 'PAUSED')
    assert.deepEqual(written, [
      { key: 'target-state-sensors', value: '{"state":"PAUSED","state.v2":"PAUSED"}' },
      { key: 'connector-sensors', value: '{"properties":{"connector.class":"MqttSource"}}' },
    ])
    assert.equal(store.targetState('sensors'), 'PAUSED')
    assert.deepEqual(store.connectorNames(), ['sensors'])
  })

  it('writes STOPPED as PAUSED in the v1 field older workers read', async () => {
    const { store, written } = loopbackLog()
    await store.putTargetState('sensors', 'STOPPED')
    assert.deepEqual(written, [{ key: 'target-state-sensors', value: '{"state":"PAUSED","state.v2":"STOPPED"}' }])
  })

  it('counts task configs only once their commit record arrives', () => {
    const { store } = loopbackLog()
    const entry = (key: string, value: unknown): LogEntry => ({ topic: 'connect-configs', key, value: Buffer.from(JSON.stringify(value)) })
    store.apply(entry('connector-my-conn', { properties: { a: '1' } }))
    store.apply(entry('task-my-conn-0', { properties: { t: '0' } }))
    store.apply(entry('task-my-conn-1', { properties: { t: '1' } }))
    assert.deepEqual(store.taskConfigs('my-conn'), [])
    store.apply(entry('commit-my-conn', { tasks: 2 }))
    assert.deepEqual(store.taskConfigs('my-conn'), [{ t: '0' }, { t: '1' }])
  })

  it('forgets a connector on its tombstone', async () => {
    const { store } = loopbackLog()
    await store.putConnectorConfig('gone', { a: '1' })
    await store.removeConnector('gone')
    assert.equal(store.connectorConfig('gone'), undefined)
    assert.deepEqual(store.connectorNames(), [])
  })
})

describe('ConfigStore change listeners', () => {
  it('tells listeners of configs, target states and committed task configs, but not of uncommitted tasks', async () => {
    const { store } = loopbackLog()
    const changes: string[] = []
    const unsubscribe = store.onChange(({ connector }) => changes.push(`${connector}:${store.targetState(connector)}:${store.taskConfigs(connector).length}`))
    await store.putConnectorConfig('a', { 'connector.class': 'MqttSource' }, 'PAUSED')
    await store.putTargetState('a', 'STARTED')
    store.apply({ topic: 'connect-configs', key: 'task-a-0', value: Buffer.from('{"properties":{"x":"1"}}') })
    assert.deepEqual(changes, ['a:PAUSED:0', 'a:STARTED:0'], 'a target state alone names no connector yet; a task record waits for its commit')
    store.apply({ topic: 'connect-configs', key: 'commit-a', value: Buffer.from('{"tasks":1}') })
    await store.removeConnector('a')
    assert.deepEqual(changes.slice(2), ['a:STARTED:1', 'a:STARTED:0'])
    unsubscribe()
    await store.putConnectorConfig('b', {})
    assert.equal(changes.length, 4, 'an unsubscribed listener hears nothing')
  })

  it('says nothing about the tombstone of a connector it never had', () => {
    const { store } = loopbackLog()
    const changes: string[] = []
    store.onChange(({ connector }) => changes.push(connector))
    store.apply({ topic: 'connect-configs', key: 'connector-ghost', value: null })
    assert.deepEqual(changes, [])
  })
})
