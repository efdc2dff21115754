import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'

describe('loop prevention skips only what its source would read back', () => {
  const bridge = useBridge()
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'loop-rule-test', logLevel: logLevel.NOTHING })
  const id = randomUUID().slice(0, 8)

  const create = async (name: string, config: Record<string, string>): Promise<void> => {
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', { name, config: { ...config, 'mqtt.server.uri': bridge.mosquitto.url } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
  }
  const allRunning = (names: readonly string[]) =>
    waitFor(
      async () =>
        (await Promise.all(names.map((name) => restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', `/connectors/${name}/status`)))).every(
          ({ body }) => body.tasks[0]?.state === 'RUNNING',
        ),
      { timeoutMs: 30_000 },
    )
  const committed = async (groupId: string, topic: string): Promise<number> => {
    const admin = kafka.admin()
    await admin.connect()
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0)
    } finally {
      await admin.disconnect()
    }
  }

  it('relays in/# to out/... on the same broker, and stops a sink that would publish back into its source', async () => {
    const relayTopic = `relay-${id}`
    const loopTopic = `looping-${id}`
    const seen: string[] = []
    const observer = await connectAsync(bridge.mosquitto.url, { clientId: `loop-rule-observer-${id}` })
    observer.on('message', (mqttTopic, payload) => seen.push(`${mqttTopic}=${payload.toString()}`))
    await observer.subscribeAsync([`in-${id}/#`, `out-${id}/#`, `mirror-${id}/#`], { qos: 1 })

    // A relay: what the source reads under in/ the sink publishes under out/, which no source reads.
    await create(`relay-source-${id}`, { 'connector.class': 'MqttSource', 'mqtt.topics': `in-${id}/#`, 'kafka.topic': relayTopic })
    await create(`relay-sink-${id}`, { 'connector.class': 'MqttSink', topics: relayTopic, 'mqtt.topic': `out-${id}/relayed` })
    // A real loop: the sink publishes under mirror/, which its own source reads.
    await create(`mirror-source-${id}`, { 'connector.class': 'MqttSource', 'mqtt.topics': `mirror-${id}/+/{device}`, 'kafka.topic': loopTopic })
    await create(`mirror-sink-${id}`, { 'connector.class': 'MqttSink', topics: loopTopic, 'mqtt.topic': `mirror-${id}/back/device` })
    assert.ok(await allRunning([`relay-source-${id}`, `relay-sink-${id}`, `mirror-source-${id}`, `mirror-sink-${id}`]))

    await publishPayloads(bridge.mosquitto.url, [
      [`in-${id}/device-1`, 'reading'],
      [`mirror-${id}/front/device`, 'mirrored'],
    ])

    assert.ok(await waitFor(() => seen.includes(`out-${id}/relayed=reading`), { timeoutMs: 30_000 }), `relayed: ${seen.join(', ')}`)
    // Once the mirror sink has committed the record, it has decided about it; the loop topic holds it once.
    assert.ok(await waitFor(async () => (await committed(`connect-mirror-sink-${id}`, loopTopic)) >= 1, { timeoutMs: 30_000 }))
    const looped = await readTopic(loopTopic, (all) => all.length >= 1)
    assert.equal(looped.length, 1)
    assert.equal(looped[0]?.headers['mqtt.origin.filters'], `mirror-${id}/+/+`)
    assert.ok(await waitFor(() => bridge.worker.log().includes(`"mqttTopic":"mirror-${id}/back/device"`), { timeoutMs: 10_000 }), 'the skip is logged')
    const skipLines = bridge.worker.log().split('\n').filter((line) => line.includes('loop prevention') && line.includes(`mirror-${id}/back/device`))
    assert.equal(skipLines.length, 1)
    assert.match(skipLines[0]!, /"level":"info"/)
    await observer.endAsync()

    assert.deepEqual(seen.sort(), [`in-${id}/device-1=reading`, `mirror-${id}/front/device=mirrored`, `out-${id}/relayed=reading`])
  })
})
