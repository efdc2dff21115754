import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'

describe('a source connector creates its topics with its topic.creation groups (KIP-158)', () => {
  const bridge = useBridge()
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'topic-creation-test', logLevel: logLevel.NOTHING })
  const id = randomUUID().slice(0, 8)

  const sourceConfig = (extra: Record<string, string>) => ({
    'connector.class': 'MqttSource',
    'mqtt.server.uri': bridge.mosquitto.url,
    'mqtt.topics': `creating-${id}/{target}`,
    'kafka.topic': '{target}',
    ...extra,
  })

  /** kafkajs's ConfigResourceTypes.TOPIC, which its ESM entry does not export. */
  const TOPIC_RESOURCE = 2
  const describeTopic = async (topic: string) => {
    const admin = kafka.admin()
    await admin.connect()
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['cleanup.policy'] }] })
      return { partitions: topics[0]!.partitions.length, cleanupPolicy: resources[0]?.configEntries.find(({ configName }) => configName === 'cleanup.policy')?.configValue }
    } finally {
      await admin.disconnect()
    }
  }

  const topicExists = async (topic: string): Promise<boolean> => {
    const admin = kafka.admin()
    await admin.connect()
    try {
      return (await admin.listTopics()).includes(topic)
    } finally {
      await admin.disconnect()
    }
  }

  it('creates a topic with the default group: 3 partitions, cleanup.policy=compact; a listed group takes the topics it includes', async () => {
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', {
      name: `creating-${id}`,
      config: sourceConfig({
        'topic.creation.default.partitions': '3',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.cleanup.policy': 'compact',
        'topic.creation.groups': 'wide',
        'topic.creation.wide.include': `wide-${id}-.*`,
        'topic.creation.wide.partitions': '5',
      }),
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(
      await waitFor(async () => (await restCall<{ tasks: { state: string }[] }>(bridge.worker.url, 'GET', `/connectors/creating-${id}/status`)).body.tasks[0]?.state === 'RUNNING', { timeoutMs: 30_000 }),
    )
    const compacted = `compacted-${id}`
    const wide = `wide-${id}-1`
    await publishPayloads(bridge.mosquitto.url, [
      [`creating-${id}/${compacted}`, 'a'],
      [`creating-${id}/${wide}`, 'b'],
    ])
    assert.ok(await waitFor(async () => (await topicExists(compacted)) && (await topicExists(wide)), { timeoutMs: 30_000 }), 'both topics were created')
    assert.deepEqual(await describeTopic(compacted), { partitions: 3, cleanupPolicy: 'compact' })
    // The listed group inherits the default group's replication factor; its topic configs are its own.
    assert.deepEqual(await describeTopic(wide), { partitions: 5, cleanupPolicy: 'delete' })
    assert.match(bridge.worker.log(), new RegExp(`"message":"created topic".*"topic":"${compacted}"`))
  })

  it('refuses a config whose default group lacks a count, or has an invalid one, naming the key, and creates nothing', async () => {
    const missing = await restCall<{ error_code: number; message: string }>(bridge.worker.url, 'POST', '/connectors', {
      name: `missing-${id}`,
      config: sourceConfig({ 'topic.creation.default.partitions': '3' }),
    })
    assert.equal(missing.status, 400)
    assert.match(missing.body.message, /Missing required configuration "topic.creation.default.replication.factor" which has no default value\./)
    const invalid = await restCall<{ error_code: number; message: string }>(bridge.worker.url, 'POST', '/connectors', {
      name: `invalid-${id}`,
      config: sourceConfig({ 'topic.creation.default.partitions': '0', 'topic.creation.default.replication.factor': '1' }),
    })
    assert.equal(invalid.status, 400)
    assert.match(invalid.body.message, /Invalid value 0 for configuration topic.creation.default.partitions/)
    const listed = await restCall<string[]>(bridge.worker.url, 'GET', '/connectors')
    assert.deepEqual(listed.body.filter((name) => name.endsWith(id) && name !== `creating-${id}`), [])
  })
})
