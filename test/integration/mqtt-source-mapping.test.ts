import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { connectAsync } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads, publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'

interface Status {
  tasks: { id: number; state: string }[]
}

describe('MQTT source: topic and key templates, shared subscriptions, MQTT 5 properties', () => {
  const bridge = useBridge()
  const create = async (name: string, config: Record<string, string>, runningTasks = 1) => {
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': bridge.mosquitto.url, ...config } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(
      await waitFor(
        async () => {
          const { tasks } = (await restCall<Status>(bridge.worker.url, 'GET', `/connectors/${name}/status`)).body
          return tasks.length === runningTasks && tasks.every(({ state }) => state === 'RUNNING')
        },
        { timeoutMs: 20_000 },
      ),
    )
  }

  it('derives the Kafka topic from filter captures and the key from a capture and a payload field', async () => {
    await create('mapped', {
      'mqtt.topics': 'plants/{site}/+/temperature',
      'kafka.topic': 'iot.{site}.temperature',
      'kafka.key': '{site}-{payload.device.id}',
    })
    await publishPayloads(bridge.mosquitto.url, [
      ['plants/lyon/t1/temperature', '{"device":{"id":"t1"},"value":21}'],
      ['plants/san jose/t2/temperature', '{"device":{"id":"t2"},"value":19}'],
    ])
    const lyon = await readTopic('iot.lyon.temperature', (records) => records.length >= 1)
    assert.equal(lyon[0]?.key, 'lyon-t1')
    const sanJose = await readTopic('iot.san_jose.temperature', (records) => records.length >= 1)
    assert.equal(sanJose[0]?.key, 'san jose-t2', 'a forbidden character in the topic becomes _, the key keeps it')
  })

  it('rejects a kafka.topic template that uses a capture some filter lacks, naming kafka.topic', async () => {
    const response = await restCall<{ message: string }>(bridge.worker.url, 'POST', '/connectors', {
      name: 'half-mapped',
      config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': bridge.mosquitto.url, 'mqtt.topics': 'a/{site},b/+', 'kafka.topic': 'x.{site}' },
    })
    assert.equal(response.status, 400)
    assert.match(response.body.message, /kafka\.topic: \{site\} is not captured by b\/\+/)
  })

  it('with tasks.max=2 shares the subscription: two tasks, every message exactly once', async () => {
    const topic = `shared-${Date.now()}`
    await create('shared', { 'tasks.max': '2', 'mqtt.topics': 'shared/#', 'kafka.topic': topic }, 2)
    await publishSequence(bridge.mosquitto.url, (n) => `shared/${n % 10}`, { count: 2_000 })
    const records = await readTopic(topic, (all) => all.length >= 2_000)
    const seen = new Set(records.map(({ value }) => sequenceOf(value)))
    assert.equal(seen.size, 2_000)
    assert.equal(records.length, 2_000, 'the broker hands each message to one task only')
  })

  it('with mqtt.version=5 turns user properties, content type, response topic and correlation data into headers', async () => {
    const topic = `v5-${Date.now()}`
    await create('v5', { 'mqtt.version': '5', 'mqtt.topics': 'v5/#', 'kafka.topic': topic })
    const publisher = await connectAsync(bridge.mosquitto.url, { protocolVersion: 5, clientId: 'v5-publisher' })
    await publisher.publishAsync('v5/request', 'ping', {
      qos: 1,
      properties: {
        userProperties: { site: 'lyon', shift: ['early', 'late'] },
        contentType: 'text/plain',
        responseTopic: 'v5/response',
        correlationData: Buffer.from('c0ffee', 'hex'),
      },
    })
    await publisher.endAsync()
    const [record] = await readTopic(topic, (records) => records.length >= 1)
    assert.equal(record?.headers.site, 'lyon')
    assert.equal(record?.headers.shift, 'early,late')
    assert.equal(record?.headers['mqtt.content.type'], 'text/plain')
    assert.equal(record?.headers['mqtt.response.topic'], 'v5/response')
    // Bytes headers go through SimpleHeaderConverter, which writes them as base64 as Kafka's does.
    assert.equal(record?.headers['mqtt.correlation.data'], Buffer.from('c0ffee', 'hex').toString('base64'))
  })
})
