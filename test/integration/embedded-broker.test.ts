import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { startEmbeddedMqttBroker, type EmbeddedMqttBroker } from '../../scripts/infra/embedded-mqtt.ts'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

interface Status {
  tasks: { state: string; trace?: string }[]
}

// The quickstart's broker on a machine without Mosquitto. Every other test runs against a real Mosquitto.
describe('the MQTT connectors against the embedded broker of the quickstart (aedes)', () => {
  let broker: EmbeddedMqttBroker
  let worker: WorkerProcess
  let admin: Admin
  let producer: Producer

  const createConnector = async (name: string, config: Record<string, string>): Promise<void> => {
    const created = await restCall(worker.url, 'POST', '/connectors', { name, config: { 'mqtt.server.uri': broker.url, ...config } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const running = async (): Promise<boolean> => (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`)).body.tasks[0]?.state === 'RUNNING'
    assert.ok(await waitFor(running, { timeoutMs: 20_000 }), JSON.stringify((await restCall(worker.url, 'GET', `/connectors/${name}/status`)).body))
  }

  before(async () => {
    broker = await startEmbeddedMqttBroker({ port: 0 })
    worker = await createWorkerProcess()
    const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'test-embedded-broker', logLevel: logLevel.NOTHING })
    admin = kafka.admin()
    producer = kafka.producer()
    await Promise.all([admin.connect(), producer.connect()])
  })

  after(async () => {
    await producer?.disconnect()
    await admin?.disconnect()
    await worker?.stop()
    await broker?.stop()
  })

  it('brings MQTT messages published at QoS 1 into Kafka, in order, keyed by MQTT topic', async () => {
    const topic = `embedded-source-${randomUUID().slice(0, 8)}`
    await createConnector('embedded-source', { 'connector.class': 'MqttSource', 'mqtt.topics': 'sensors/#', 'kafka.topic': topic, 'mqtt.qos': '1' })
    await publishPayloads(broker.url, [
      ['sensors/a/temperature', '21.5'],
      ['sensors/b/temperature', '19.0'],
      ['sensors/a/temperature', '21.7'],
    ])
    const records = await readTopic(topic, (all) => all.length >= 3, 30_000)
    assert.deepEqual(
      records.map(({ key, value }) => [key, value?.toString()]),
      [
        ['sensors/a/temperature', '21.5'],
        ['sensors/b/temperature', '19.0'],
        ['sensors/a/temperature', '21.7'],
      ],
    )
  })

  it('publishes Kafka records to the MQTT topic its ${key} template names', async () => {
    const topic = `embedded-sink-${randomUUID().slice(0, 8)}`
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic }] })
    const subscriber: MqttClient = await connectAsync(broker.url, { clientId: `test-embedded-subscriber-${randomUUID().slice(0, 8)}`, clean: true })
    const received: [string, string][] = []
    subscriber.on('message', (mqttTopic, payload) => received.push([mqttTopic, payload.toString('utf8')]))
    try {
      await subscriber.subscribeAsync('actuators/#', { qos: 1 })
      await createConnector('embedded-sink', { 'connector.class': 'MqttSink', topics: topic, 'mqtt.topic': 'actuators/${key}/set', 'mqtt.qos': '1' })
      await producer.send({ topic, acks: -1, messages: [{ key: 'valve-1', value: 'open' }, { key: 'valve-2', value: 'closed' }] })
      assert.ok(await waitFor(() => received.length >= 2, { timeoutMs: 30_000 }), JSON.stringify(received))
      assert.deepEqual(received, [
        ['actuators/valve-1/set', 'open'],
        ['actuators/valve-2/set', 'closed'],
      ])
    } finally {
      await subscriber.endAsync()
    }
  })
})
