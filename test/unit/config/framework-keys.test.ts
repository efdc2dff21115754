import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mqttSinkConnector } from '../../../connectors/mqtt/sink-connector.ts'
import { mqttSourceConnector } from '../../../connectors/mqtt/source-connector.ts'
import { connectorKeyInfos } from '../../../src/config/framework-keys.ts'

/** Kafka Connect 4.3.1's framework keys, as its PUT /connector-plugins/{plugin}/config/validate lists them, with their groups. */
const KAFKA_COMMON = [
  ['name', 'Common'],
  ['connector.class', 'Common'],
  ['connector.plugin.version', 'Common'],
  ['tasks.max', 'Common'],
  ['tasks.max.enforce', 'Common'],
  ['key.converter', 'Common'],
  ['key.converter.plugin.version', 'Common'],
  ['value.converter', 'Common'],
  ['value.converter.plugin.version', 'Common'],
  ['header.converter', 'Common'],
  ['header.converter.plugin.version', 'Common'],
  ['transforms', 'Transforms'],
  ['predicates', 'Predicates'],
  ['config.action.reload', 'Common'],
  ['errors.retry.timeout', 'Error Handling'],
  ['errors.retry.delay.max.ms', 'Error Handling'],
  ['errors.tolerance', 'Error Handling'],
  ['errors.log.enable', 'Error Handling'],
  ['errors.log.include.messages', 'Error Handling'],
] as const
const KAFKA_DEAD_LETTERS = [
  ['errors.deadletterqueue.topic.name', 'Error Handling'],
  ['errors.deadletterqueue.topic.replication.factor', 'Error Handling'],
  ['errors.deadletterqueue.context.headers.enable', 'Error Handling'],
] as const
const KAFKA_SINK: readonly (readonly [string, string])[] = [...KAFKA_COMMON, ['topics', 'Common'], ['topics.regex', 'Common'], ...KAFKA_DEAD_LETTERS]
const KAFKA_SOURCE: readonly (readonly [string, string])[] = [
  ...KAFKA_COMMON,
  ['topic.creation.groups', 'Topic Creation'],
  ['exactly.once.support', 'Exactly Once Support'],
  ['transaction.boundary', 'Exactly Once Support'],
  ['transaction.boundary.interval.ms', 'Exactly Once Support'],
  ['offsets.storage.topic', 'offsets.topic'],
]
/** Kafka Connect's keys this worker does not declare: one version of each plugin, no task-count enforcement or reload policy. */
const NOT_DECLARED = new Set(['connector.plugin.version', 'tasks.max.enforce', 'key.converter.plugin.version', 'value.converter.plugin.version', 'header.converter.plugin.version', 'config.action.reload'])

const declared = (keys: readonly (readonly [string, string])[]) => keys.filter(([name]) => !NOT_DECLARED.has(name))
const namesAndGroups = (keys: readonly { name: string; group: string | null }[]) => keys.map(({ name, group }) => [name, group])

describe('framework keys of connector plugins, as Kafka Connect 4.3.1 lists them', () => {
  it('a sink: the common keys, topics and topics.regex, then the dead-letter keys, in that order and those groups', () => {
    const { framework, own } = connectorKeyInfos(mqttSinkConnector)
    assert.deepEqual(namesAndGroups(framework), declared(KAFKA_SINK))
    assert.ok(!own.some(({ name }) => name === 'topics' || name === 'topics.regex'))
  })

  it('a source: the common keys, then topic creation and exactly-once support; its dead-letter keys are ours', () => {
    const { framework } = connectorKeyInfos(mqttSourceConnector)
    const withoutDeadLetters = framework.filter(({ name }) => !name.startsWith('errors.deadletterqueue.'))
    assert.deepEqual(namesAndGroups(withoutDeadLetters), declared(KAFKA_SOURCE))
    // Sources have a dead-letter topic here (README, differences): its keys follow the other error keys.
    const names = framework.map(({ name }) => name)
    assert.equal(names.indexOf('errors.deadletterqueue.topic.name'), names.indexOf('errors.log.include.messages') + 1)
  })
})
