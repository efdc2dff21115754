import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { waitFor } from '../../scripts/infra/wait.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'

describe('a user transformation loaded from plugin.path', () => {
  const bridge = useBridge({ 'plugin.path': join(projectRoot, 'examples/plugins') })

  it('is listed by GET /connector-plugins', async () => {
    const { body } = await restCall<{ class: string; type: string; version: string }[]>(bridge.worker.url, 'GET', '/connector-plugins?connectorsOnly=false')
    assert.deepEqual(
      body.find(({ class: className }) => className === 'com.example.StringFilter'),
      { class: 'com.example.StringFilter', type: 'transformation', version: '1.0.0' },
    )
  })

  it('is referenced by name in connector JSON and filters MQTT payloads', async () => {
    const topic = `filtered-${Date.now()}`
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: 'filtered',
      config: {
        'connector.class': 'MqttSource',
        'mqtt.server.uri': bridge.mosquitto.url,
        'mqtt.topics': 'alarms/#',
        'kafka.topic': topic,
        transforms: 'only',
        'transforms.only.type': 'StringFilter',
        'transforms.only.pattern': 'CRITICAL',
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(
      await waitFor(async () => (await restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', '/connectors/filtered/status')).body.tasks[0]?.state === 'RUNNING', {
        timeoutMs: 20_000,
      }),
    )
    await publishPayloads(bridge.mosquitto.url, [
      ['alarms/pump', 'INFO pump started'],
      ['alarms/pump', 'CRITICAL pump overheating'],
      ['alarms/fan', 'WARN fan slow'],
      ['alarms/fan', 'CRITICAL fan stopped'],
    ])
    const records = await readTopic(topic, (all) => all.length >= 2, 20_000)
    assert.deepEqual(records.map(({ value }) => value?.toString()), ['CRITICAL pump overheating', 'CRITICAL fan stopped'])
  })

  it("rejects the plugin's bad config with a 400 naming the full key", async () => {
    const response = await restCall<{ error_code: number; message: string }>(bridge.worker.url, 'POST', '/connectors', {
      name: 'bad-filter',
      config: {
        'connector.class': 'MqttSource',
        'mqtt.server.uri': bridge.mosquitto.url,
        'mqtt.topics': 'alarms/#',
        'kafka.topic': 'never',
        transforms: 'only',
        'transforms.only.type': 'StringFilter',
        'transforms.only.pattern': '([unclosed',
      },
    })
    assert.equal(response.status, 400)
    assert.match(response.body.message, /transforms\.only\.pattern/)
  })
})
