import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readTopic } from '../harness/kafka-records.ts'
import { publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'
import { waitFor } from '../../scripts/infra/wait.ts'

interface Status {
  connector: { state: string }
  tasks: { id: number; state: string }[]
}

const taskRunning = async (url: string, name: string): Promise<boolean> => {
  const { status, body } = await restCall<Status>(url, 'GET', `/connectors/${name}/status`)
  return status === 200 && body.connector.state === 'RUNNING' && body.tasks[0]?.state === 'RUNNING'
}

describe('a worker restarted with SIGTERM mid-stream', () => {
  const bridge = useBridge()

  it('exits 0, resumes the connector from the config topic without a new POST, and loses no message', async () => {
    const topic = `restart-${Date.now()}`
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: 'survivor',
      config: {
        'connector.class': 'MqttSource',
        'mqtt.server.uri': bridge.mosquitto.url,
        'mqtt.topics': 'fleet/#',
        'kafka.topic': topic,
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(() => taskRunning(bridge.worker.url, 'survivor'), { timeoutMs: 20_000 }))

    // Publish while the worker goes down and comes back: the persistent session queues what arrives in between.
    const publishing = publishSequence(bridge.mosquitto.url, (n) => `fleet/truck-${n % 7}`, { count: 6_000, qos: 1 })
    await readTopic(topic, (records) => records.length >= 500)
    assert.equal(await bridge.worker.stop('SIGTERM'), 0, 'a SIGTERM shutdown exits 0')
    await publishing
    await publishSequence(bridge.mosquitto.url, (n) => `fleet/truck-${n % 7}`, { count: 2_000, from: 6_000, qos: 1 })

    await bridge.worker.start()
    assert.ok(await waitFor(() => taskRunning(bridge.worker.url, 'survivor'), { timeoutMs: 30_000 }), 'RUNNING again without a new POST')

    const records = await readTopic(topic, (all) => new Set(all.map(({ value }) => sequenceOf(value))).size >= 8_000)
    const seen = new Set(records.map(({ value }) => sequenceOf(value)))
    const missing = Array.from({ length: 8_000 }, (_, n) => n).filter((n) => !seen.has(n))
    assert.deepEqual(missing, [], 'no sequence number is missing')
    assert.equal(records.length, 8_000, 'a graceful stop acknowledges exactly what Kafka has: no duplicates')

    const offsets = await restCall<{ offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[] }>(
      bridge.worker.url,
      'GET',
      '/connectors/survivor/offsets',
    )
    assert.equal(offsets.status, 200)
    assert.deepEqual(offsets.body.offsets[0]?.partition, { 'mqtt.client.id': 'survivor-0' })
    assert.equal(typeof offsets.body.offsets[0]?.offset['acknowledged.messages'], 'number')
  })
})
