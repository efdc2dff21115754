import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'

describe('a topics.regex sink', () => {
  const bridge = useBridge()
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'topics-regex-test', logLevel: logLevel.NOTHING })
  const id = randomUUID().slice(0, 8)

  const produce = async (topic: string, value: string): Promise<void> => {
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }).finally(() => admin.disconnect())
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({ topic, messages: [{ key: 'k', value }] })
    await producer.disconnect()
  }

  it('consumes a matching topic created after it started, within metadata.max.age.ms', async () => {
    const seen: string[] = []
    const observer = await connectAsync(bridge.mosquitto.url, { clientId: `regex-observer-${id}` })
    observer.on('message', (topic, payload) => seen.push(`${topic}=${payload.toString()}`))
    await observer.subscribeAsync(`regex-${id}/#`, { qos: 1 })

    await produce(`early-${id}-a`, 'before start')
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: `regex-sink-${id}`,
      config: {
        'connector.class': 'MqttSink',
        'mqtt.server.uri': bridge.mosquitto.url,
        'topics.regex': `(early|late)-${id}-.*`,
        'mqtt.topic': `regex-${id}/\${topic}`,
        'consumer.override.metadata.max.age.ms': '1000',
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(() => seen.includes(`regex-${id}/early-${id}-a=before start`), { timeoutMs: 30_000 }), `seen: ${seen.join(', ')}`)

    await produce(`late-${id}-b`, 'after start')
    const startedAt = Date.now()
    assert.ok(await waitFor(() => seen.includes(`regex-${id}/late-${id}-b=after start`), { timeoutMs: 30_000 }), `seen: ${seen.join(', ')}`)
    // One refresh interval, then a rejoin of the group: seconds, not the default 5 minutes.
    assert.ok(Date.now() - startedAt < 20_000)
    await observer.endAsync()
    // Committed offsets were kept across the rejoin: the early record was published once.
    assert.equal(seen.filter((entry) => entry.includes('before start')).length, 1)
  })
})
