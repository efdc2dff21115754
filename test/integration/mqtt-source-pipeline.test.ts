import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads, publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'
import { waitFor } from '../../scripts/infra/wait.ts'

const MESSAGES = 10_000

describe('MQTT source connector, end to end through a real Mosquitto and a real Kafka', () => {
  const bridge = useBridge()

  it('delivers 10,000 QoS 1 messages to Kafka exactly once, keyed by MQTT topic, with the mqtt.* headers', async () => {
    const topic = `sensors-${Date.now()}`
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: 'pipeline',
      config: {
        'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
        'mqtt.server.uri': `tcp://127.0.0.1:${bridge.mosquitto.port}`,
        'mqtt.topics': 'plant/+/temperature',
        'mqtt.qos': '1',
        'kafka.topic': topic,
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', '/connectors/pipeline/status')).body.tasks[0]?.state === 'RUNNING', { timeoutMs: 20_000 }))

    await publishSequence(bridge.mosquitto.url, (n) => `plant/line-${n % 4}/temperature`, { count: MESSAGES, qos: 1 })
    const records = await readTopic(topic, (all) => new Set(all.map(({ value }) => sequenceOf(value))).size >= MESSAGES)

    const counts = new Map<number, number>()
    for (const { value } of records) counts.set(sequenceOf(value), (counts.get(sequenceOf(value)) ?? 0) + 1)
    const missing = Array.from({ length: MESSAGES }, (_, n) => n).filter((n) => !counts.has(n))
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([n]) => n)
    assert.deepEqual(missing, [], 'every sequence number arrives')
    assert.deepEqual(duplicated, [], 'no sequence number arrives twice')
    assert.equal(records.length, MESSAGES)

    const sample = records.find(({ value }) => sequenceOf(value) === 4242)!
    assert.equal(sample.key, 'plant/line-2/temperature')
    assert.equal(sample.value?.toString('utf8'), 'seq=4242')
    assert.equal(sample.headers['mqtt.topic'], 'plant/line-2/temperature')
    assert.equal(sample.headers['mqtt.qos'], '1')
    assert.equal(sample.headers['mqtt.retained'], 'false')
    assert.equal(sample.headers['mqtt.duplicate'], 'false')
    assert.match(sample.headers['mqtt.message.id'] ?? '', /^\d+$/)
  })

  it('drains a QoS 0 backlog in full polls without exceeding the broker request size limit', async () => {
    const topic = `backlog-${Date.now()}`
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: 'backlog',
      initial_state: 'PAUSED',
      config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': bridge.mosquitto.url, 'mqtt.topics': 'backlog/#', 'mqtt.qos': '0', 'kafka.topic': topic },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', '/connectors/backlog/status')).body.tasks[0]?.state === 'PAUSED', { timeoutMs: 20_000 }))
    // While paused the task buffers without polling; 8,000 messages of 400 bytes make polls of 4,096 records, about 2 MB.
    const padding = 'x'.repeat(400)
    await publishPayloads(
      bridge.mosquitto.url,
      Array.from({ length: 8_000 }, (_, n) => [`backlog/${n % 3}`, `seq=${n};${padding}`] as const),
      0,
    )
    assert.equal((await restCall(bridge.worker.url, 'PUT', '/connectors/backlog/resume')).status, 202)
    const records = await readTopic(topic, (all) => all.length >= 8_000)
    assert.equal(new Set(records.map(({ value }) => value!.toString().split(';')[0])).size, 8_000)
    assert.equal((await restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', '/connectors/backlog/status')).body.tasks[0]?.state, 'RUNNING')
  })
})
