import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readTopic } from '../harness/kafka-records.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { waitFor } from '../../scripts/infra/wait.ts'

interface Status {
  tasks: { id: number; state: string; trace?: string }[]
}

describe('errors.tolerance on an MQTT source that parses JSON payloads', () => {
  const bridge = useBridge()
  const jsonSource = (name: string, topic: string, extra: Record<string, string>) => ({
    name,
    config: {
      'connector.class': 'MqttSource',
      'mqtt.server.uri': bridge.mosquitto.url,
      'mqtt.topics': `${name}/#`,
      'kafka.topic': topic,
      transforms: 'parse',
      'transforms.parse.type': 'io.mqttkafka.connect.transforms.ParseJson$Value',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      ...extra,
    },
  })
  const taskState = async (name: string) => (await restCall<Status>(bridge.worker.url, 'GET', `/connectors/${name}/status`)).body.tasks[0]

  it('with all and a dead-letter topic: good payloads reach the topic, malformed ones the dead-letter topic with error headers, and the task keeps running', async () => {
    const topic = `tolerant-${Date.now()}`
    const deadLetters = `${topic}-dlq`
    const created = await restCall(
      bridge.worker.url,
      'POST',
      '/connectors',
      jsonSource('tolerant', topic, {
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': deadLetters,
        'errors.deadletterqueue.context.headers.enable': 'true',
      }),
    )
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await taskState('tolerant'))?.state === 'RUNNING', { timeoutMs: 20_000 }))

    await publishPayloads(bridge.mosquitto.url, [
      ['tolerant/a', '{"temperature": 21.5}'],
      ['tolerant/b', '{"temperature": oops'],
      ['tolerant/c', '{"temperature": 22}'],
      ['tolerant/d', 'not json at all'],
    ])

    const good = await readTopic(topic, (records) => records.length >= 2)
    assert.deepEqual(
      good.map(({ value }) => JSON.parse(value!.toString()) as unknown),
      [{ temperature: 21.5 }, { temperature: 22 }],
    )
    const bad = await readTopic(deadLetters, (records) => records.length >= 2)
    assert.deepEqual(bad.map(({ value }) => value?.toString()), ['{"temperature": oops', 'not json at all'])
    const headers = bad[0]!.headers
    assert.equal(headers['__connect.errors.stage'], 'TRANSFORMATION')
    assert.equal(headers['__connect.errors.connector.name'], 'tolerant')
    assert.equal(headers['__connect.errors.task.id'], '0')
    assert.equal(headers['__connect.errors.topic'], topic)
    assert.equal(headers['__connect.errors.class.name'], 'io.mqttkafka.connect.transforms.ParseJson$Value')
    assert.match(headers['__connect.errors.exception.message'] ?? '', /not valid JSON/)
    assert.ok((headers['__connect.errors.exception.stacktrace'] ?? '').length > 0)
    assert.equal(headers['mqtt.topic'], 'tolerant/b', 'the original headers are kept')
    assert.equal((await taskState('tolerant'))?.state, 'RUNNING')
  })

  it('with none: a malformed payload fails the task, /status shows a readable trace, and the message is not acknowledged', async () => {
    const topic = `strict-${Date.now()}`
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', jsonSource('strict', topic, { 'errors.tolerance': 'none' }))
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await taskState('strict'))?.state === 'RUNNING', { timeoutMs: 20_000 }))

    await publishPayloads(bridge.mosquitto.url, [['strict/a', '{broken']])
    assert.ok(await waitFor(async () => (await taskState('strict'))?.state === 'FAILED', { timeoutMs: 20_000 }))
    const trace = (await taskState('strict'))?.trace ?? ''
    assert.match(trace, /Tolerance exceeded in error handler/)
    assert.match(trace, /Caused by: .*TRANSFORMATION failed in io\.mqttkafka\.connect\.transforms\.ParseJson\$Value: The record value is not valid JSON/)

    // The broker still holds the message: once the connector tolerates it, it arrives in the dead-letter topic.
    const deadLetters = `${topic}-dlq`
    const patched = await restCall(bridge.worker.url, 'PATCH', '/connectors/strict/config', {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': deadLetters,
    })
    assert.equal(patched.status, 200, JSON.stringify(patched.body))
    const redelivered = await readTopic(deadLetters, (records) => records.length >= 1)
    assert.deepEqual(redelivered.map(({ value }) => value?.toString()), ['{broken'])
  })
})
