import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConnectorClassError, invalidConfigMessage, validateConnectorConfig } from '../../../src/config/validate.ts'
import { builtinPlugins } from '../../../app/builtin-plugins.ts'

const valid = {
  name: 'sensors',
  'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
  'mqtt.server.uri': 'tcp://localhost:1883',
  'mqtt.topics': 'sensors/#',
  'kafka.topic': 'sensors',
}

describe('connector config validation', () => {
  it('accepts a Confluent MQTT source config unchanged', async () => {
    const { problems, plugin } = await validateConnectorConfig(builtinPlugins, valid)
    assert.deepEqual(problems, [])
    assert.equal(plugin.type, 'source')
  })

  it('reports every bad key at once, each naming its key', async () => {
    const { problems, infos } = await validateConnectorConfig(builtinPlugins, { ...valid, 'mqtt.qos': '3', 'tasks.max': '0', 'mqtt.server.uri': 'http://x' })
    assert.deepEqual(problems.map(({ key }) => key).sort(), ['mqtt.qos', 'mqtt.server.uri', 'tasks.max'])
    assert.equal(infos.error_count, 3)
    assert.match(invalidConfigMessage(problems), /^Connector configuration is invalid and contains the following 3 error\(s\):\n/)
  })

  it('says which key is missing', async () => {
    const { 'kafka.topic': _omitted, ...config } = valid
    const { problems } = await validateConnectorConfig(builtinPlugins, config)
    assert.deepEqual(problems, [{ key: 'kafka.topic', message: 'Missing required configuration "kafka.topic" which has no default value.' }])
  })

  it('names an unknown converter class', async () => {
    const { problems } = await validateConnectorConfig(builtinPlugins, { ...valid, 'key.converter': 'com.example.Nope' })
    assert.deepEqual(problems, [{ key: 'key.converter', message: 'Invalid value com.example.Nope for configuration key.converter: Class com.example.Nope could not be found.' }])
  })

  it('passes converter options to the converter, which rejects bad ones under their full key', async () => {
    const { problems } = await validateConnectorConfig(builtinPlugins, {
      ...valid,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'maybe',
    })
    assert.equal(problems.length, 1)
    assert.equal(problems[0]?.key, 'value.converter.schemas.enable')
  })

  it('refuses a config with no connector.class before anything else', async () => {
    const { 'connector.class': _omitted, ...config } = valid
    await assert.rejects(validateConnectorConfig(builtinPlugins, config), ConnectorClassError)
  })

  it('finds a connector by its simple class name or alias', async () => {
    for (const name of ['MqttSourceConnector', 'MqttSource', 'io.mqttkafka.connect.mqtt.MqttSourceConnector']) {
      assert.equal((await validateConnectorConfig(builtinPlugins, { ...valid, 'connector.class': name })).problems.length, 0, name)
    }
  })

  it('reports every problem of the converters a config names, under their full keys, and lists their keys', async () => {
    const { problems, infos } = await validateConnectorConfig(builtinPlugins, {
      ...valid,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'maybe',
      'value.converter.decimal.format': 'ROMAN',
    })
    assert.deepEqual(problems.map(({ key }) => key).sort(), ['value.converter.decimal.format', 'value.converter.schemas.enable'])
    assert.match(problems.find(({ key }) => key === 'value.converter.schemas.enable')!.message, /^Invalid value maybe for configuration value\.converter\.schemas\.enable: /)
    const listed = infos.configs.map(({ definition }) => definition.name)
    assert.ok(listed.includes('value.converter.schemas.enable') && listed.includes('value.converter.decimal.format'), 'the converter keys are in the ConfigInfos')
    assert.equal(infos.configs.find(({ definition }) => definition.name === 'value.converter.schemas.enable')?.value.errors.length, 1)
  })
})
