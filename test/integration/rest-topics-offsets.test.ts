import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { waitFor } from '../../scripts/infra/wait.ts'
import { PACKAGE_VERSION } from '../../src/package-info.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

interface ErrorBody {
  readonly error_code: number
  readonly message: string
}
interface StatusBody {
  readonly connector: { readonly state: string; readonly version?: string }
  readonly tasks: readonly { readonly state: string; readonly version?: string }[]
}
interface OffsetsBody {
  readonly offsets: readonly { readonly partition: Record<string, unknown>; readonly offset: Record<string, unknown> }[]
}

const ALTERED =
  'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.'
const RESET =
  'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.'
const notStopped = (name: string) =>
  `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`

describe('topics and offsets endpoints, as Kafka Connect 4.3.1 answers them', () => {
  const bridge = useBridge()
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'rest-topics-offsets-test', logLevel: logLevel.NOTHING })
  const id = randomUUID().slice(0, 8)
  const source = `tracked-source-${id}`
  const sink = `tracked-sink-${id}`
  const sourceTopic = `tracked-${id}`
  const call = <T>(method: string, path: string, body?: unknown) => restCall<T>(bridge.worker.url, method, path, body)
  const stateOf = async (name: string) => (await call<StatusBody>('GET', `/connectors/${name}/status`)).body
  const untilState = (name: string, state: string, taskState?: string) =>
    waitFor(
      async () => {
        const status = await stateOf(name)
        return status.connector?.state === state && (taskState === undefined || status.tasks[0]?.state === taskState)
      },
      { timeoutMs: 30_000 },
    )
  const topicsOf = async (name: string) => (await call<Record<string, { topics: string[] }>>('GET', `/connectors/${name}/topics`)).body[name]?.topics ?? []
  const groupOffsets = async (groupId: string) => {
    const admin = kafka.admin()
    await admin.connect()
    try {
      return (await admin.fetchOffsets({ groupId })).flatMap(({ topic, partitions }) =>
        partitions.filter(({ offset }) => Number(offset) >= 0).map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })),
      )
    } finally {
      await admin.disconnect()
    }
  }

  it('GET / reports the Kafka Connect REST level as version, and this worker\'s own beside it', async () => {
    const { status, body } = await call<{ version: string; worker_version: string; commit: string; kafka_cluster_id: string }>('GET', '/')
    assert.equal(status, 200)
    assert.equal(body.version, '4.3.1')
    assert.equal(body.worker_version, PACKAGE_VERSION)
    assert.ok(body.kafka_cluster_id.length > 0)
  })

  it('records the topics a source writes and a sink reads in the status topic, in Kafka Connect\'s layout', async () => {
    for (const [name, config] of [
      [source, { 'connector.class': 'MqttSource', 'mqtt.topics': `tracked-${id}/#`, 'kafka.topic': sourceTopic }],
      [sink, { 'connector.class': 'MqttSink', topics: sourceTopic, 'mqtt.topic': `sunk-${id}/\${topic}` }],
    ] as const) {
      const created = await call('POST', '/connectors', { name, config: { ...config, 'mqtt.server.uri': bridge.mosquitto.url } })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    assert.ok(await untilState(source, 'RUNNING', 'RUNNING'))
    assert.ok(await untilState(sink, 'RUNNING', 'RUNNING'))
    // Kafka Connect 4.x puts the plugin's version on every status entry.
    const plugins = (await call<{ class: string; version: string }[]>('GET', '/connector-plugins')).body
    const sourceVersion = plugins.find(({ class: className }) => className.endsWith('MqttSourceConnector'))?.version
    assert.ok(sourceVersion)
    const status = await stateOf(source)
    assert.equal(status.connector.version, sourceVersion)
    assert.equal(status.tasks[0]?.version, sourceVersion)
    assert.equal((await call<{ version?: string }>('GET', `/connectors/${source}/tasks/0/status`)).body.version, sourceVersion)

    assert.deepEqual(await topicsOf(source), [])
    await publishPayloads(bridge.mosquitto.url, [[`tracked-${id}/a`, 'one']])
    assert.ok(await waitFor(async () => (await topicsOf(source)).length > 0 && (await topicsOf(sink)).length > 0, { timeoutMs: 30_000 }))
    assert.deepEqual((await call('GET', `/connectors/${source}/topics`)).body, { [source]: { topics: [sourceTopic] } })
    assert.deepEqual((await call('GET', `/connectors/${sink}/topics`)).body, { [sink]: { topics: [sourceTopic] } })

    const records = await readTopic(bridge.worker.topics.status, (all) => all.filter(({ key }) => key?.startsWith('status-topic-')).length >= 2)
    const stored = records.find(({ key }) => key === `status-topic-${sourceTopic}:connector-${source}`)
    assert.ok(stored, records.map(({ key }) => key).join(', '))
    const value = JSON.parse(stored.value!.toString('utf8')) as { topic: Record<string, unknown> }
    assert.deepEqual(Object.keys(value.topic), ['name', 'connector', 'task', 'discoverTimestamp'])
    assert.deepEqual({ ...value.topic, discoverTimestamp: typeof value.topic.discoverTimestamp }, { name: sourceTopic, connector: source, task: 0, discoverTimestamp: 'number' })
  })

  it('answers an unknown connector\'s topics with none, and resets them with 202, as Kafka Connect does', async () => {
    const unknown = await call('GET', `/connectors/nobody-${id}/topics`)
    assert.deepEqual({ status: unknown.status, body: unknown.body }, { status: 200, body: { [`nobody-${id}`]: { topics: [] } } })
    assert.equal((await call('PUT', `/connectors/nobody-${id}/topics/reset`)).status, 202)
  })

  it('resets a running connector\'s topics; its task records a topic again when it next uses it', async () => {
    const reset = await call('PUT', `/connectors/${source}/topics/reset`)
    assert.equal(reset.status, 202)
    assert.equal(reset.body, null)
    assert.ok(await waitFor(async () => (await topicsOf(source)).length === 0, { timeoutMs: 10_000 }))
    await publishPayloads(bridge.mosquitto.url, [[`tracked-${id}/b`, 'two']])
    assert.ok(await waitFor(async () => (await topicsOf(source)).includes(sourceTopic), { timeoutMs: 30_000 }))
  })

  it('lists a sink\'s committed consumer group offsets', async () => {
    assert.ok(await waitFor(async () => (await groupOffsets(`connect-${sink}`)).some(({ offset }) => offset >= 2), { timeoutMs: 30_000 }))
    const committed = await groupOffsets(`connect-${sink}`)
    const { status, body } = await call<OffsetsBody>('GET', `/connectors/${sink}/offsets`)
    assert.equal(status, 200)
    assert.deepEqual(
      body.offsets,
      committed.map(({ topic, partition, offset }) => ({ partition: { kafka_partition: partition, kafka_topic: topic }, offset: { kafka_offset: offset } })),
    )
  })

  it('refuses to alter or reset offsets unless the connector is STOPPED, and names an unknown connector', async () => {
    const body = { offsets: [{ partition: { 'mqtt.client.id': 'x' }, offset: { 'acknowledged.messages': 1 } }] }
    assert.deepEqual((await call<ErrorBody>('PATCH', `/connectors/${source}/offsets`, body)).body, { error_code: 400, message: notStopped(source) })
    assert.deepEqual((await call<ErrorBody>('DELETE', `/connectors/${sink}/offsets`)).body, { error_code: 400, message: notStopped(sink) })
    assert.deepEqual((await call<ErrorBody>('PATCH', `/connectors/nobody-${id}/offsets`, body)).body, { error_code: 404, message: `Connector nobody-${id} not found` })
    assert.deepEqual((await call<ErrorBody>('DELETE', `/connectors/nobody-${id}/offsets`)).body, { error_code: 404, message: `Connector nobody-${id} not found` })
    assert.deepEqual((await call<ErrorBody>('GET', `/connectors/nobody-${id}/offsets`)).body, { error_code: 404, message: `Connector nobody-${id} not found` })
    for (const empty of [{}, { offsets: [] }]) {
      assert.deepEqual((await call<ErrorBody>('PATCH', `/connectors/${source}/offsets`, empty)).body, {
        error_code: 400,
        message: 'Partitions / offsets need to be provided for an alter offsets request',
      })
    }
  })

  it('alters and resets a stopped source connector\'s offsets in the offsets topic', async () => {
    assert.equal((await call('PUT', `/connectors/${source}/stop`)).status, 204)
    assert.ok(await untilState(source, 'STOPPED'))
    const partition = { 'mqtt.client.id': `operator-${id}` }
    const altered = await call<{ message: string }>('PATCH', `/connectors/${source}/offsets`, { offsets: [{ partition, offset: { 'acknowledged.messages': 7 } }] })
    assert.deepEqual({ status: altered.status, body: altered.body }, { status: 200, body: { message: ALTERED } })
    const listed = (await call<OffsetsBody>('GET', `/connectors/${source}/offsets`)).body.offsets
    assert.deepEqual(listed.find((entry) => entry.partition['mqtt.client.id'] === `operator-${id}`)?.offset, { 'acknowledged.messages': 7 })
    const nested = await call<ErrorBody>('PATCH', `/connectors/${source}/offsets`, { offsets: [{ partition, offset: { deep: { x: 1 } } }] })
    assert.deepEqual(nested.body, { error_code: 400, message: 'Offsets may only contain primitive types as values, but field deep contains MAP' })

    // A null offset is a tombstone: the partition is gone.
    assert.equal((await call('PATCH', `/connectors/${source}/offsets`, { offsets: [{ partition, offset: null }] })).status, 200)
    const afterRemoval = (await call<OffsetsBody>('GET', `/connectors/${source}/offsets`)).body.offsets
    assert.equal(afterRemoval.find((entry) => entry.partition['mqtt.client.id'] === `operator-${id}`), undefined)
    assert.ok(afterRemoval.length > 0, 'the task\'s own partition is still there')

    const reset = await call<{ message: string }>('DELETE', `/connectors/${source}/offsets`)
    assert.deepEqual({ status: reset.status, body: reset.body }, { status: 200, body: { message: RESET } })
    assert.deepEqual((await call<OffsetsBody>('GET', `/connectors/${source}/offsets`)).body, { offsets: [] })
  })

  it('alters and resets a stopped sink connector\'s consumer group offsets', async () => {
    assert.equal((await call('PUT', `/connectors/${sink}/stop`)).status, 204)
    assert.ok(await untilState(sink, 'STOPPED'))
    const groupId = `connect-${sink}`
    const altered = await call<{ message: string }>('PATCH', `/connectors/${sink}/offsets`, {
      offsets: [{ partition: { kafka_topic: sourceTopic, kafka_partition: 0 }, offset: { kafka_offset: 1 } }],
    })
    assert.deepEqual({ status: altered.status, body: altered.body }, { status: 200, body: { message: ALTERED } })
    assert.deepEqual(await groupOffsets(groupId), [{ topic: sourceTopic, partition: 0, offset: 1 }])
    assert.deepEqual((await call<OffsetsBody>('GET', `/connectors/${sink}/offsets`)).body, {
      offsets: [{ partition: { kafka_partition: 0, kafka_topic: sourceTopic }, offset: { kafka_offset: 1 } }],
    })

    const bad = [
      [{ kafka_topic: sourceTopic }, { kafka_offset: 1 }, "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'"],
      [{ kafka_topic: sourceTopic, kafka_partition: 0 }, { kafka_offset: 'x' }, "Failed to parse the following Kafka offset value in the provided offsets: 'x'. Offset values for sink connectors need to be integers."],
      [{ kafka_topic: sourceTopic, kafka_partition: 0 }, { foo: 1 }, "The offset for a sink connector should either be null or contain the key 'kafka_offset'"],
      [{ kafka_topic: sourceTopic, kafka_partition: 'p' }, { kafka_offset: 1 }, "Failed to parse the following Kafka partition value in the provided offsets: 'p'. Partition values for sink connectors need to be integers."],
    ] as const
    for (const [partition, offset, message] of bad) {
      assert.deepEqual((await call<ErrorBody>('PATCH', `/connectors/${sink}/offsets`, { offsets: [{ partition, offset }] })).body, { error_code: 400, message })
    }
    assert.deepEqual(await groupOffsets(groupId), [{ topic: sourceTopic, partition: 0, offset: 1 }], 'a refused request changes nothing')

    assert.equal((await call('PATCH', `/connectors/${sink}/offsets`, { offsets: [{ partition: { kafka_topic: sourceTopic, kafka_partition: 0 }, offset: null }] })).status, 200)
    assert.deepEqual(await groupOffsets(groupId), [])

    await call('PATCH', `/connectors/${sink}/offsets`, { offsets: [{ partition: { kafka_topic: sourceTopic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] })
    const reset = await call<{ message: string }>('DELETE', `/connectors/${sink}/offsets`)
    assert.deepEqual({ status: reset.status, body: reset.body }, { status: 200, body: { message: RESET } })
    assert.deepEqual(await groupOffsets(groupId), [])
    assert.deepEqual((await call<OffsetsBody>('GET', `/connectors/${sink}/offsets`)).body, { offsets: [] })
  })

  it('forgets a deleted connector\'s topics', async () => {
    assert.equal((await call('DELETE', `/connectors/${sink}`)).status, 204)
    assert.deepEqual(await topicsOf(sink), [])
  })
})

describe('topic tracking switched off by the worker config', () => {
  const workers: WorkerProcess[] = []
  after(async () => {
    await Promise.all(workers.map((worker) => worker.stop()))
  })

  it('answers 403 as Kafka Connect does: tracking disabled, or only its reset', async () => {
    const [disabled, noReset] = await Promise.all([
      createWorkerProcess({ 'topic.tracking.enable': 'false' }),
      createWorkerProcess({ 'topic.tracking.allow.reset': 'false' }),
    ])
    workers.push(disabled, noReset)
    const disabledBody = { error_code: 403, message: 'Topic tracking is disabled.' }
    assert.deepEqual((await restCall(disabled.url, 'GET', '/connectors/any/topics')).body, disabledBody)
    assert.deepEqual((await restCall(disabled.url, 'PUT', '/connectors/any/topics/reset')).body, disabledBody)
    assert.deepEqual((await restCall(noReset.url, 'GET', '/connectors/any/topics')).body, { any: { topics: [] } })
    assert.deepEqual((await restCall(noReset.url, 'PUT', '/connectors/any/topics/reset')).body, { error_code: 403, message: 'Topic tracking reset is disabled.' })
  })
})
