import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { builtinPlugins } from '../../../app/builtin-plugins.ts'
import { configProvidersFrom } from '../../../src/config/config-providers.ts'
import { ConnectorClassError, validateConnectorConfig } from '../../../src/config/validate.ts'

const source = {
  name: 'sensors',
  'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
  'mqtt.server.uri': 'tcp://localhost:1883',
  'mqtt.topics': 'sensors/#',
  'kafka.topic': 'sensors',
  'mqtt.username': 'bob',
  'mqtt.password': 'hunter2-secret',
}

const valueOf = (infos: Awaited<ReturnType<typeof validateConnectorConfig>>['infos'], key: string) => infos.configs.find(({ value }) => value.name === key)?.value

describe('validation keeps secrets out of its answers', () => {
  it('shows a PASSWORD value as [hidden] in /config/validate, as Kafka Connect does', async () => {
    const { infos } = await validateConnectorConfig(builtinPlugins, source)
    assert.equal(valueOf(infos, 'mqtt.password')?.value, '[hidden]')
    assert.equal(valueOf(infos, 'mqtt.username')?.value, 'bob')
    assert.doesNotMatch(JSON.stringify(infos), /hunter2-secret/)
  })

  it('does not quote a password in the error of a key it refuses', async () => {
    const { problems, infos } = await validateConnectorConfig(builtinPlugins, {
      ...source,
      'mqtt.server.uri': 'http://bob:uri-secret@localhost',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': 'http://registry',
      'value.converter.basic.auth.credentials.source': 'USER_INFO',
      'value.converter.basic.auth.user.info': 'no-colon-secret',
    })
    assert.deepEqual(problems.map(({ key }) => key).sort(), ['mqtt.server.uri', 'value.converter.basic.auth.user.info'])
    const answer = JSON.stringify({ problems, infos })
    assert.doesNotMatch(answer, /hunter2-secret|uri-secret|no-colon-secret/)
  })

  it('hides secrets in the 400 of a config that names no connector class', async () => {
    const { 'connector.class': _omitted, ...config } = { ...source, 'mqtt.server.uri': 'tcp://bob:uri-secret@h' }
    await assert.rejects(validateConnectorConfig(builtinPlugins, config), (error: unknown) => {
      assert.ok(error instanceof ConnectorClassError)
      assert.match(error.message, /contains no connector type$/)
      assert.match(error.message, /"mqtt\.password":"\[hidden\]"/)
      assert.doesNotMatch(error.message, /hunter2-secret|uri-secret/)
      return true
    })
  })

  it('validates placeholders as a task would see them, without echoing what they resolved to', async () => {
    const providers = configProvidersFrom(
      { 'config.providers': 'env', 'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider' },
      { QOS: '7', PASSWORD: 'env-secret' },
    )
    const { problems, infos } = await validateConnectorConfig(builtinPlugins, { ...source, 'mqtt.qos': '${env:QOS}', 'mqtt.password': '${env:PASSWORD}' }, providers)
    assert.deepEqual(problems.map(({ key }) => key), ['mqtt.qos'])
    assert.equal(valueOf(infos, 'mqtt.qos')?.value, '${env:QOS}')
    assert.doesNotMatch(JSON.stringify(infos), /env-secret/)
  })

  it('reports a placeholder outside allowed.paths as an error of its key', async () => {
    const providers = configProvidersFrom({
      'config.providers': 'file',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'config.providers.file.param.allowed.paths': '/nonexistent/allowed',
    })
    const { problems } = await validateConnectorConfig(builtinPlugins, { ...source, 'mqtt.password': '${file:/etc/passwd:root}' }, providers)
    assert.deepEqual(problems.map(({ key }) => key), ['mqtt.password'])
    assert.match(problems[0]!.message, /\/etc\/passwd is not within config\.providers\.file\.param\.allowed\.paths/)
  })
})
