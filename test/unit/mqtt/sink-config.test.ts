import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mqttSinkConnector } from '../../../connectors/mqtt/sink-connector.ts'
import { mqttSinkConfigSchema } from '../../../connectors/mqtt/sink-config.ts'
import { parseConfig } from '../../../src/plugin/config.ts'
import { sinkSubscription } from '../../../src/config/sink-subscription.ts'
import { ConfigError } from '../../../src/plugin/errors.ts'

const base = { 'mqtt.server.uri': 'tcp://127.0.0.1:1883', topics: 'readings' }
const problemsOf = (raw: Record<string, string>) => {
  const parsed = parseConfig(mqttSinkConfigSchema, raw)
  return parsed.ok ? [] : parsed.problems
}

describe('MQTT sink config', () => {
  it('defaults to the Kafka topic, QoS 1, no retain, MQTT 3.1.1 and 1000 publishes in flight', () => {
    const parsed = parseConfig(mqttSinkConfigSchema, base)
    assert.ok(parsed.ok)
    assert.equal(parsed.value['mqtt.topic'], '${topic}')
    assert.equal(parsed.value['mqtt.qos'], 1)
    assert.equal(parsed.value['mqtt.retained.enabled'], false)
    assert.equal(parsed.value['mqtt.version'], '3.1.1')
    assert.equal(parsed.value['mqtt.max.in.flight'], 1000)
  })

  it('rejects a bad mqtt.topic template on that key, with the reason', () => {
    const [problem] = problemsOf({ ...base, 'mqtt.topic': 'plant/${partition}' })
    assert.equal(problem?.key, 'mqtt.topic')
    assert.match(problem?.message ?? '', /Invalid value plant\/\$\{partition\} for configuration mqtt\.topic: has an unknown placeholder/)
  })

  it('rejects topics together with topics.regex, and neither', () => {
    assert.match(problemsOf({ ...base, 'topics.regex': 'read.*' })[0]?.message ?? '', /mutually exclusive/)
    assert.deepEqual(
      problemsOf({ 'mqtt.server.uri': 'tcp://h' }).map(({ key }) => key),
      ['topics'],
    )
  })

  it('rejects an invalid topics.regex', () => {
    assert.equal(problemsOf({ 'mqtt.server.uri': 'tcp://h', 'topics.regex': '(' })[0]?.key, 'topics.regex')
  })

  it('rejects QoS 3 and an MQTT version it does not speak', () => {
    assert.deepEqual(problemsOf({ ...base, 'mqtt.qos': '3', 'mqtt.version': '3.1' }).map(({ key }) => key).sort(), ['mqtt.qos', 'mqtt.version'])
  })

  it('documents every key', () => {
    for (const [key, member] of Object.entries(mqttSinkConfigSchema.shape)) {
      const meta = (member as { meta(): { description?: string } | undefined }).meta()
      assert.ok((meta?.description ?? '').length > 0, `${key} has no description`)
    }
  })

  it('gives each of several tasks its own client id when one is configured', () => {
    const raw = { ...base, 'mqtt.client.id': 'bridge' }
    const parsed = parseConfig(mqttSinkConfigSchema, raw)
    assert.ok(parsed.ok)
    assert.deepEqual(mqttSinkConnector.taskConfigs(parsed.value, raw, 3).map((config) => config['mqtt.client.id']), ['bridge-0', 'bridge-1', 'bridge-2'])
    assert.deepEqual(mqttSinkConnector.taskConfigs(parsed.value, raw, 1).map((config) => config['mqtt.client.id']), ['bridge'])
  })

  it('subscribes the consumer to the listed topics, or to a pattern matching whole topic names', () => {
    assert.deepEqual(sinkSubscription({ topics: 'a, b' }), { topics: ['a', 'b'] })
    const subscription = sinkSubscription({ 'topics.regex': 'sensor\\..*' })
    assert.ok('pattern' in subscription)
    assert.ok(subscription.pattern.test('sensor.temp'))
    assert.ok(!subscription.pattern.test('xsensor.temp'))
    assert.throws(() => sinkSubscription({}), /Must configure one of topics or topics.regex/)
    const javaFlags = sinkSubscription({ 'topics.regex': '(?i)SENSOR\\..*' })
    assert.ok('pattern' in javaFlags && javaFlags.pattern.test('sensor.temp'), "Java's leading (?i) is understood, as Kafka's consumer reads it")
    assert.throws(() => sinkSubscription({ topics: 'a', 'topics.regex': 'b' }), (error: unknown) => error instanceof ConfigError && error.key === 'topics.regex')
    assert.deepEqual(problemsOf({ ...base, topics: '', 'topics.regex': 'a++' }).map(({ key }) => key), ['topics.regex'], 'a possessive quantifier JS cannot mean is refused')
  })
})
