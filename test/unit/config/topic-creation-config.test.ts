import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { groupFor, parseTopicCreation } from '../../../src/config/topic-creation-config.ts'

const defaults = { 'topic.creation.default.partitions': '3', 'topic.creation.default.replication.factor': '-1' }

describe('topic.creation.* (KIP-158)', () => {
  it('means no topic creation when no topic.creation. key is set', () => {
    assert.deepEqual(parseTopicCreation({ 'kafka.topic': 't' }), { ok: true, groups: null })
  })

  it('takes a topic into the first listed group that includes and does not exclude it, else the default group', () => {
    const parsed = parseTopicCreation({
      ...defaults,
      'topic.creation.default.cleanup.policy': 'compact',
      'topic.creation.groups': 'metrics, logs',
      'topic.creation.metrics.include': 'metrics\\..*',
      'topic.creation.metrics.exclude': 'metrics\\.raw',
      'topic.creation.metrics.partitions': '6',
      'topic.creation.logs.include': 'logs\\..*, metrics\\.raw',
      'topic.creation.logs.replication.factor': '1',
      'topic.creation.logs.retention.ms': '1000',
    })
    assert.ok(parsed.ok && parsed.groups !== null)
    const { groups } = parsed
    assert.deepEqual(groups.map(({ name }) => name), ['metrics', 'logs', 'default'])
    const summary = (topic: string) => {
      const { name, partitions, replicationFactor, topicConfigs } = groupFor(groups, topic)
      return { name, partitions, replicationFactor, topicConfigs }
    }
    assert.deepEqual(summary('metrics.cpu'), { name: 'metrics', partitions: 6, replicationFactor: -1, topicConfigs: {} })
    assert.deepEqual(summary('metrics.raw'), { name: 'logs', partitions: 3, replicationFactor: 1, topicConfigs: { 'retention.ms': '1000' } })
    assert.deepEqual(summary('other'), { name: 'default', partitions: 3, replicationFactor: -1, topicConfigs: { 'cleanup.policy': 'compact' } })
  })

  it('requires the default counts and a listed group\'s include, and refuses 0 or below -1, naming each key', () => {
    const parsed = parseTopicCreation({ 'topic.creation.groups': 'g', 'topic.creation.g.partitions': '0', 'topic.creation.default.replication.factor': '-2' })
    assert.equal(parsed.ok, false)
    assert.deepEqual(!parsed.ok && parsed.problems.map(({ key }) => key).sort(), [
      'topic.creation.default.partitions',
      'topic.creation.default.replication.factor',
      'topic.creation.g.include',
      'topic.creation.g.partitions',
    ])
  })
})
