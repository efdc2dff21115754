import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseLoggerLevel } from '../../../src/logging/levels.ts'
import { LoggerLevels } from '../../../src/logging/logger-levels.ts'

const levelsAt = (root: 'INFO' | 'WARN' = 'INFO') => {
  let now = 1_000
  const levels = new LoggerLevels(root, () => now)
  return { levels, advance: (ms: number) => (now += ms) }
}

describe('logger levels, as Kafka Connect’s Loggers keeps them', () => {
  it('reads log4j level names in any case and refuses the others', () => {
    assert.equal(parseLoggerLevel('debug'), 'DEBUG')
    assert.equal(parseLoggerLevel('Warn'), 'WARN')
    assert.equal(parseLoggerLevel('OFF'), 'OFF')
    assert.equal(parseLoggerLevel('verbose'), null)
    assert.equal(parseLoggerLevel(''), null)
  })

  it('lets a logger inherit its nearest ancestor’s level, then root’s', () => {
    const { levels } = levelsAt()
    levels.setLevel('io.mqttkafka.connect', 'DEBUG')
    assert.equal(levels.effectiveLevel('io.mqttkafka.connect.mqtt.MqttSourceConnector'), 'DEBUG')
    assert.equal(levels.effectiveLevel('io.mqttkafka'), 'INFO')
    assert.equal(levels.effectiveLevel('org.apache.kafka.clients'), 'INFO')
  })

  it('sets a namespace and everything below it, answering with the loggers it changed, sorted', () => {
    const { levels } = levelsAt()
    levels.register('io.mqttkafka.connect.mqtt.MqttSourceConnector')
    levels.register('io.mqttkafka.connect.mqtt.MqttSinkConnector')
    levels.register('org.apache.kafka.connect.runtime.WorkerSourceTask')
    levels.setLevel('io.mqttkafka.connect.mqtt.MqttSinkConnector', 'ERROR')
    const changed = levels.setLevel('io.mqttkafka.connect.mqtt', 'DEBUG')
    assert.deepEqual(changed, ['io.mqttkafka.connect.mqtt', 'io.mqttkafka.connect.mqtt.MqttSinkConnector', 'io.mqttkafka.connect.mqtt.MqttSourceConnector'])
    assert.equal(levels.effectiveLevel('io.mqttkafka.connect.mqtt.MqttSinkConnector'), 'DEBUG', 'a child’s own level is replaced too')
    assert.equal(levels.effectiveLevel('org.apache.kafka.connect.runtime.WorkerSourceTask'), 'INFO')
    assert.deepEqual(levels.setLevel('io.mqttkafka.connect.mqtt', 'DEBUG'), [], 'setting the same level again changes nothing')
  })

  it('does not take a sibling with a longer name for a child, as log4j’s hierarchy does not', () => {
    const { levels } = levelsAt()
    levels.register('org.apache.kafka.connect.runtime.WorkerSourceTask')
    assert.deepEqual(levels.setLevel('org.apache.kafka.connect.runtime.Worker', 'DEBUG'), ['org.apache.kafka.connect.runtime.Worker'])
    assert.equal(levels.effectiveLevel('org.apache.kafka.connect.runtime.WorkerSourceTask'), 'INFO')
  })

  it('reports last_modified only for loggers changed at runtime, with the time of the change', () => {
    const { levels, advance } = levelsAt()
    levels.register('org.apache.kafka.clients')
    assert.deepEqual(levels.level('org.apache.kafka.clients'), { level: 'INFO', last_modified: null })
    advance(500)
    levels.setLevel('org.apache.kafka.clients', 'WARN')
    assert.deepEqual(levels.level('org.apache.kafka.clients'), { level: 'WARN', last_modified: 1_500 })
    assert.deepEqual(levels.level('root'), { level: 'INFO', last_modified: null })
  })

  it('knows only loggers that exist or were set, and root under either of its names', () => {
    const { levels } = levelsAt('WARN')
    assert.equal(levels.level('com.example.Nobody'), null)
    assert.deepEqual(levels.level('ROOT'), { level: 'WARN', last_modified: null })
    assert.deepEqual(levels.level(''), { level: 'WARN', last_modified: null })
  })

  it('sets every logger when root is set, and lists all but those turned OFF', () => {
    const { levels } = levelsAt()
    levels.register('a.b')
    levels.setLevel('c', 'OFF')
    assert.deepEqual(Object.keys(levels.allLevels()), ['a.b', 'root'])
    assert.deepEqual(levels.setLevel('root', 'DEBUG'), ['a.b', 'c', 'root'])
    assert.equal(levels.effectiveLevel('c'), 'DEBUG')
  })

  it('tells listeners of every change', () => {
    const { levels } = levelsAt()
    let calls = 0
    const unsubscribe = levels.onChange(() => calls++)
    levels.setLevel('x', 'DEBUG')
    unsubscribe()
    levels.setLevel('x', 'INFO')
    assert.equal(calls, 1)
  })
})
