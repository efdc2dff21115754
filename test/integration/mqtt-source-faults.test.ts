import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { sleep, waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic, type ConsumedRecord } from '../harness/kafka-records.ts'
import { publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'
import type { WorkerProcess } from '../harness/worker.ts'

/** Mosquitto's max_inflight_messages in the test broker: the most a crash can leave sent to Kafka but unacknowledged. */
const IN_FLIGHT_WINDOW = 1_000
const MESSAGES = 10_000

interface Status {
  tasks: { state: string }[]
}

const taskState = async (worker: WorkerProcess, name: string): Promise<string | undefined> =>
  (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`).catch(() => ({ body: { tasks: [] } }))).body.tasks[0]?.state

const recordsIn = async (topic: string): Promise<number> => {
  const admin = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'faults-offsets', logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0)
  } finally {
    await admin.disconnect()
  }
}

const tally = (records: readonly ConsumedRecord[]) => {
  const counts = new Map<number, number>()
  for (const { value } of records) counts.set(sequenceOf(value), (counts.get(sequenceOf(value)) ?? 0) + 1)
  return {
    missing: Array.from({ length: MESSAGES }, (_, n) => n).filter((n) => !counts.has(n)),
    duplicates: [...counts.values()].reduce((sum, count) => sum + count - 1, 0),
  }
}

describe('MQTT source under faults, 10,000 QoS 1 messages each', () => {
  const bridge = useBridge()

  const createSource = async (name: string, topic: string) => {
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': bridge.mosquitto.url, 'mqtt.topics': `${name}/#`, 'kafka.topic': topic },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await taskState(bridge.worker, name)) === 'RUNNING', { timeoutMs: 20_000 }))
  }

  it('kill -9 of the worker mid-stream loses nothing, and repeats at most the in-flight window', async (context) => {
    const topic = `killed-${Date.now()}`
    await createSource('killed', topic)
    // Kill while the worker is surely mid-stream: it drains slower than the publisher fills the broker.
    const crash: { stopped?: Promise<unknown> } = {}
    await publishSequence(bridge.mosquitto.url, (n) => `killed/${n % 5}`, {
      count: MESSAGES,
      afterWindow: (published) => {
        if (published >= 3_000) crash.stopped ??= bridge.worker.stop('SIGKILL')
      },
    })
    await crash.stopped
    const atCrash = await recordsIn(topic)
    context.diagnostic(`${atCrash} records in Kafka when the worker was killed`)
    assert.ok(atCrash < MESSAGES, 'the worker died mid-stream')
    await bridge.worker.start()
    assert.ok(await waitFor(async () => (await taskState(bridge.worker, 'killed')) === 'RUNNING', { timeoutMs: 30_000 }), 'RUNNING again after the crash')

    const records = await readTopic(topic, (all) => tally(all).missing.length === 0)
    const { missing, duplicates } = tally(records)
    assert.deepEqual(missing, [], 'no sequence number is missing')
    context.diagnostic(`${duplicates} duplicates after kill -9`)
    assert.ok(duplicates <= IN_FLIGHT_WINDOW, `${duplicates} duplicates, more than the in-flight window of ${IN_FLIGHT_WINDOW}`)
  })

  it('a 10 s Mosquitto outage mid-stream loses nothing, and the task stays RUNNING while it reconnects', async (context) => {
    if (bridge.mosquitto.external) return context.skip('MQTT_URL points at a broker this test cannot restart')
    const topic = `outage-${Date.now()}`
    await createSource('outage', topic)
    // Stop the broker the moment the first half is published, while the worker is still draining it.
    await publishSequence(bridge.mosquitto.url, (n) => `outage/${n % 5}`, { count: MESSAGES / 2 })
    await bridge.mosquitto.stop()
    await sleep(3_000)
    assert.equal(await taskState(bridge.worker, 'outage'), 'RUNNING', 'the task keeps running while the broker is away')
    await sleep(7_000)
    await bridge.mosquitto.start()
    await publishSequence(bridge.mosquitto.url, (n) => `outage/${n % 5}`, { count: MESSAGES / 2, from: MESSAGES / 2 })

    const records = await readTopic(topic, (all) => tally(all).missing.length === 0)
    assert.deepEqual(tally(records).missing, [], 'no sequence number is missing')
    context.diagnostic(`${tally(records).duplicates} duplicates after the outage`)
    assert.equal(await taskState(bridge.worker, 'outage'), 'RUNNING')
  })

  it('fails the task with a readable trace once an outage outlasts mqtt.reconnect.give.up.seconds', async (context) => {
    if (bridge.mosquitto.external) return context.skip('MQTT_URL points at a broker this test cannot restart')
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: 'impatient',
      config: {
        'connector.class': 'MqttSource',
        'mqtt.server.uri': bridge.mosquitto.url,
        'mqtt.topics': 'impatient/#',
        'kafka.topic': 'impatient',
        'mqtt.reconnect.give.up.seconds': '3',
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await taskState(bridge.worker, 'impatient')) === 'RUNNING', { timeoutMs: 20_000 }))
    await bridge.mosquitto.stop()
    try {
      assert.ok(await waitFor(async () => (await taskState(bridge.worker, 'impatient')) === 'FAILED', { timeoutMs: 30_000 }))
      const { body } = await restCall<{ tasks: { trace?: string }[] }>(bridge.worker.url, 'GET', '/connectors/impatient/status')
      assert.match(body.tasks[0]?.trace ?? '', /Lost the connection to MQTT broker mqtt:\/\/127\.0\.0\.1:\d+ and could not reconnect within 3 s/)
    } finally {
      await bridge.mosquitto.start()
    }
  })
})
