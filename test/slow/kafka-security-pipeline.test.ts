import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { saslWorkerSettings, startSecureKafka, type SecureKafka } from '../harness/secure-kafka.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

const MESSAGES = 10_000

interface Status {
  tasks: { id: number; state: string; trace?: string }[]
}

describe('an MQTT bridge whose worker reaches Kafka only over SASL_SSL with SCRAM-SHA-512', () => {
  let kafka: SecureKafka
  let mosquitto: TestMosquitto
  let worker: WorkerProcess

  before(async () => {
    kafka = await startSecureKafka()
    // The test's own readers and writers (readTopic) use the broker's PLAINTEXT listener; the worker never does.
    process.env.KAFKA_BOOTSTRAP_SERVERS = kafka.plaintextBootstrap
    mosquitto = await startTestMosquitto()
    worker = await createWorkerProcess(saslWorkerSettings(kafka, 'SCRAM-SHA-512', kafka.users.scram512))
  })

  after(async () => {
    await worker?.stop()
    await mosquitto?.close()
    await kafka?.close()
  })

  const taskState = async (name: string) => (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`)).body.tasks?.[0]
  const untilRunning = async (name: string): Promise<void> => {
    const running = await waitFor(async () => (await taskState(name))?.state === 'RUNNING', { timeoutMs: 30_000 })
    assert.ok(running, JSON.stringify(await taskState(name)))
  }
  const create = async (name: string, config: Record<string, string>) => restCall<{ message?: string }>(worker.url, 'POST', '/connectors', { name, config })

  it('creates its internal topics through the secured listener', async () => {
    const admin = new Kafka({ brokers: [kafka.plaintextBootstrap], logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    try {
      const topics = await admin.listTopics()
      for (const topic of Object.values(worker.topics)) assert.ok(topics.includes(topic), `${topic} exists`)
    } finally {
      await admin.disconnect()
    }
  })

  it(`carries ${MESSAGES.toLocaleString('en')} QoS 1 messages MQTT → Kafka → MQTT, none missing`, async () => {
    const id = randomUUID().slice(0, 8)
    const topic = `secured-${id}`
    const received = new Set<number>()
    const subscriber = await connectAsync(mosquitto.url, { clientId: `secured-subscriber-${id}`, clean: true })
    subscriber.on('message', (_topic, payload) => received.add(sequenceOf(payload)))
    await subscriber.subscribeAsync(`out-${id}/#`, { qos: 1 })
    try {
      const source = { 'connector.class': 'MqttSource', 'mqtt.server.uri': mosquitto.url, 'mqtt.topics': `in-${id}/#`, 'mqtt.qos': '1', 'kafka.topic': topic }
      assert.equal((await create(`source-${id}`, source)).status, 201)
      const sink = { 'connector.class': 'MqttSink', 'mqtt.server.uri': mosquitto.url, topics: topic, 'mqtt.topic': `out-${id}/reading`, 'mqtt.qos': '1' }
      assert.equal((await create(`sink-${id}`, sink)).status, 201)
      await untilRunning(`source-${id}`)
      await untilRunning(`sink-${id}`)

      await publishSequence(mosquitto.url, (n) => `in-${id}/device-${n % 8}`, { count: MESSAGES, qos: 1 })
      const records = await readTopic(topic, (read) => new Set(read.map(({ value }) => sequenceOf(value))).size >= MESSAGES, 120_000)
      const inKafka = new Set(records.map(({ value }) => sequenceOf(value)))
      const missingInKafka = Array.from({ length: MESSAGES }, (_, n) => n).filter((n) => !inKafka.has(n))
      assert.deepEqual(missingInKafka.slice(0, 10), [], `${missingInKafka.length} messages missing in Kafka`)

      assert.ok(await waitFor(() => received.size >= MESSAGES, { timeoutMs: 120_000 }), `the sink delivered ${received.size}`)
      assert.deepEqual(
        Array.from({ length: MESSAGES }, (_, n) => n).filter((n) => !received.has(n)),
        [],
      )
    } finally {
      await subscriber.endAsync()
    }
  })

  it('writes a record that fails conversion to the dead-letter topic, through the secured listener', async () => {
    const id = randomUUID().slice(0, 8)
    const topic = `secured-json-${id}`
    const deadLetters = `${topic}-dlq`
    const writer = new Kafka({ brokers: [kafka.plaintextBootstrap], logLevel: logLevel.NOTHING }).producer()
    await writer.connect()
    try {
      await writer.send({ topic, acks: -1, messages: [{ value: '{"ok": 1}' }, { value: 'not json' }, { value: '{"ok": 2}' }] })
    } finally {
      await writer.disconnect()
    }
    const created = await create(`dlq-${id}`, {
      'connector.class': 'MqttSink',
      'mqtt.server.uri': mosquitto.url,
      topics: topic,
      'mqtt.topic': `dlq-${id}/out`,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': deadLetters,
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const dead = await readTopic(deadLetters, (records) => records.length >= 1, 60_000)
    assert.deepEqual(dead.map(({ value }) => value?.toString()), ['not json'])
    assert.equal((await taskState(`dlq-${id}`))?.state, 'RUNNING')
  })

  it("leaves no password of the broker's users in the worker's log", () => {
    for (const password of kafka.secrets) assert.ok(!worker.log().includes(password), 'a password was logged')
  })
})
