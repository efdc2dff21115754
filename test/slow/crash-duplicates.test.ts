import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { waitFor } from '../../scripts/infra/wait.ts'
import { useBridge } from '../harness/bridge.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic, type ConsumedRecord } from '../harness/kafka-records.ts'
import { startMqttPacketCounter, type MqttPacketCounter } from '../harness/mqtt-packet-counter.ts'
import { publishSequence, tallySequences } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import type { WorkerProcess } from '../harness/worker.ts'

const MESSAGES = 50_000
/** The source's `records.buffer.queue.max.batch.size` default: the most records one poll sends to Kafka at once. */
const POLL_BATCH = 4_096
/**
 * Mosquitto's max_inflight_messages in the test broker, allowed for acknowledgements on their way at the kill: PUBACKs
 * the worker wrote that Mosquitto had not read yet. (It does not bound what Mosquitto sends a worker that stops
 * reading: Mosquitto 2.0 counts a message in flight only once it could write it, so the window leaks under backpressure.)
 */
const IN_FLIGHT_WINDOW = 1_000

interface Status {
  tasks: { state: string }[]
}

const taskState = async (worker: WorkerProcess, name: string): Promise<string | undefined> =>
  (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`).catch(() => ({ body: { tasks: [] } }))).body.tasks[0]?.state

const tally = (records: readonly ConsumedRecord[]) => tallySequences(records, MESSAGES)

describe('MQTT source under a fast QoS 1 stream of 50,000 messages', () => {
  const bridge = useBridge()
  let admin: Admin
  let counter: MqttPacketCounter

  before(async () => {
    admin = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'crash-duplicates', logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    counter = await startMqttPacketCounter(bridge.mosquitto.port)
  })

  after(async () => {
    await counter?.close()
    await admin?.disconnect()
  })

  const recordsIn = async (topic: string): Promise<number> =>
    (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0)

  const createSource = async (name: string, topic: string, serverUri: string): Promise<void> => {
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': serverUri, 'mqtt.topics': `${name}/#`, 'kafka.topic': topic },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await taskState(bridge.worker, name)) === 'RUNNING', { timeoutMs: 20_000 }))
  }

  it('PUBACKs what Kafka acknowledged promptly: they trail Kafka by at most one poll batch', async (context) => {
    const name = 'acking-source'
    const topic = `acking-${Date.now()}`
    // The worker reaches Mosquitto through a relay that counts the PUBACKs it really sent.
    await createSource(name, topic, counter.url)
    let publishing = true
    let largestLag = 0
    let samples = 0
    const sampling = (async () => {
      while (publishing) {
        // Kafka first: every PUBACK counted after it is for a record Kafka already had.
        const inKafka = await recordsIn(topic)
        largestLag = Math.max(largestLag, inKafka - counter.counts().pubacksToBroker)
        samples++
      }
    })()
    await publishSequence(bridge.mosquitto.url, (n) => `${name}/${n % 5}`, { count: MESSAGES })
    assert.ok(await waitFor(async () => (await recordsIn(topic)) >= MESSAGES, { timeoutMs: 120_000 }), 'every message reaches Kafka')
    publishing = false
    await sampling
    context.diagnostic(`PUBACKs trailed Kafka by at most ${largestLag} records over ${samples} samples`)
    assert.ok(largestLag <= POLL_BATCH, `PUBACKs trailed Kafka by ${largestLag} records, more than one poll batch (${POLL_BATCH})`)
    assert.equal((await restCall(bridge.worker.url, 'DELETE', `/connectors/${name}`)).status, 204)
  })

  it('kill -9 mid-stream loses nothing and repeats at most one poll batch plus the broker in-flight window', async (context) => {
    const name = 'crashing-source'
    const topic = `crash-${Date.now()}`
    await createSource(name, topic, bridge.mosquitto.url)
    let published = 0
    const publishing = publishSequence(bridge.mosquitto.url, (n) => `${name}/${n % 5}`, { count: MESSAGES, afterWindow: (count) => void (published = count) })
    // Kill once a good part of the stream is in Kafka, while the publisher is still sending.
    assert.ok(await waitFor(async () => (await recordsIn(topic)) >= MESSAGES * 0.3, { timeoutMs: 120_000, intervalMs: 20 }), 'the stream reached Kafka')
    const publishedAtKill = published
    await bridge.worker.stop('SIGKILL')
    const inKafkaAtKill = await recordsIn(topic)
    context.diagnostic(`at the kill: ${publishedAtKill} published and acknowledged by Mosquitto, ${inKafkaAtKill} in Kafka`)
    assert.ok(publishedAtKill < MESSAGES && inKafkaAtKill < MESSAGES, 'the kill landed mid-stream')
    await publishing

    await bridge.worker.start()
    assert.ok(await waitFor(async () => (await taskState(bridge.worker, name)) === 'RUNNING', { timeoutMs: 30_000 }), 'RUNNING again after the crash')
    const records = await readTopic(topic, (all) => all.length >= MESSAGES && tally(all).missing.length === 0, 120_000)
    const { missing, duplicates } = tally(records)
    assert.deepEqual(missing, [], 'no sequence number is missing')
    context.diagnostic(`${duplicates} duplicates after kill -9 (bound ${POLL_BATCH + IN_FLIGHT_WINDOW})`)
    assert.ok(duplicates <= POLL_BATCH + IN_FLIGHT_WINDOW, `${duplicates} duplicates, more than a poll batch plus the in-flight window`)
  })
})
