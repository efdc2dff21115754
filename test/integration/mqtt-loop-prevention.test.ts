import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'

describe('a source and a sink bridging the same broker do not loop', () => {
  const bridge = useBridge()
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'loop-test', logLevel: logLevel.NOTHING })

  it('stamps bridged records with mqtt.origin, and the sink publishes only what did not come from its broker', async () => {
    const topic = `loop-${Date.now()}`
    const subscriber = await connectAsync(bridge.mosquitto.url, { clientId: 'loop-observer' })
    const seen: string[] = []
    subscriber.on('message', (mqttTopic, payload) => seen.push(`${mqttTopic}=${payload.toString()}`))
    await subscriber.subscribeAsync('bridge/#', { qos: 1 })

    for (const [name, config] of [
      ['loop-source', { 'connector.class': 'MqttSource', 'mqtt.topics': 'bridge/#', 'kafka.topic': topic }],
      ['loop-sink', { 'connector.class': 'MqttSink', topics: topic, 'mqtt.topic': 'bridge/from-kafka/${key}', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' }],
    ] as const) {
      const created = await restCall(bridge.worker.url, 'POST', '/connectors', { name, config: { ...config, 'mqtt.server.uri': bridge.mosquitto.url } })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    assert.ok(
      await waitFor(
        async () =>
          (await Promise.all(['loop-source', 'loop-sink'].map((name) => restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', `/connectors/${name}/status`)))).every(
            ({ body }) => body.tasks[0]?.state === 'RUNNING',
          ),
        { timeoutMs: 30_000 },
      ),
    )

    // One message enters from MQTT, one from Kafka; each would circle forever without loop prevention.
    await publishPayloads(bridge.mosquitto.url, [['bridge/device-1', 'from-mqtt']])
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic, messages: [{ key: 'k1', value: 'from-kafka' }] })
    await producer.disconnect()

    // The Kafka topic settles at three records: the MQTT message, the Kafka one, and the Kafka one bridged back in.
    const records = await readTopic(topic, (all) => all.length >= 3)
    assert.equal(records.length, 3)
    assert.equal(records.find(({ value }) => value?.toString() === 'from-mqtt')?.headers['mqtt.origin'], `127.0.0.1:${bridge.mosquitto.port}`)

    // Once the sink has committed all three, it has decided about each of them.
    const admin = kafka.admin()
    await admin.connect()
    const committed = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: 'connect-loop-sink', topics: [topic] })
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0)
    }
    assert.ok(await waitFor(async () => (await committed()) >= 3, { timeoutMs: 30_000 }), 'the sink processed all three records')
    await admin.disconnect()
    await subscriber.endAsync()

    assert.deepEqual(seen.sort(), ['bridge/device-1=from-mqtt', 'bridge/from-kafka/k1=from-kafka'])
  })
})
