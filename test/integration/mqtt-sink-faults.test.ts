import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { createSequenceTopic } from '../harness/kafka-records.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { restCall } from '../harness/rest-client.ts'
import { createWorkerProcess } from '../harness/worker.ts'

const RECORDS = 10_000

describe('MQTT sink under worker faults, 10,000 QoS 1 records each', () => {
  let mosquitto: TestMosquitto
  let kafka: Kafka
  let admin: Admin

  before(async () => {
    mosquitto = await startTestMosquitto()
    kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'sink-faults', logLevel: logLevel.NOTHING })
    admin = kafka.admin()
    await admin.connect()
  })

  after(async () => {
    await admin?.disconnect()
    await mosquitto?.close()
  })

  /** A topic holding `seq=0` … `seq=9999`, a subscriber counting what the sink delivers, and a running sink. */
  const scenario = async (name: string) => {
    const topic = await createSequenceTopic('sink-fault', RECORDS, 1_000)
    const subscriber: MqttClient = await connectAsync(mosquitto.url, { clientId: `observer-${name}`, clean: true })
    const deliveries = new Map<number, number>()
    subscriber.on('message', (_topic, payload) => {
      const seq = Number(payload.toString().replace(/^seq=/, ''))
      deliveries.set(seq, (deliveries.get(seq) ?? 0) + 1)
    })
    await subscriber.subscribeAsync(`faults/${name}`, { qos: 1 })
    const worker = await createWorkerProcess({ 'offset.flush.interval.ms': '500' })
    const created = await restCall(worker.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSink', topics: topic, 'mqtt.server.uri': mosquitto.url, 'mqtt.topic': `faults/${name}` },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const committed = async (): Promise<number> => {
      const [offsets] = await admin.fetchOffsets({ groupId: `connect-${name}`, topics: [topic] })
      return Math.max(0, Number(offsets?.partitions[0]?.offset ?? -1))
    }
    return { worker, deliveries, committed, close: () => subscriber.endAsync() }
  }

  it('kill -9 mid-stream: nothing lost, and only records after the last commit are published again', async () => {
    const { worker, deliveries, committed, close } = await scenario('killed-sink')
    try {
      assert.ok(await waitFor(() => deliveries.size >= 2_000, { timeoutMs: 30_000 }))
      await worker.stop('SIGKILL')
      const committedAtCrash = await committed()
      await worker.start()
      assert.ok(await waitFor(() => deliveries.size >= RECORDS, { timeoutMs: 60_000 }), `${deliveries.size} of ${RECORDS} delivered`)
      assert.ok(await waitFor(async () => (await committed()) >= RECORDS, { timeoutMs: 30_000 }))

      const repeated = [...deliveries].filter(([, count]) => count > 1).map(([seq]) => seq)
      assert.ok(
        repeated.every((seq) => seq >= committedAtCrash),
        `a record committed before the crash was published again (commit at ${committedAtCrash})`,
      )
    } finally {
      await close()
      await worker.stop()
    }
  })

  it('SIGTERM mid-stream: nothing lost and nothing published twice', async () => {
    const { worker, deliveries, committed, close } = await scenario('stopped-sink')
    try {
      assert.ok(await waitFor(() => deliveries.size >= 2_000, { timeoutMs: 30_000 }))
      assert.equal(await worker.stop('SIGTERM'), 0)
      await worker.start()
      assert.ok(await waitFor(() => deliveries.size >= RECORDS, { timeoutMs: 60_000 }), `${deliveries.size} of ${RECORDS} delivered`)
      assert.ok(await waitFor(async () => (await committed()) >= RECORDS, { timeoutMs: 30_000 }))
      assert.deepEqual([...deliveries].filter(([, count]) => count > 1).map(([seq]) => seq), [])
    } finally {
      await close()
      await worker.stop()
    }
  })
})
